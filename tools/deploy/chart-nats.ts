/**
 * `node dist/tools/deploy/chart-nats.js`: writes helm/steward/files/nats-permissions.json,
 * the least-privilege permissions of every NATS client (each service and the gateway) as
 * libs/messaging computes them from libs/contracts nats-access.ts, for the chart to render
 * the NATS users (ADR 11) without running code. The chart assumes no subject prefix.
 * `tools/deploy/chart.spec.ts` fails when the file and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { NatsAccess, natsAccess } from '@steward/contracts';
import { natsPermissions, NatsPermissions } from '@steward/messaging';
import { findRepoRoot } from '../stack/config';

export const CHART_NATS_PERMISSIONS = 'helm/steward/files/nats-permissions.json';

/** Every client's permissions, by name (sorted), for prefix ''. */
export function chartNatsPermissions(access: Record<string, NatsAccess> = natsAccess()): Record<string, NatsPermissions> {
  return Object.fromEntries(
    Object.keys(access)
      .sort()
      .map((name) => [name, natsPermissions(name, access[name]!, '')]),
  );
}

export const chartNatsPermissionsText = (access?: Record<string, NatsAccess>): string => `${JSON.stringify(chartNatsPermissions(access), null, 2)}\n`;

if (require.main === module) {
  const file = path.join(findRepoRoot(__dirname), CHART_NATS_PERMISSIONS);
  writeFileSync(file, chartNatsPermissionsText());
  console.log(`chart-nats: wrote ${CHART_NATS_PERMISSIONS} (${Object.keys(natsAccess()).join(', ')})`);
}
