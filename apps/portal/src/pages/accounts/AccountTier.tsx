import { unwrap } from '@steward/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Descriptions, Form, Input, Modal, Radio, Space, Typography, message } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useCan, useSession } from '../../app/session-context';
import { formatDate, formatDateTime } from '../../lib/format';
import { readProblem } from '../../lib/problem';
import { rulesOf } from '../../lib/rules';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { useActorLabel, type Account } from './account-lookups';
import { mayOverrideTier } from './account-people';

const TIERS = [1, 2, 3] as const;

interface OverrideForm {
  tier: 1 | 2 | 3;
  reason: string;
  expires?: Dayjs | null;
}

/** The tier card: effective and computed tier, why, the override and the buttons to set or clear it. */
export function AccountTier({ account }: { account: Account }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const api = useApi();
  const can = useCan();
  const session = useSession();
  const queryClient = useQueryClient();
  const [messages, messageHolder] = message.useMessage();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<OverrideForm>();
  const override = account.tierOverride;
  const overrideBy = useActorLabel(override?.by);
  const may = (op: 'setTierOverride' | 'clearTierOverride') => mayOverrideTier(can(op), session?.user.role, account.csmId, session?.user.id);

  const saved = (next: Account) => {
    queryClient.setQueryData(['account', account.id], next);
    void queryClient.invalidateQueries({ queryKey: ['accounts'] });
  };

  // Someone changed the account meanwhile (412): read it again, so that a retry writes over the current version.
  const refreshWhenStale = (error: Error) => {
    if (readProblem(error).status === 412) void queryClient.invalidateQueries({ queryKey: ['account', account.id], exact: true });
  };

  const set = useMutation({
    mutationFn: (values: OverrideForm) =>
      unwrap(
        api.PUT('/v1/accounts/{id}/tier-override', {
          params: { path: { id: account.id } },
          body: { tier: values.tier, reason: values.reason.trim(), expiresAt: values.expires ? values.expires.endOf('day').toISOString() : null, expectedVersion: account.version },
        }),
      ),
    onError: refreshWhenStale,
    onSuccess: (next) => {
      saved(next);
      setOpen(false);
      void messages.success(t('account.tier.saved'));
    },
  });

  const clear = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/accounts/{id}/tier-override', { params: { path: { id: account.id }, header: { 'If-Match': `"${account.version}"` } } })),
    onError: refreshWhenStale,
    onSuccess: (next) => {
      saved(next);
      void messages.success(t('account.tier.cleared'));
    },
  });

  const reason = i18n.exists(`account.tierReason.${account.tierReason}`) ? t(`account.tierReason.${account.tierReason}`) : t('account.tierReason.unknown');

  return (
    <div data-testid="tier-card">
      {messageHolder}
      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            {t('account.tier.title')}
          </Typography.Title>
        }
        extra={
          <Space wrap>
            {may('setTierOverride') && (
              <Button
                data-testid="override-open"
                data-action="write"
                onClick={() => {
                  set.reset();
                  setOpen(true);
                }}
              >
                {t('account.tier.open')}
              </Button>
            )}
            {override && may('clearTierOverride') && (
              <Button data-testid="override-clear" data-action="write" loading={clear.isPending} onClick={() => clear.mutate()}>
                {t('account.tier.clear')}
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'effective', label: t('account.tier.effective'), children: <strong data-testid="tier-effective">{t(`tier.t${account.tier}`)}</strong> },
            { key: 'computed', label: t('account.tier.computed'), children: <span data-testid="tier-computed">{t(`tier.t${account.computedTier}`)}</span> },
            { key: 'reason', label: t('account.tier.reason'), children: <span data-testid="tier-reason">{reason}</span> },
          ]}
        />
        <Typography.Title level={3} style={{ fontSize: 14, marginTop: 16 }}>
          {t('account.tier.override')}
        </Typography.Title>
        {override ? (
          <Descriptions
            data-testid="tier-override"
            column={1}
            size="small"
            items={[
              { key: 'tier', label: t('account.tier.overrideTier'), children: t(`tier.t${override.tier}`) },
              { key: 'reason', label: t('account.tier.overrideReason'), children: override.reason },
              { key: 'by', label: t('account.tier.overrideBy'), children: overrideBy },
              { key: 'at', label: t('account.tier.overrideAt'), children: formatDateTime(override.at, locale) },
              { key: 'expires', label: t('account.tier.overrideExpires'), children: override.expiresAt ? formatDate(override.expiresAt, locale) : t('account.tier.never') },
            ]}
          />
        ) : (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('account.tier.noOverride')}
          </Typography.Paragraph>
        )}
        {clear.error && (
          <div style={{ marginTop: 12 }}>
            <ProblemAlert error={clear.error} />
          </div>
        )}
      </Card>
      <Modal
        open={open}
        title={t('account.tier.modalTitle', { name: account.name })}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>
            {t('actions.cancel')}
          </Button>,
          <Button key="submit" type="primary" data-testid="override-submit" data-action="write" loading={set.isPending} onClick={() => form.submit()}>
            {t('account.tier.submit')}
          </Button>,
        ]}
      >
        {set.error && (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={set.error} />
          </div>
        )}
        <Form<OverrideForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ tier: override?.tier ?? account.tier, reason: override?.reason ?? '', expires: override?.expiresAt ? dayjs(override.expiresAt) : null }}
          onFinish={(values) => set.mutate(values)}
        >
          <Form.Item name="tier" label={t('account.tier.tierField')} rules={rulesOf('TierOverrideBody', 'tier', t)}>
            <Radio.Group data-testid="override-tier" options={TIERS.map((tier) => ({ value: tier, label: t(`tier.t${tier}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('account.tier.reasonField')} rules={rulesOf('TierOverrideBody', 'reason', t)}>
            <Input data-testid="override-reason" maxLength={500} placeholder={t('account.tier.reasonPlaceholder')} />
          </Form.Item>
          <Form.Item name="expires" label={t('account.tier.expiresField')} extra={t('account.tier.expiresHelp')}>
            <DatePicker data-testid="override-expires" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
