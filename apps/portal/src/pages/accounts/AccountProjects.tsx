import { unwrap, type Schemas } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/session-context';
import { formatDate } from '../../lib/format';
import { EmptyState, QueryView } from '../../ui/states';
import { usePartnerName } from './account-lookups';

type Project = Schemas['Project'];

function PartnerName({ id }: { id: string | null }) {
  return <>{usePartnerName(id)}</>;
}

/** The installed base: the account's projects and product purchases. */
export function AccountProjects({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const query = useQuery({
    queryKey: ['account', accountId, 'projects'],
    queryFn: () => unwrap(api.GET('/v1/accounts/{id}/projects', { params: { path: { id: accountId } } })),
  });
  const code = (area: string, value: string) => (i18n.exists(`account.${area}.${value}`) ? t(`account.${area}.${value}`) : t(`account.${area}.unknown`));

  return (
    <Card
      title={
        <Typography.Title level={2} id="projects-title" style={{ fontSize: 16, margin: 0 }}>
          {t('account.projects.title')}
        </Typography.Title>
      }
    >
      <QueryView query={query}>
        {(list) => (
          <section data-testid="projects-table" aria-labelledby="projects-title">
            <Table<Project>
              rowKey="id"
              size="small"
              dataSource={list.items}
              pagination={{ hideOnSinglePage: true, pageSize: 20 }}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <EmptyState description={t('account.projects.empty')} /> }}
              columns={[
                { key: 'name', title: t('account.projects.name'), dataIndex: 'name' },
                { key: 'kind', title: t('account.projects.kind'), render: (_, p) => code('projectKind', p.kind) },
                { key: 'size', title: t('account.projects.size'), render: (_, p) => code('projectSize', p.size) },
                { key: 'lead', title: t('account.projects.lead'), render: (_, p) => code('projectLead', p.lead) },
                { key: 'partner', title: t('account.projects.partner'), render: (_, p) => <PartnerName id={p.partnerId} /> },
                { key: 'status', title: t('account.projects.status'), render: (_, p) => code('projectStatus', p.status) },
                { key: 'goLive', title: t('account.projects.goLive'), render: (_, p) => formatDate(p.goLiveDate, i18n.language) },
              ]}
            />
          </section>
        )}
      </QueryView>
    </Card>
  );
}
