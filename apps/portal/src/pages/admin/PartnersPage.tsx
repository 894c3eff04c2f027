import { KeyOutlined } from '@ant-design/icons';
import { unwrap, type Schemas } from '@steward/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, message, Modal, Radio, Space, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useCan } from '../../app/session-context';
import { formatDate } from '../../lib/format';
import { formPathOf, readProblem } from '../../lib/problem';
import { rulesOf } from '../../lib/rules';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { usePageTitle } from '../../ui/usePageTitle';
import { PARTNER_KINDS, problemFieldErrors } from './admin-labels';
import { ApiKeysDrawer } from './ApiKeysDrawer';
import { AdminHeader } from './AdminHeader';
import { PagedTable } from './PagedTable';
import { usePaged } from './usePaged';


type Partner = Schemas['Partner'];
type CreatePartnerBody = Schemas['CreatePartnerBody'];

export const PARTNERS_KEY = ['admin', 'partners'] as const;

export default function PartnersPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const can = useCan();
  const queryClient = useQueryClient();
  const [messageApi, contextHolder] = message.useMessage();
  const [creating, setCreating] = useState(false);
  const [keysOf, setKeysOf] = useState<Partner | null>(null);
  usePageTitle(t('admin.partners.title'));

  const partners = usePaged<Partner>(PARTNERS_KEY, (cursor) => unwrap(api.GET('/v1/partners', { params: { query: { limit: 100, cursor } } })));
  const mayListKeys = can('listApiKeys');

  const columns: TableColumnsType<Partner> = [
    { title: t('admin.partners.name'), dataIndex: 'name' },
    { title: t('admin.partners.kindLabel'), dataIndex: 'kind', render: (kind: Partner['kind']) => t(`admin.partners.kind.${kind}`) },
    { title: t('admin.partners.region'), dataIndex: 'region', render: (region: string | null) => region ?? '—' },
    { title: t('admin.partners.contactEmail'), dataIndex: 'contactEmail', render: (email: string | null) => email ?? '—' },
    { title: t('admin.partners.created'), dataIndex: 'createdAt', render: (at: string) => formatDate(at, i18n.language) },
    ...(mayListKeys
      ? [
          {
            title: t('admin.common.actions'),
            key: 'actions',
            render: (_: unknown, p: Partner) => (
              <Button size="small" icon={<KeyOutlined />} data-testid="keys-open" onClick={() => setKeysOf(p)} aria-label={t('admin.partners.keysOf', { name: p.name })}>
                {t('admin.partners.keys')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {contextHolder}
      <AdminHeader
        title={t('admin.partners.title')}
        intro={t('admin.partners.intro')}
        create={can('createPartner') ? { label: t('admin.partners.create'), testId: 'partner-create', onClick: () => setCreating(true) } : undefined}
      />
      <PagedTable<Partner> paged={partners} columns={columns} label={t('admin.partners.tableLabel')} empty={t('admin.partners.empty')} testId="partners-table" />
      {creating && (
        <CreatePartnerModal
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            void queryClient.invalidateQueries({ queryKey: PARTNERS_KEY });
            void messageApi.success(t('admin.partners.created_ok', { name: p.name }));
          }}
        />
      )}
      {keysOf && (
        <ApiKeysDrawer partner={keysOf} onClose={() => setKeysOf(null)} />
      )}
    </>
  );
}

function CreatePartnerModal({ onClose, onCreated }: { onClose: () => void; onCreated: (p: Partner) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [form] = Form.useForm<CreatePartnerBody>();
  const create = useMutation({
    mutationFn: (body: CreatePartnerBody) => unwrap(api.POST('/v1/partners', { body })),
    onSuccess: onCreated,
    onError: (error) => {
      const fields = problemFieldErrors(readProblem(error).fields, ['name', 'kind', 'region', 'contactEmail'], formPathOf);
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
    },
  });
  const submit = (v: CreatePartnerBody) => {
    const region = v.region?.trim();
    const contactEmail = v.contactEmail?.trim();
    create.mutate({ name: v.name.trim(), kind: v.kind, ...(region ? { region } : {}), ...(contactEmail ? { contactEmail } : {}) });
  };

  return (
    <Modal open title={t('admin.partners.createTitle')} onCancel={onClose} footer={null} destroyOnHidden maskClosable={false}>
      <Form<CreatePartnerBody> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t('admin.partners.name')} rules={rulesOf('CreatePartnerBody', 'name', t)}>
          <Input data-testid="partner-name" autoComplete="off" />
        </Form.Item>
        <Form.Item name="kind" label={t('admin.partners.kindLabel')} rules={rulesOf('CreatePartnerBody', 'kind', t)}>
          <Radio.Group data-testid="partner-kind" options={PARTNER_KINDS.map((k) => ({ value: k, label: t(`admin.partners.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="region" label={t('admin.partners.region')} rules={rulesOf('CreatePartnerBody', 'region', t)}>
          <Input data-testid="partner-region" autoComplete="off" />
        </Form.Item>
        <Form.Item name="contactEmail" label={t('admin.partners.contactEmail')} rules={rulesOf('CreatePartnerBody', 'contactEmail', t)}>
          <Input data-testid="partner-email" type="email" autoComplete="off" />
        </Form.Item>
        {create.error && (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={create.error} />
          </div>
        )}
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('actions.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="partner-submit" data-action="write">
            {t('admin.partners.submit')}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
