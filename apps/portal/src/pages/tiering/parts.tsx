// Small pieces the tiering page and the overview share.
import { Typography } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { tierReason } from './ranking';

/** Read by screen readers, not shown (a table's caption when a card title already says it). */
export const SR_ONLY: CSSProperties = { position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0 };

/** A card's title as a section heading (the page's own title is the only h1). */
export function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
      {children}
    </Typography.Title>
  );
}

/** A tier (or tier-change) reason in words; a person's own text (an override's reason) is shown as written. */
export function ReasonText({ reason }: { reason: string }) {
  const { t } = useTranslation();
  const r = tierReason(reason);
  if (r.key) return <>{t(`tiering.reason.${r.key}`, { text: r.text ?? '' })}</>;
  return <>{r.text}</>;
}
