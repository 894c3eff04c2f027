import { DownloadOutlined, LeftOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import { unwrap, type Schemas } from '@steward/api-client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Flex, message, Select, Space, Table, Tag, Typography, type TableColumnsType, type TableProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useApi, useCan, useSession } from '../../app/session-context';
import { formatDate, formatMoney, formatNumber } from '../../lib/format';
import { EmptyState, QueryView } from '../../ui/states';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { usePageTitle } from '../../ui/usePageTitle';
import { attachmentFilename } from './import-job';
import { ImportDialog } from './ImportDialog';
import { ListFiltersBar } from './list-filters';
import { usePartnerNames, useUserNames } from './list-people';
import {
  activeFilterCount,
  clearFilters,
  columnSortOrder,
  nextPage,
  PAGE_SIZES,
  pageNumber,
  parseListState,
  previousPage,
  sortFromTable,
  toExportQuery,
  toListQuery,
  toSearchParams,
  withFilters,
  type ListFilters,
  type ListState,
} from './list-state';
import { TierBadge } from './list-tier';

type Account = Schemas['Account'];

/** Saves a downloaded body as a file. */
function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function AccountsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  usePageTitle(t('accounts.title'));
  const api = useApi();
  const can = useCan();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseListState(params), [params]);
  const [importOpen, setImportOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [messages, messageHolder] = message.useMessage();
  const users = useUserNames();
  const partners = usePartnerNames();

  // Every change starts from the URL as it is now, not as a render saw it: a debounced text filter,
  // or a handler antd's Table kept from an earlier render, may apply after another change (and
  // react-router's functional setSearchParams hands over the params of the render it came from).
  const update = (change: (current: ListState) => ListState) => setParams(toSearchParams(change(parseListState(new URLSearchParams(window.location.search)))));
  const setFilters = (patch: Partial<ListFilters>) => update((s) => withFilters(s, patch));

  const query = toListQuery(state);
  const list = useQuery({
    queryKey: ['accounts', 'list', query],
    queryFn: () => unwrap(api.GET('/v1/accounts', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const { data, error, response } = await api.GET('/v1/accounts:export', { params: { query: toExportQuery(state) }, parseAs: 'blob' });
      if (!response.ok || !data) {
        await unwrap(Promise.resolve({ data: undefined, error, response }));
        throw new Error(`HTTP ${response.status}`);
      }
      const blob = data instanceof Blob ? data : new Blob([String(data)], { type: 'text/csv' });
      saveFile(blob, attachmentFilename(response.headers.get('content-disposition'), 'accounts.csv'));
      void messages.success(t('accounts.export.done'));
    } catch (err) {
      setExportError(err);
      void messages.error(t('accounts.export.failed'));
    } finally {
      setExporting(false);
    }
  };

  const userName = (id: string | null) => {
    if (!id) return '—';
    const user = users.byId.get(id);
    if (user) return user.name;
    if (session && id === session.user.id) return session.user.name;
    return '—';
  };

  const columns: TableColumnsType<Account> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('accounts.table.name'),
      sorter: true,
      sortOrder: columnSortOrder(state.sort, 'name'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      render: (_: unknown, a: Account) => (
        <Space size={4} wrap>
          <Link to={`/accounts/${a.id}`} data-testid="account-link">
            {a.name}
          </Link>
          {a.strategic && <Tag>{t('accounts.table.strategic')}</Tag>}
          {a.highPotential && <Tag>{t('accounts.table.highPotential')}</Tag>}
          {a.deletedAt && <Tag>{t('accounts.table.deleted')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'tier',
      title: t('accounts.table.tier'),
      width: 110,
      render: (_: unknown, a: Account) => <TierBadge tier={a.tier} computedTier={a.computedTier} pinned={!!a.tierOverride} />,
    },
    { key: 'lifecycle', title: t('accounts.table.lifecycle'), render: (_: unknown, a: Account) => t(`lifecycle.${a.lifecycle}`) },
    {
      key: 'leadChannel',
      title: t('accounts.table.leadChannel'),
      render: (_: unknown, a: Account) => {
        const partner = a.leadPartnerId ? partners.byId.get(a.leadPartnerId) : undefined;
        return (
          <>
            {t(`leadChannel.${a.leadChannel}`)}
            {partner && (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {t('accounts.table.via', { partner: partner.name })}
              </Typography.Text>
            )}
          </>
        );
      },
    },
    { key: 'region', title: t('accounts.table.region'), render: (_: unknown, a: Account) => a.region || '—' },
    { key: 'industry', title: t('accounts.table.industry'), render: (_: unknown, a: Account) => a.industry || '—' },
    {
      key: 'revenue12m',
      dataIndex: 'revenue12m',
      title: t('accounts.table.revenue12m'),
      align: 'right',
      sorter: true,
      sortOrder: columnSortOrder(state.sort, 'revenue12m'),
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (_: unknown, a: Account) => formatMoney(a.revenue12m, a.currency, lang),
    },
    { key: 'csm', title: t('accounts.table.csm'), render: (_: unknown, a: Account) => userName(a.csmId) },
    {
      key: 'createdAt',
      dataIndex: 'createdAt',
      title: t('accounts.table.createdAt'),
      sorter: true,
      sortOrder: columnSortOrder(state.sort, 'createdAt'),
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (_: unknown, a: Account) => formatDate(a.createdAt, lang),
    },
  ];

  const onTableChange: TableProps<Account>['onChange'] = (_pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const sort = sortFromTable(s?.columnKey ?? s?.field, s?.order);
    update((s) => (s.sort === sort ? s : withFilters(s, { sort })));
  };

  const filtered = activeFilterCount(state) > 0;
  const page = pageNumber(state);

  return (
    <>
      {messageHolder}
      <Flex justify="space-between" align="flex-start" wrap gap={12} style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0, marginBottom: 4 }}>
            {t('accounts.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('accounts.subtitle')}</Typography.Text>
        </div>
        <Space wrap>
          {can('exportAccounts') && (
            <Button data-testid="export" icon={<DownloadOutlined aria-hidden />} loading={exporting} onClick={() => void exportCsv()}>
              {t('accounts.export.button')}
            </Button>
          )}
          {can('importAccounts') && (
            <Button data-testid="import-open" data-action="write" type="primary" icon={<UploadOutlined aria-hidden />} onClick={() => setImportOpen(true)}>
              {t('accounts.import.open')}
            </Button>
          )}
        </Space>
      </Flex>

      {exportError != null && (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert error={exportError} />
        </div>
      )}

      <ListFiltersBar
        state={state}
        onChange={setFilters}
        onClear={() => update(clearFilters)}
        users={users.users}
        usersListed={users.enabled}
        partners={partners.partners}
        partnersListed={partners.enabled}
      />

      <QueryView query={list} rows={8}>
        {(data) => (
          <>
            <Table<Account>
              data-testid="accounts-table"
              aria-label={t('accounts.table.label')}
              rowKey="id"
              columns={columns}
              dataSource={data.items}
              loading={list.isFetching && list.isPlaceholderData}
              pagination={false}
              onChange={onTableChange}
              scroll={{ x: 'max-content' }}
              showSorterTooltip={false}
              locale={{
                emptyText: (
                  <EmptyState description={filtered ? t('accounts.table.empty') : t('accounts.table.emptyAll')}>
                    {filtered && <Button onClick={() => update(clearFilters)}>{t('accounts.filters.clear')}</Button>}
                  </EmptyState>
                ),
              }}
            />
            <nav aria-label={t('accounts.paging.label')}>
              <Flex justify="space-between" align="center" wrap gap={12} style={{ marginTop: 16 }}>
                <Typography.Text type="secondary" data-testid="page-info">
                  {t('accounts.paging.page', { page: formatNumber(page, lang) })} · {t('accounts.paging.shown', { count: data.items.length })}
                </Typography.Text>
                <Space wrap>
                  <Select<number>
                    aria-label={t('accounts.paging.pageSize')}
                    data-testid="page-size"
                    value={state.pageSize}
                    onChange={(pageSize) => update((s) => withFilters(s, { pageSize }))}
                    options={PAGE_SIZES.map((n) => ({ value: n, label: t('accounts.paging.perPage', { count: n }) }))}
                    style={{ width: 130 }}
                  />
                  <Button data-testid="page-prev" icon={<LeftOutlined aria-hidden />} disabled={page <= 1} onClick={() => update(previousPage)}>
                    {t('accounts.paging.previous')}
                  </Button>
                  <Button data-testid="page-next" icon={<RightOutlined aria-hidden />} iconPlacement="end" disabled={!data.nextCursor} onClick={() => {
                      const next = data.nextCursor;
                      if (next) update((s) => nextPage(s, next));
                    }}>
                    {t('accounts.paging.next')}
                  </Button>
                </Space>
              </Flex>
            </nav>
          </>
        )}
      </QueryView>

      {can('importAccounts') && importOpen && <ImportDialog open={importOpen} onClose={() => setImportOpen(false)} />}
    </>
  );
}
