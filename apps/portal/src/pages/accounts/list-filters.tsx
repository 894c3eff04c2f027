import { CloseCircleFilled, SearchOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Input, Radio, Select, Typography } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session-context';
import type { Partner, User } from './list-people';
import { activeFilterCount, LEAD_CHANNELS, LIFECYCLES, TIERS, type Flag, type LeadChannel, type Lifecycle, type ListFilters, type ListState, type Tier } from './list-state';

const DEBOUNCE_MS = 350;

/**
 * A text filter that applies itself a moment after typing stops (or at once on Enter), and
 * follows the URL when it changes elsewhere (back button, "clear filters").
 */
function DebouncedText({ value, onCommit, label, placeholder, maxLength, testId, prefix, width }: { value: string | undefined; onCommit: (value: string | undefined) => void; label: string; placeholder: string; maxLength: number; testId?: string; prefix?: ReactNode; width: number }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value ?? '');
  const [synced, setSynced] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  if (value !== synced) {
    // The URL changed: show its value unless it is what is being typed.
    setSynced(value);
    if ((value ?? '') !== draft.trim()) setDraft(value ?? '');
  }
  useEffect(() => () => clearTimeout(timer.current), []);
  const commit = (text: string) => {
    clearTimeout(timer.current);
    const v = text.trim() || undefined;
    if (v !== value) onCommit(v);
  };
  return (
    <Input
      value={draft}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => commit(text), DEBOUNCE_MS);
      }}
      onPressEnter={() => commit(draft)}
      onBlur={() => commit(draft)}
      aria-label={label}
      placeholder={placeholder}
      maxLength={maxLength}
      data-testid={testId}
      prefix={prefix}
      allowClear={{ clearIcon: <CloseCircleFilled aria-label={t('actions.reset')} /> }}
      onClear={() => commit('')}
      style={{ width }}
    />
  );
}

/** The people a select offers: the listed users, else the signed-in user; a chosen id not among them still shows. */
function peopleOptions(users: User[], current: string | undefined, self: { id: string; name: string } | undefined, someoneElse: string) {
  const options = users.length ? users.map((u) => ({ value: u.id, label: u.name })) : self ? [{ value: self.id, label: self.name }] : [];
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: someoneElse });
  return options;
}

export interface ListFiltersProps {
  state: ListState;
  onChange: (patch: Partial<ListFilters>) => void;
  onClear: () => void;
  users: User[];
  usersListed: boolean;
  partners: Partner[];
  partnersListed: boolean;
}

