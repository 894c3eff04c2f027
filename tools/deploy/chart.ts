/**
 * Renders helm/steward with real Helm (tools/deploy/helm.ts) and validates every rendered
 * object against the Kubernetes API schemas offline (kubernetes-models: Kubernetes 1.33;
 * @kubernetes-models/prometheus-operator for ServiceMonitor and PrometheusRule).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findRepoRoot } from '../stack/config';
import { helmTools } from './helm';

export const CHART_DIR = 'helm/steward';

/** A rendered Kubernetes object, loosely typed (tests read what they assert). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> };

export interface RenderOptions {
  /** Values files, relative to the chart (e.g. `examples/production.yaml`). */
  values?: string[];
  /** `--set` pairs. */
  set?: Record<string, string | number | boolean>;
  release?: string;
  namespace?: string;
  /** Another chart folder (e.g. a generated workspace copy's). */
  chartDir?: string;
}

function helmArgs(command: string[], o: RenderOptions, chart: string): string[] {
  const args = [...command];
  for (const v of o.values ?? []) args.push('-f', path.join(chart, v));
  for (const [k, v] of Object.entries(o.set ?? {})) args.push('--set', `${k}=${v}`);
  return args;
}

const chartPath = (o: RenderOptions) => o.chartDir ?? path.join(findRepoRoot(__dirname), CHART_DIR);

/** `helm template`: the rendered objects (hooks included). Throws Helm's message when rendering fails. */
export function renderChart(o: RenderOptions = {}): K8sObject[] {
  const chart = chartPath(o);
  const text = runHelm(helmArgs(['template', o.release ?? 'steward', chart, '--namespace', o.namespace ?? 'steward'], o, chart));
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);
}

/** `helm lint --strict`: Helm's output; throws when the chart fails. */
export function lintChart(o: RenderOptions = {}, strict = true): string {
  const chart = chartPath(o);
  return runHelm(helmArgs(['lint', chart, ...(strict ? ['--strict'] : [])], o, chart));
}

function runHelm(args: string[]): string {
  try {
    return execFileSync(helmTools().helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`helm ${args[0]} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** The kubernetes-models module of an apiVersion (`apps/v1` → kubernetes-models/apps/v1). */
function modelModule(apiVersion: string): Record<string, ModelClass> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (apiVersion === 'monitoring.coreos.com/v1') return require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1');
  return require(`kubernetes-models/${apiVersion}`);
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Schema errors of one object ('' when valid); an apiVersion/kind with no schema is an error too. */
export function schemaErrors(o: K8sObject): string {
  let Model: ModelClass | undefined;
  try {
    Model = modelModule(o.apiVersion)[o.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return `${o.kind} ${o.metadata?.name}: no schema for ${o.apiVersion} ${o.kind}`;
  try {
    new Model(o).validate();
    return '';
  } catch (err) {
    return `${o.kind} ${o.metadata.name}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
