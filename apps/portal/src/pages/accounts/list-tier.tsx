import { PushpinOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

/** A tier as a plain text badge ("Tier 1"), with a pin when it was set by hand. */
export function TierBadge({ tier, computedTier, pinned }: { tier: 1 | 2 | 3; computedTier?: 1 | 2 | 3; pinned?: boolean }) {
  const { t } = useTranslation();
  const label = t(`tier.t${tier}`);
  if (!pinned) return <Tag style={{ marginInlineEnd: 0 }}>{label}</Tag>;
  const title = t('accounts.table.pinnedTitle', { tier: computedTier ? t(`tier.t${computedTier}`) : '—' });
  return (
    <Tooltip title={title}>
      <Tag style={{ marginInlineEnd: 0 }} icon={<PushpinOutlined aria-label={t('accounts.table.pinned')} />}>
        {label}
      </Tag>
    </Tooltip>
  );
}
