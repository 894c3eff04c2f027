import { unwrap, type Schemas } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi, useCan } from '../../app/session-context';
import { formatDateTime, formatNumber } from '../../lib/format';
import { EmptyState, QueryView } from '../../ui/states';
import { usePageTitle } from '../../ui/usePageTitle';
import { actionKey, changedFields, ENTITY_TYPES, entityTypeKey, isUuid, namesById, parseActor, parseAuditFilters, withFilter } from './admin-labels';
import { usePaged } from './usePaged';

type AuditEntry = Schemas['AuditEntry'];

const ALL = 'all';
const short = (id: string) => id.slice(0, 8);

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filters = parseAuditFilters(params);
  const [idDraft, setIdDraft] = useState(params.get('entityId') ?? '');
  usePageTitle(t('admin.audit.title'));

  const entries = usePaged<AuditEntry>(['admin', 'audit', filters.entityType ?? '', filters.entityId ?? ''], (cursor) =>
    unwrap(api.GET('/v1/audit-log', { params: { query: { limit: 50, cursor, entityType: filters.entityType, entityId: filters.entityId } } })),
  );
  // Names of the users who acted (admins may list users); ids stand in for the rest.
  const users = useQuery({
    queryKey: ['admin', 'users', 'names'],
    queryFn: () => unwrap(api.GET('/v1/users', { params: { query: { limit: 200 } } })),
    enabled: can('listUsers'),
  });
  // Partner names likewise (every role may list partners).
  const partners = useQuery({
    queryKey: ['admin', 'partners', 'names'],
    queryFn: () => unwrap(api.GET('/v1/partners', { params: { query: { limit: 200 } } })),
    enabled: can('listPartners'),
  });
  const names = useMemo(() => namesById([...(users.data?.items ?? []), ...(partners.data?.items ?? [])]), [users.data, partners.data]);

  const setEntityId = (value: string) => {
    setIdDraft(value);
    const v = value.trim();
    // A UUID or nothing applies at once (the API refuses anything else); the rest waits, with a hint.
    if (v === '' || isUuid(v)) setParams(withFilter(params, 'entityId', v), { replace: true });
  };
  const draftInvalid = idDraft.trim() !== '' && !isUuid(idDraft.trim());

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('admin.audit.when'), dataIndex: 'at', render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(at, i18n.language)}</span> },
    {
      title: t('admin.audit.actorLabel'),
      dataIndex: 'actor',
      render: (actor: string) => {
        const a = parseActor(actor);
        const name = a.kind === 'user' && a.id ? names.get(a.id) : undefined;
        return (
          <Space size={4} wrap>
            <span>{t(`admin.audit.actor.${a.kind}`)}</span>
            {name ? <strong>{name}</strong> : a.id && a.kind !== 'other' ? <Typography.Text type="secondary" title={a.id}>{short(a.id)}</Typography.Text> : null}
          </Space>
        );
      },
    },
    { title: t('admin.audit.actionLabel'), dataIndex: 'action', render: (action: string) => t(actionKey(action)) },
    {
      title: t('admin.audit.entityLabel'),
      key: 'entity',
      render: (_: unknown, e) => {
        const name = e.entityType === 'user' || e.entityType === 'partner' ? names.get(e.entityId) : undefined;
        const type = t(entityTypeKey(e.entityType));
        const filtered = filters.entityId === e.entityId;
        return (
          <Space size={4} wrap>
            <span>{type}</span>
            {name && <strong>{name}</strong>}
            {filtered ? (
              <Typography.Text code title={e.entityId}>
                {short(e.entityId)}
              </Typography.Text>
            ) : (
              <Button type="link" size="small" style={{ paddingInline: 0, textDecoration: 'underline' }} title={e.entityId} aria-label={t('admin.audit.historyOf', { type, id: short(e.entityId) })} data-testid="audit-entity-link" onClick={() => setEntityId(e.entityId)}>
                <code>{short(e.entityId)}</code>
              </Button>
            )}
          </Space>
        );
      },
    },
    {
      title: t('admin.audit.changed'),
      key: 'changed',
      render: (_: unknown, e) => {
        const fields = changedFields(e.before, e.after);
        return fields.length ? fields.join(', ') : <Typography.Text type="secondary">{t('admin.audit.none')}</Typography.Text>;
      },
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ marginTop: 0 }}>
        {t('admin.audit.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.audit.intro')}</Typography.Paragraph>
      <section aria-label={t('admin.audit.filters')} style={{ marginBottom: 16 }}>
        <Form layout="inline" onSubmitCapture={(e) => e.preventDefault()}>
          <Form.Item label={t('admin.audit.entityType')} htmlFor="audit-entity-type">
            <Select
              id="audit-entity-type"
              data-testid="audit-entity-type"
              style={{ minWidth: 180 }}
              value={filters.entityType ?? ALL}
              onChange={(v: string) => setParams(withFilter(params, 'entityType', v === ALL ? undefined : v), { replace: true })}
              options={[{ value: ALL, label: t('admin.audit.entityTypeAll') }, ...Object.keys(ENTITY_TYPES).map((type) => ({ value: type, label: t(entityTypeKey(type)) }))]}
            />
          </Form.Item>
          <Form.Item label={t('admin.audit.entityId')} htmlFor="audit-entity-id" validateStatus={draftInvalid ? 'warning' : undefined}>
            <Input id="audit-entity-id" data-testid="audit-entity-id" style={{ width: 340 }} allowClear value={idDraft} placeholder={t('admin.audit.entityIdPlaceholder')} onChange={(e) => setEntityId(e.target.value)} autoComplete="off" />
          </Form.Item>
          {(filters.entityType || filters.entityId || idDraft) && (
            <Form.Item>
              <Button
                onClick={() => {
                  setIdDraft('');
                  setParams(new URLSearchParams(), { replace: true });
                }}
              >
                {t('admin.audit.clear')}
              </Button>
            </Form.Item>
          )}
        </Form>
        {draftInvalid && <Alert style={{ marginTop: 8 }} type="warning" showIcon title={t('admin.audit.entityIdInvalid')} />}
      </section>
      <QueryView query={entries}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState description={t('admin.audit.empty')} />
          ) : (
            <div aria-label={t('admin.audit.tableLabel')} role="region">
              <Table<AuditEntry> data-testid="audit-table" rowKey="id" columns={columns} dataSource={items} pagination={false} scroll={{ x: true }} />
              <Space style={{ width: '100%', justifyContent: 'center', marginTop: 16 }}>
                <Typography.Text type="secondary">{t('admin.audit.shown', { n: formatNumber(items.length, i18n.language) })}</Typography.Text>
                {entries.hasMore && (
                  <Button onClick={entries.loadMore} loading={entries.loadingMore} data-testid="audit-more">
                    {t('admin.common.loadMore')}
                  </Button>
                )}
              </Space>
            </div>
          )
        }
      </QueryView>
    </>
  );
}
