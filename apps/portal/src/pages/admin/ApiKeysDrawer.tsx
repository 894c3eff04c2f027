import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { unwrap, type Schemas } from '@steward/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, DatePicker, Drawer, Form, Input, message, Modal, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useCan } from '../../app/session-context';
import { formatDateTime } from '../../lib/format';
import { formPathOf, readProblem } from '../../lib/problem';
import { rulesOf } from '../../lib/rules';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { EmptyState, QueryView } from '../../ui/states';
import { KEY_SCOPES, keyActions, keyStatus, problemFieldErrors } from './admin-labels';
import { usePaged } from './usePaged';

type Partner = Schemas['Partner'];
type ApiKey = Schemas['ApiKey'];
type Scope = (typeof KEY_SCOPES)[number];

interface IssueForm {
  name: string;
  scopes?: Scope[];
  expiresAt?: Dayjs | null;
}

/** A partner's API keys: the list, and for admins issuing, rotating and revoking (a new key's secret shown once). */
export function ApiKeysDrawer({ partner, onClose }: { partner: Partner; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const can = useCan();
  const queryClient = useQueryClient();
  const [messageApi, contextHolder] = message.useMessage();
  const [issuing, setIssuing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const queryKey = ['admin', 'partners', partner.id, 'api-keys'];
  const keys = usePaged<ApiKey>(queryKey, (cursor) => unwrap(api.GET('/v1/partners/{id}/api-keys', { params: { path: { id: partner.id }, query: { limit: 100, cursor } } })));
  const refresh = () => void queryClient.invalidateQueries({ queryKey });

  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      refresh();
      void messageApi.success(t('admin.keys.revoked_ok'));
    },
  });
  const rotate = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/api-keys/{id}/rotate', { params: { path: { id } }, body: {} })),
    onSuccess: (answer) => {
      refresh();
      setSecret(answer.key);
      void messageApi.success(t('admin.keys.rotated_ok'));
    },
  });
  const rowError = revoke.error ?? rotate.error;
  const busy = revoke.isPending || rotate.isPending;
  // The keys' state as of when they were fetched (the list refreshes after every change).
  const now = keys.updatedAt;

  const columns: TableColumnsType<ApiKey> = [
    { title: t('admin.keys.name'), dataIndex: 'name' },
    { title: t('admin.keys.prefix'), dataIndex: 'prefix', render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
    {
      title: t('admin.keys.scopes'),
      dataIndex: 'scopes',
      render: (scopes: Scope[]) => scopes.map((s) => t(`admin.keys.scope.${s}`)).join(', '),
    },
    { title: t('admin.keys.statusLabel'), key: 'status', render: (_: unknown, k) => <Tag>{t(`admin.keys.status.${keyStatus(k, now)}`)}</Tag> },
    { title: t('admin.keys.created'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at, i18n.language) },
    { title: t('admin.keys.expires'), dataIndex: 'expiresAt', render: (at: string | null) => (at ? formatDateTime(at, i18n.language) : t('admin.keys.noExpiry')) },
    { title: t('admin.keys.lastUsed'), dataIndex: 'lastUsedAt', render: (at: string | null) => (at ? formatDateTime(at, i18n.language) : t('admin.keys.never')) },
  ];
  const mayRotate = can('rotateApiKey');
  const mayRevoke = can('revokeApiKey');
  if (mayRotate || mayRevoke) {
    columns.push({
      title: t('admin.common.actions'),
      key: 'actions',
      render: (_: unknown, k) => {
        const allowed = keyActions(keyStatus(k, now));
        return (
          <Space size="small" wrap>
            {mayRotate && allowed.rotate && (
              <Popconfirm
                title={t('admin.keys.rotateConfirm', { name: k.name })}
                okText={t('admin.keys.rotate')}
                cancelText={t('actions.cancel')}
                onConfirm={() => {
                  revoke.reset();
                  rotate.reset();
                  rotate.mutate(k.id);
                }}
              >
                <Button size="small" data-testid="key-rotate" data-action="write" disabled={busy}>
                  {t('admin.keys.rotate')}
                </Button>
              </Popconfirm>
            )}
            {mayRevoke && allowed.revoke && (
              <Popconfirm
                title={t('admin.keys.revokeConfirm', { name: k.name, prefix: k.prefix })}
                okText={t('admin.keys.revoke')}
                cancelText={t('actions.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => {
                  revoke.reset();
                  rotate.reset();
                  revoke.mutate(k.id);
                }}
              >
                <Button size="small" danger data-testid="key-revoke" data-action="write" disabled={busy}>
                  {t('admin.keys.revoke')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        );
      },
    });
  }

  return (
    <Drawer open title={t('admin.partners.keysOf', { name: partner.name })} onClose={onClose} size={960} closable={{ 'aria-label': t('actions.close') }}>
      {contextHolder}
      {can('createApiKey') && (
        <div style={{ marginBottom: 16 }}>
          <Button type="primary" icon={<PlusOutlined />} data-testid="key-issue" data-action="write" onClick={() => setIssuing(true)}>
            {t('admin.keys.issue')}
          </Button>
        </div>
      )}
      {rowError && (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert error={rowError} />
        </div>
      )}
      <QueryView query={keys}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState description={t('admin.keys.empty')} />
          ) : (
            <div aria-label={t('admin.keys.tableLabel')} role="region">
              <Table<ApiKey> data-testid="keys-table" rowKey="id" size="small" columns={columns} dataSource={items} pagination={false} scroll={{ x: true }} />
              {keys.hasMore && (
                <div style={{ textAlign: 'center', marginTop: 16 }}>
                  <Button onClick={keys.loadMore} loading={keys.loadingMore}>
                    {t('admin.common.loadMore')}
                  </Button>
                </div>
              )}
            </div>
          )
        }
      </QueryView>
      {issuing && (
        <IssueKeyModal
          partnerId={partner.id}
          onClose={() => setIssuing(false)}
          onIssued={(key) => {
            setIssuing(false);
            refresh();
            setSecret(key);
          }}
        />
      )}
      {secret && <SecretModal secret={secret} onClose={() => setSecret(null)} />}
    </Drawer>
  );
}

function IssueKeyModal({ partnerId, onClose, onIssued }: { partnerId: string; onClose: () => void; onIssued: (key: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [form] = Form.useForm<IssueForm>();
  const issue = useMutation({
    mutationFn: (body: Schemas['CreateApiKeyBody']) => unwrap(api.POST('/v1/partners/{id}/api-keys', { params: { path: { id: partnerId } }, body })),
    onSuccess: (answer) => onIssued(answer.key),
    onError: (error) => {
      const fields = problemFieldErrors(readProblem(error).fields, ['name', 'scopes', 'expiresAt'], formPathOf);
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
    },
  });
  const submit = (v: IssueForm) =>
    issue.mutate({
      name: v.name.trim(),
      ...(v.scopes && v.scopes.length ? { scopes: v.scopes } : {}),
      ...(v.expiresAt ? { expiresAt: v.expiresAt.endOf('day').toISOString() } : {}),
    });

  return (
    <Modal open title={t('admin.keys.issueTitle')} onCancel={onClose} footer={null} destroyOnHidden maskClosable={false}>
      <Form<IssueForm> form={form} layout="vertical" onFinish={submit} initialValues={{ scopes: [...KEY_SCOPES] }}>
        <Form.Item name="name" label={t('admin.keys.name')} rules={rulesOf('CreateApiKeyBody', 'name', t)}>
          <Input data-testid="key-name" autoComplete="off" />
        </Form.Item>
        <Form.Item name="scopes" label={t('admin.keys.scopes')} extra={t('admin.keys.scopesHelp')}>
          <Checkbox.Group data-testid="key-scopes" options={KEY_SCOPES.map((s) => ({ value: s, label: t(`admin.keys.scope.${s}`) }))} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('admin.keys.expiresAt')} extra={t('admin.keys.expiresHelp')}>
          <DatePicker data-testid="key-expires" disabledDate={(d) => d.isBefore(dayjs(), 'day')} style={{ width: '100%' }} />
        </Form.Item>
        {issue.error && (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={issue.error} />
          </div>
        )}
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('actions.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={issue.isPending} data-testid="key-submit" data-action="write">
            {t('admin.keys.submit')}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}

/** The secret of a new key, shown this once, with a copy button. */
function SecretModal({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [messageApi, contextHolder] = message.useMessage();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      void messageApi.success(t('admin.keys.copied'));
    } catch {
      void messageApi.error(t('admin.keys.copyFailed'));
    }
  };
  return (
    <Modal
      open
      title={t('admin.keys.secretTitle')}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="key-secret-done">
          {t('admin.keys.done')}
        </Button>
      }
    >
      {contextHolder}
      <Alert type="warning" showIcon title={t('admin.keys.secretWarning')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph>
        <span id="key-secret-label">{t('admin.keys.secretLabel')}</span>
      </Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <code data-testid="key-secret" style={{ flex: 1, padding: '4px 8px', border: '1px solid #d9d9d9', borderRadius: 6, wordBreak: 'break-all', userSelect: 'all', background: '#fafafa', color: '#262626' }}>
          {secret}
        </code>
        <Button icon={<CopyOutlined />} data-testid="key-copy" onClick={() => void copy()}>
          {t('admin.keys.copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