export function ListFiltersBar({ state, onChange, onClear, users, usersListed, partners, partnersListed }: ListFiltersProps) {
  const { t } = useTranslation();
  const session = useSession();
  const self = session ? { id: session.user.id, name: session.user.name } : undefined;
  const isCsm = session?.user.role === 'csm';
  const active = activeFilterCount(state);
  const flagOptions = [
    { value: 'true', label: t('yesNo.yes') },
    { value: 'false', label: t('yesNo.no') },
  ];
  const showOwner = usersListed || !!state.ownerId;
  const showCsm = usersListed || isCsm || !!state.csmId;
  const showPartner = partnersListed || !!state.leadPartnerId;
  const partnerOptions = partners.map((p) => ({ value: p.id, label: p.name }));
  if (state.leadPartnerId && !partnerOptions.some((o) => o.value === state.leadPartnerId)) partnerOptions.push({ value: state.leadPartnerId, label: t('accounts.filters.somePartner') });

  return (
    <section aria-label={t('accounts.filters.label')} style={{ marginBottom: 16 }}>
      <Flex wrap gap={12} align="center">
        <DebouncedText
          value={state.q}
          onCommit={(q) => onChange({ q })}
          label={t('accounts.filters.search')}
          placeholder={t('accounts.filters.searchPlaceholder')}
          maxLength={200}
          testId="accounts-search"
          prefix={<SearchOutlined aria-hidden />}
          width={260}
        />
        <Flex align="center" gap={8}>
          <Typography.Text id="accounts-filter-tier-label">{t('accounts.filters.tier')}</Typography.Text>
          <Radio.Group
            data-testid="filter-tier"
            aria-labelledby="accounts-filter-tier-label"
            optionType="button"
            value={state.tier ?? ''}
            onChange={(e) => onChange({ tier: (e.target.value as Tier | '') || undefined })}
            options={[{ value: '', label: t('accounts.filters.allTiers') }, ...TIERS.map((tier) => ({ value: tier, label: t(`tier.t${tier}`) }))]}
          />
        </Flex>
        <Select<Lifecycle>
          data-testid="filter-lifecycle"
          aria-label={t('accounts.filters.lifecycle')}
          placeholder={t('accounts.filters.anyLifecycle')}
          allowClear
          value={state.lifecycle}
          onChange={(lifecycle) => onChange({ lifecycle: lifecycle ?? undefined })}
          options={LIFECYCLES.map((l) => ({ value: l, label: t(`lifecycle.${l}`) }))}
          style={{ width: 190 }}
        />
        <Select<LeadChannel>
          data-testid="filter-lead-channel"
          aria-label={t('accounts.filters.leadChannel')}
          placeholder={t('accounts.filters.anyLeadChannel')}
          allowClear
          value={state.leadChannel}
          onChange={(leadChannel) => onChange({ leadChannel: leadChannel ?? undefined })}
          options={LEAD_CHANNELS.map((c) => ({ value: c, label: t(`leadChannel.${c}`) }))}
          style={{ width: 170 }}
        />
        <DebouncedText value={state.region} onCommit={(region) => onChange({ region })} label={t('accounts.filters.region')} placeholder={t('accounts.filters.regionPlaceholder')} maxLength={100} testId="filter-region" width={140} />
        <DebouncedText value={state.industry} onCommit={(industry) => onChange({ industry })} label={t('accounts.filters.industry')} placeholder={t('accounts.filters.industryPlaceholder')} maxLength={100} testId="filter-industry" width={160} />
        {showOwner && (
          <Select<string>
            data-testid="filter-owner"
            aria-label={t('accounts.filters.owner')}
            placeholder={t('accounts.filters.anyOwner')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={state.ownerId}
            onChange={(ownerId) => onChange({ ownerId: ownerId ?? undefined })}
            options={peopleOptions(usersListed ? users : [], state.ownerId, undefined, t('accounts.filters.someoneElse'))}
            style={{ width: 190 }}
          />
        )}
        {showCsm && (
          <Select<string>
            data-testid="filter-csm"
            aria-label={t('accounts.filters.csm')}
            placeholder={t('accounts.filters.anyCsm')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={state.csmId}
            onChange={(csmId) => onChange({ csmId: csmId ?? undefined })}
            options={peopleOptions(usersListed ? users : [], state.csmId, isCsm ? self : undefined, t('accounts.filters.someoneElse'))}
            style={{ width: 210 }}
          />
        )}
        {showPartner && (
          <Select<string>
            data-testid="filter-partner"
            aria-label={t('accounts.filters.partner')}
            placeholder={t('accounts.filters.anyPartner')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={state.leadPartnerId}
            onChange={(leadPartnerId) => onChange({ leadPartnerId: leadPartnerId ?? undefined })}
            options={partnerOptions}
            style={{ width: 190 }}
          />
        )}
        <Select<Flag>
          data-testid="filter-strategic"
          aria-label={t('accounts.filters.strategic')}
          placeholder={`${t('accounts.filters.strategic')}: ${t('accounts.filters.any')}`}
          allowClear
          value={state.strategic}
          onChange={(strategic) => onChange({ strategic: strategic ?? undefined })}
          options={flagOptions.map((o) => ({ ...o, label: `${t('accounts.filters.strategic')}: ${o.label}` }))}
          style={{ width: 160 }}
        />
        <Select<Flag>
          data-testid="filter-high-potential"
          aria-label={t('accounts.filters.highPotential')}
          placeholder={`${t('accounts.filters.highPotential')}: ${t('accounts.filters.any')}`}
          allowClear
          value={state.highPotential}
          onChange={(highPotential) => onChange({ highPotential: highPotential ?? undefined })}
          options={flagOptions.map((o) => ({ ...o, label: `${t('accounts.filters.highPotential')}: ${o.label}` }))}
          style={{ width: 180 }}
        />
        <Checkbox data-testid="filter-deleted" checked={!!state.includeDeleted} onChange={(e) => onChange({ includeDeleted: e.target.checked || undefined })}>
          {t('accounts.filters.includeDeleted')}
        </Checkbox>
        {active > 0 && (
          <Button data-testid="filters-clear" onClick={onClear}>
            {t('accounts.filters.clear')} ({t('accounts.filters.active', { count: active })})
          </Button>
        )}
      </Flex>
    </section>
  );
}
