import { unwrap, type Schemas } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/session-context';
import { Chart, type ChartOption } from '../../ui/Chart';
import { EmptyState, QueryView } from '../../ui/states';
import { buildGraph, contactRows, flatten, type ContactRow } from './account-graph';

type StakeholderMap = Schemas['StakeholderMap'];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Colours per buying role (the graph's categories, same order as BUYING_ROLES, then `other`). */
const ROLE_COLOURS = ['#1d39c4', '#08979c', '#389e0d', '#d48806', '#8c8c8c', '#cf1322', '#531dab'];
const HIDDEN_BORDER = '#c41d7f';

/** The stakeholder map: the reporting lines as a graph, the gaps the API finds, and the contacts. */
export function AccountStakeholders({ accountId, accountName }: { accountId: string; accountName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const query = useQuery({
    queryKey: ['account', accountId, 'stakeholder-map'],
    queryFn: () => unwrap(api.GET('/v1/accounts/{id}/stakeholder-map', { params: { path: { id: accountId } } })),
  });

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {t('account.stakeholders.title')}
        </Typography.Title>
      }
    >
      <QueryView query={query}>{(map) => <StakeholderContent map={map} accountName={accountName} />}</QueryView>
    </Card>
  );
}

function StakeholderContent({ map, accountName }: { map: StakeholderMap; accountName: string }) {
  const { t, i18n } = useTranslation();
  const { roleLabel, influenceLabel } = useMemo(
    () => ({
      roleLabel: (role: string) => (i18n.exists(`account.buyingRole.${role}`) ? t(`account.buyingRole.${role}`) : t('account.buyingRole.other')),
      influenceLabel: (level: string) => (i18n.exists(`account.influence.${level}`) ? t(`account.influence.${level}`) : t('account.influence.unknown')),
    }),
    [t, i18n],
  );
  const rows = useMemo(() => contactRows(map.roots, map.gaps), [map]);
  const names = useMemo(() => new Map(flatten(map.roots).map((n) => [n.id, n.name])), [map]);
  const graph = useMemo(() => buildGraph(map.roots, map.gaps), [map]);

  const option = useMemo<ChartOption>(() => {
    const categories = graph.categories.map((c, i) => ({ name: roleLabel(c), itemStyle: { color: ROLE_COLOURS[i % ROLE_COLOURS.length] } }));
    const yes = t('yesNo.yes');
    const no = t('yesNo.no');
    return {
      tooltip: {
        formatter: (p: { dataType?: string; data?: { name?: string; buyingRole?: string; influence?: string; engaged?: boolean; highlighted?: boolean } }) => {
          if (p.dataType !== 'node' || !p.data) return '';
          const d = p.data;
          return [
            `<strong>${escapeHtml(d.name ?? '')}</strong>`,
            escapeHtml(t('account.stakeholders.tooltipRole', { role: roleLabel(d.buyingRole ?? '') })),
            escapeHtml(t('account.stakeholders.tooltipInfluence', { influence: influenceLabel(d.influence ?? '') })),
            escapeHtml(t('account.stakeholders.tooltipEngaged', { engaged: d.engaged ? yes : no })),
            ...(d.highlighted ? [`<strong>${escapeHtml(t('account.stakeholders.tooltipHidden'))}</strong>`] : []),
          ].join('<br/>');
        },
      },
      legend: { data: categories.map((c) => c.name), bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          // Node sizes say influence: they must not change with the fit or the zoom.
          nodeScaleRatio: 0,
          // Circles stay circles: the tree is fitted into the box without stretching it.
          preserveAspect: true,
          top: 40,
          bottom: 90,
          left: 60,
          right: 60,
          categories,
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 8,
          lineStyle: { color: '#8c8c8c', width: 1.5 },
          label: { show: true, position: 'bottom', fontSize: 12, color: '#262626' },
          emphasis: { focus: 'adjacency' },
          data: graph.nodes.map((n) => ({
            ...n,
            itemStyle: n.highlighted
              ? { borderColor: HIDDEN_BORDER, borderWidth: 5, borderType: n.engaged ? 'solid' : 'dashed' }
              : { borderColor: n.engaged ? '#262626' : '#bfbfbf', borderWidth: n.engaged ? 3 : 1, borderType: n.engaged ? 'solid' : 'dashed' },
          })),
          links: graph.links,
        },
      ],
    };
  }, [graph, t, roleLabel, influenceLabel]);

  const total = rows.length;
  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} xl={15}>
        {total === 0 ? (
          <div data-testid="stakeholder-graph">
            <EmptyState description={t('account.stakeholders.empty')} />
          </div>
        ) : (
          <>
            <Chart testId="stakeholder-graph" option={option} height={Math.max(360, 120 + graph.nodes.reduce((m, n) => Math.max(m, n.y), 0) + 80)} label={t('account.stakeholders.graphLabel', { count: total, name: accountName })} />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('account.stakeholders.engaged', { engaged: map.engagedContacts, total })} · {t('account.stakeholders.legendEngaged')} · {t('account.stakeholders.legendHidden')}
            </Typography.Paragraph>
          </>
        )}
      </Col>
      <Col xs={24} xl={9}>
        <section data-testid="stakeholder-gaps" aria-labelledby="stakeholder-gaps-title">
          <Typography.Title level={3} id="stakeholder-gaps-title" style={{ fontSize: 14 }}>
            {t('account.stakeholders.gapsTitle')}
          </Typography.Title>
          {map.gaps.length === 0 ? (
            <Alert type="success" showIcon title={t('account.stakeholders.noGaps')} />
          ) : (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {map.gaps.map((gap) => {
                const known = i18n.exists(`account.gap.${gap.code}.title`);
                const who = gap.contactIds.map((id) => names.get(id)).filter((n): n is string => !!n);
                return (
                  <Alert
                    key={gap.code}
                    data-gap={gap.code}
                    type={gap.code === 'blocker-unaddressed' || gap.code === 'no-decision-maker' ? 'error' : 'warning'}
                    showIcon
                    title={t(known ? `account.gap.${gap.code}.title` : 'account.gap.unknown.title')}
                    description={
                      <>
                        <div>{t(known ? `account.gap.${gap.code}.text` : 'account.gap.unknown.text')}</div>
                        {who.length > 0 && <div>{t('account.stakeholders.gapContacts', { names: who.join(', ') })}</div>}
                      </>
                    }
                  />
                );
              })}
            </Space>
          )}
        </section>
      </Col>
      <Col span={24}>
        <section data-testid="contacts-table" aria-labelledby="contacts-table-title">
          <Typography.Title level={3} id="contacts-table-title" style={{ fontSize: 14 }}>
            {t('account.stakeholders.contactsTitle')}
          </Typography.Title>
          <Table<ContactRow>
            rowKey="id"
            size="small"
            dataSource={rows}
            pagination={{ hideOnSinglePage: true, pageSize: 20 }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <EmptyState description={t('account.stakeholders.empty')} /> }}
            columns={[
              {
                key: 'name',
                title: t('account.contacts.name'),
                render: (_, r) => (
                  <Space size={4} wrap>
                    <span style={{ paddingInlineStart: r.depth * 12 }}>{r.name}</span>
                    {r.hiddenInfluencer && <Tag>{t('account.contacts.hidden')}</Tag>}
                  </Space>
                ),
              },
              { key: 'title', title: t('account.contacts.title'), render: (_, r) => r.title ?? '—' },
              { key: 'department', title: t('account.contacts.department'), render: (_, r) => r.department ?? '—' },
              { key: 'buyingRole', title: t('account.contacts.buyingRole'), render: (_, r) => roleLabel(r.buyingRole) },
              { key: 'influence', title: t('account.contacts.influence'), render: (_, r) => influenceLabel(r.influence) },
              { key: 'engaged', title: t('account.contacts.engaged'), render: (_, r) => (r.engaged ? t('yesNo.yes') : t('yesNo.no')) },
              { key: 'reportsTo', title: t('account.contacts.reportsTo'), render: (_, r) => r.reportsTo ?? '—' },
            ]}
          />
        </section>
      </Col>
    </Row>
  );
}
