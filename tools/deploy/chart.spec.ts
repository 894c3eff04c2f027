/**
 * The Helm chart, with real Helm 3.17 (tools/deploy/helm.ts): lint, template with several
 * value sets, every rendered object validated against the Kubernetes 1.33 API schemas, and
 * the properties an SRE team relies on asserted on the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadServiceConfig } from '@steward/service-kit';
import { findRepoRoot } from '../stack/config';
import { findNatsServer } from '../stack/nats';
import { SERVICES } from '../stack/services';
import { CHART_DIR, K8sObject, lintChart, renderChart, schemaErrors } from './chart';
import { CHART_NATS_PERMISSIONS, chartNatsPermissionsText } from './chart-nats';

const root = findRepoRoot(__dirname);
const chart = path.join(root, CHART_DIR);
const serviceNames = SERVICES.map((s) => s.name);

/** The smallest install against an external PostgreSQL and NATS: only what checks.yaml demands. */
const MINIMAL_EXTERNAL = {
  'postgresql.external.host': 'pg.databases.svc',
  'postgresql.external.migratorSecret.name': 'steward-db-migrator',
  'nats.external.url': 'nats://nats.nats.svc:4222',
};

const VALUE_SETS: Record<string, { values?: string[]; set?: Record<string, string | number | boolean> }> = {
  production: { values: ['examples/production.yaml'] },
  trial: { values: ['examples/trial.yaml'] },
  'minimal external': { set: MINIMAL_EXTERNAL },
  'existing secrets, no autoscaling': {
    set: {
      ...MINIMAL_EXTERNAL,
      'secrets.existingSecret': 'platform',
      'postgresql.logins.existingSecret': 'logins',
      'nats.credentials.existingSecret': 'nats',
      'serviceDefaults.autoscaling.enabled': false,
      'serviceDefaults.replicaCount': 3,
      'nats.tls.existingSecret': 'nats-tls',
      'nats.tls.clientCertificate': true,
    },
  },
};

const rendered = new Map<string, K8sObject[]>();
const render = (name: string): K8sObject[] => {
  if (!rendered.has(name)) rendered.set(name, renderChart(VALUE_SETS[name]));
  return rendered.get(name)!;
};
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const podSpecOf = (o: K8sObject): Any => (o.kind === 'Job' || o.kind === 'Deployment' || o.kind === 'StatefulSet' ? o.spec.template.spec : undefined);
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  !!selector && Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('helm/steward', () => {
  it('passes helm lint --strict with default values and with the production and trial examples; without addresses it refuses to render', () => {
    expect(lintChart({ values: ['examples/production.yaml'] })).toContain('0 chart(s) failed');
    expect(lintChart({ values: ['examples/trial.yaml'] })).toContain('0 chart(s) failed');
    // Defaults need your PostgreSQL and NATS addresses: lint accepts the chart, template (and install) refuse.
    expect(lintChart({})).toContain('0 chart(s) failed');
    expect(() => renderChart({})).toThrow(/postgresql\.external\.host is empty: set the address of your PostgreSQL/);
  });

  it.each(Object.keys(VALUE_SETS))('renders objects that are valid against the Kubernetes API schemas (%s)', (name) => {
    const objects = render(name);
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.map(schemaErrors).filter(Boolean)).toEqual([]);
  });

  it('the schema check is not a rubber stamp: a broken Deployment is refused', () => {
    const deployment = structuredClone(ofKind(render('minimal external'), 'Deployment')[0]!) as Any;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    delete deployment.spec.selector;
    expect(schemaErrors(deployment)).toMatch(/containerPort must be integer|must have required property 'selector'/);
  });

  it.each(Object.keys(VALUE_SETS))('has one Deployment per service of the platform, each with probes, resources, a PDB, a NetworkPolicy, a ServiceAccount and a Service (%s)', (name) => {
    const objects = render(name);
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.labels!['app.kubernetes.io/component']).sort()).toEqual([...serviceNames].sort());
    const policies = ofKind(objects, 'NetworkPolicy');
    for (const d of deployments) {
      const labels = d.spec.template.metadata.labels as Record<string, string>;
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      // Probes on the ops port: every service's, the gateway's too (OPS_PORT, apart from its API).
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        expect({ deployment: d.metadata.name, probe, path: c[probe]?.httpGet?.path, port: c[probe]?.httpGet?.port }).toMatchObject({ path: expect.stringMatching(/^\/(healthz|readyz)/), port: 'ops' });
      }
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      const service = d.metadata.labels!['app.kubernetes.io/component']!;
      const opsPort = service === 'gateway' ? 9100 : SERVICES.find((x) => x.name === service)!.opsPort;
      const ops = c.ports.find((p: Any) => p.name === 'ops');
      expect({ deployment: d.metadata.name, ops: ops?.containerPort }).toEqual({ deployment: d.metadata.name, ops: opsPort });
      expect(c.env.find((e: Any) => e.name === 'OPS_PORT')?.value).toBe(String(opsPort));
      expect(c.ports.map((p: Any) => p.name)).toEqual(service === 'gateway' ? ['http', 'ops'] : ['ops']);
      expect(c.resources).toMatchObject({ requests: { cpu: expect.anything(), memory: expect.anything() }, limits: { cpu: expect.anything(), memory: expect.anything() } });
      const pdb = ofKind(objects, 'PodDisruptionBudget').find((p) => selects(p.spec.selector.matchLabels, labels));
      expect({ deployment: d.metadata.name, pdb: pdb?.metadata.name }).toEqual({ deployment: d.metadata.name, pdb: d.metadata.name });
      const own = policies.find((p) => p.metadata.name === d.metadata.name);
      expect(own?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(selects(own?.spec.podSelector.matchLabels, labels)).toBe(true);
      expect(pod.topologySpreadConstraints.map((t: Any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(ofKind(objects, 'ServiceAccount').map((s) => s.metadata.name)).toContain(pod.serviceAccountName);
      expect(ofKind(objects, 'Service').some((s) => selects(s.spec.selector, labels))).toBe(true);
      // Graceful termination: SIGTERM after the preStop pause, then the service drains within the grace period.
      const preStop = Number(c.lifecycle.preStop.exec.command[1]);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + 20);
    }
  });

  it.each(Object.keys(VALUE_SETS))('runs every container non-root with a read-only root filesystem, no privilege escalation, no capabilities and seccomp RuntimeDefault (%s)', (name) => {
    const workloads = render(name).filter((o) => podSpecOf(o));
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      const pod = podSpecOf(w);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        const sc = c.securityContext ?? {};
        const where = `${w.kind} ${w.metadata.name} container ${c.name}`;
        expect({ where, runAsNonRoot: sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot }).toEqual({ where, runAsNonRoot: true });
        expect({ where, uid: sc.runAsUser ?? pod.securityContext?.runAsUser }).toEqual({ where, uid: expect.any(Number) });
        expect((sc.runAsUser ?? pod.securityContext.runAsUser) > 0).toBe(true);
        expect({ where, readOnlyRootFilesystem: sc.readOnlyRootFilesystem, allowPrivilegeEscalation: sc.allowPrivilegeEscalation, drop: sc.capabilities?.drop }).toEqual({
          where,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          drop: ['ALL'],
        });
        expect((sc.seccompProfile ?? pod.securityContext?.seccompProfile)?.type).toBe('RuntimeDefault');
        expect(c.resources?.limits?.memory).toBeDefined();
      }
    }
  });

  it('runs each service migration as a pre-install/pre-upgrade hook Job (post-install with the trial database) before the Deployments roll', () => {
    for (const [name, hook] of [
      ['production', 'pre-install,pre-upgrade'],
      ['trial', 'post-install,pre-upgrade'],
    ] as const) {
      const jobs = ofKind(render(name), 'Job');
      expect(jobs.map((j) => j.metadata.name).sort()).toEqual(SERVICES.filter((s) => s.migrations).map((s) => `steward-${s.name}-migrate`).sort());
      for (const j of jobs) {
        expect(j.metadata.annotations!['helm.sh/hook']).toBe(hook);
        expect(j.spec.activeDeadlineSeconds).toBeGreaterThan(0);
        const pod = j.spec.template.spec;
        const migrate = [...(pod.initContainers ?? []), ...pod.containers].find((c: Any) => c.name === 'migrate');
        expect(migrate.args).toEqual([`dist/apps/${j.metadata.labels!['app.kubernetes.io/component'].replace(/-migrate$/, '')}/src/migrate.js`]);
      }
    }
    // The generated database secret exists before the hook Jobs run: it is a hook itself, with a lower weight.
    const db = render('production').find((o) => o.kind === 'Secret' && o.metadata.name === 'steward-db')!;
    expect(db.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-10', 'helm.sh/resource-policy': 'keep' });
  });

  it('gives every service its own database login (generated, or from an existing Secret) and keeps migrator credentials out of the services', () => {
    const objects = render('production');
    const db = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'steward-db')!;
    for (const s of serviceNames) {
      const url = Buffer.from(db.data![s]!, 'base64').toString();
      expect(url).toMatch(new RegExp(`^postgres://steward_${s}_login:[A-Za-z0-9]{32}@steward-pg-rw\\.databases\\.svc:5432/steward\\?sslmode=verify-full$`));
    }
    for (const d of ofKind(objects, 'Deployment')) {
      const env = d.spec.template.spec.containers[0].env as Any[];
      expect(env.find((e) => e.name === 'DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: 'steward-db', key: d.metadata.labels!['app.kubernetes.io/component'] });
      expect(JSON.stringify(env)).not.toContain('steward-db-migrator');
    }
    const existing = render('existing secrets, no autoscaling');
    expect(existing.some((o) => o.kind === 'Secret' && o.metadata.name === 'steward-db')).toBe(false);
    for (const j of ofKind(existing, 'Job')) expect(j.spec.template.spec.initContainers).toBeUndefined();
  });

  it('generates the platform secrets and NATS passwords once and keeps them across upgrades (lookup), never deleting them with the release', () => {
    const helpers = readFileSync(path.join(chart, 'templates/_helpers.tpl'), 'utf8');
    expect(helpers).toMatch(/lookup "v1" "Secret" \$root\.Release\.Namespace/);
    const objects = render('minimal external');
    const platform = objects.find((o) => o.metadata.name === 'steward-platform')!;
    expect(Object.keys(platform.data!).sort()).toEqual(['context-key', 'cursor-key', 'jwt-secret', 'operator-token', 'webhooks-secret-key']);
    expect(platform.metadata.annotations!['helm.sh/resource-policy']).toBe('keep');
    const nats = objects.find((o) => o.metadata.name === 'steward-nats-credentials')!;
    expect(Object.keys(nats.data!).sort()).toEqual([...serviceNames].sort());
    // With existing Secrets the chart renders none of its own.
    const existing = render('existing secrets, no autoscaling');
    expect(ofKind(existing, 'Secret')).toEqual([]);
  });

  it('sets every variable a service needs at boot: the kit loads each service config from the rendered environment', () => {
    for (const d of ofKind(render('production'), 'Deployment')) {
      const service = d.metadata.labels!['app.kubernetes.io/component']!;
      const env = Object.fromEntries((d.spec.template.spec.containers[0].env as Any[]).map((e) => [e.name, e.value ?? `secret-${e.valueFrom.secretKeyRef.key}-0123456789abcdef0123456789abcdef`]));
      env.DATABASE_URL = 'postgres://u:p@h:5432/steward';
      if (service === 'gateway') {
        expect(env).toMatchObject({
          PORT: '3000',
          OPS_PORT: '9100',
          OPS_HOST: '0.0.0.0',
          STEWARD_JWT_SECRET: expect.any(String),
          STEWARD_CONTEXT_KEY: expect.any(String),
          // Webhook lists sign their cursors with the platform's key, the same on every replica.
          STEWARD_CURSOR_KEY: expect.any(String),
          STEWARD_WEBHOOKS_SECRET_KEY: expect.any(String),
          NATS_USER: 'gateway',
        });
        continue;
      }
      const config = loadServiceConfig(service, undefined, env);
      expect(config).toMatchObject({ service, streamReplicas: 3, natsAuth: { user: service }, opsPort: SERVICES.find((s) => s.name === service)!.opsPort });
      expect(config.cursorKey).toBeDefined();
    }
  });

  it("renders the gateway's CORS and webhook settings from values, under the names the gateway reads, every one it reads", () => {
    const gateway = ofKind(render('production'), 'Deployment').find((d) => d.metadata.name === 'steward-gateway')!;
    const env = Object.fromEntries((gateway.spec.template.spec.containers[0].env as Any[]).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
    // The gateway's defaults (apps/gateway/src/config.ts, webhooks/webhooks.settings.ts); large numbers as integers, never 2.592e+08.
    expect(env).toMatchObject({
      STEWARD_CORS_ORIGINS: '',
      STEWARD_CORS_MAX_AGE_SECONDS: '600',
      STEWARD_WEBHOOKS_ALLOW_PRIVATE: 'false',
      WEBHOOKS_TIMEOUT_MS: '10000',
      WEBHOOKS_MAX_RESPONSE_BYTES: '65536',
      WEBHOOKS_CONCURRENCY: '8',
      WEBHOOKS_POLL_MS: '1000',
      WEBHOOKS_LEASE_MS: '60000',
      WEBHOOKS_RETRY_BASE_MS: '30000',
      WEBHOOKS_RETRY_MAX_DELAY_MS: '21600000',
      WEBHOOKS_RETRY_WINDOW_MS: '259200000',
      WEBHOOKS_DISABLE_AFTER_FAILURES: '20',
      WEBHOOKS_DISABLE_AFTER_MS: '259200000',
      WEBHOOKS_SECRET_OVERLAP_SECONDS: '86400',
      WEBHOOKS_RETENTION_DAYS: '30',
    });
    // The chart renders exactly the CORS and webhook variables the gateway declares (read as text: tooling does not import apps).
    const declared = ['apps/gateway/src/config.ts', 'apps/gateway/src/webhooks/webhooks.settings.ts'].flatMap((f) =>
      [...readFileSync(path.join(root, f), 'utf8').matchAll(/^ {2}((?:STEWARD_)?(?:WEBHOOKS|CORS)_[A-Z_]+):/gm)].map((m) => m[1]!),
    );
    const rendered = (gateway.spec.template.spec.containers[0].env as Any[]).map((e) => e.name as string).filter((n) => /^(STEWARD_)?(WEBHOOKS|CORS)_/.test(n));
    expect(declared.length).toBeGreaterThan(10);
    expect([...rendered].sort()).toEqual([...declared].sort());
    // Values reach the environment: origins joined, allowed ranges joined.
    const custom = ofKind(
      renderChart({ set: { ...MINIMAL_EXTERNAL, 'gateway.cors.origins[0]': 'https://portal.example.com', 'gateway.cors.origins[1]': 'https://admin.example.com', 'gateway.webhooks.allowPrivate[0]': '10.1.2.0/24', 'gateway.webhooks.allowPrivate[1]': '::1' } }),
      'Deployment',
    ).find((d) => d.metadata.name === 'steward-gateway')!;
    const customEnv = Object.fromEntries((custom.spec.template.spec.containers[0].env as Any[]).map((e) => [e.name, e.value]));
    expect(customEnv).toMatchObject({ STEWARD_CORS_ORIGINS: 'https://portal.example.com,https://admin.example.com', STEWARD_WEBHOOKS_ALLOW_PRIVATE: '10.1.2.0/24,::1' });
  });

  it('lets only the architecture flows through: default deny, ingress controller to the gateway, Prometheus to every ops port, services to NATS, PostgreSQL and DNS, the gateway to webhook endpoints', () => {
    const objects = render('production');
    const policies = ofKind(objects, 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'steward-default-deny')!;
    expect(deny.spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'steward', 'app.kubernetes.io/instance': 'steward' } }, policyTypes: ['Ingress', 'Egress'] });
    for (const s of serviceNames) {
      const p = policies.find((x) => x.metadata.name === `steward-${s}`)!;
      const ingressPorts = p.spec.ingress.flatMap((r: Any) => r.ports.map((x: Any) => x.port));
      expect(ingressPorts).toEqual(s === 'gateway' ? ['http', 'ops'] : ['ops']);
      // Prometheus (the monitoring namespace) reaches the ops port only; the ingress controller the API only.
      const monitoring = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }];
      expect(p.spec.ingress.find((r: Any) => r.ports[0].port === 'ops').from).toEqual(monitoring);
      if (s === 'gateway') expect(p.spec.ingress.find((r: Any) => r.ports[0].port === 'http').from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
      const egressPorts = p.spec.egress.flatMap((r: Any) => r.ports.map((x: Any) => x.port)).sort();
      expect(egressPorts).toEqual([4222, 4317, 4318, 53, 53, 5432, ...(s === 'gateway' ? [443, 80] : [])].sort());
      expect(p.spec.egress.find((r: Any) => r.ports[0].port === 4222).to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nats' } } }]);
    }
    // Webhook deliveries: the gateway to the internet on 443 and 80, never to private, shared, loopback or link-local ranges.
    const webhooks = policies.find((x) => x.metadata.name === 'steward-gateway')!.spec.egress.find((r: Any) => r.ports.some((x: Any) => x.port === 443));
    expect(webhooks.ports).toEqual([
      { port: 443, protocol: 'TCP' },
      { port: 80, protocol: 'TCP' },
    ]);
    const v4 = webhooks.to.find((t: Any) => t.ipBlock?.cidr === '0.0.0.0/0');
    expect(v4.ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16']));
    expect(webhooks.to.find((t: Any) => t.ipBlock?.cidr === '::/0').ipBlock.except).toEqual(expect.arrayContaining(['fc00::/7', 'fe80::/10']));
    // Configurable: other peers and ports (none: every port), or off.
    const custom = ofKind(
      renderChart({ set: { ...MINIMAL_EXTERNAL, 'networkPolicy.webhooks.to[0].ipBlock.cidr': '203.0.113.7/32', 'networkPolicy.webhooks.ports[0]': 8443 } }),
      'NetworkPolicy',
    ).find((x) => x.metadata.name === 'steward-gateway')!;
    expect(custom.spec.egress).toContainEqual({ ports: [{ port: 8443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '203.0.113.7/32' } }] });
    const anyPort = ofKind(renderChart({ set: { ...MINIMAL_EXTERNAL, 'networkPolicy.webhooks.ports': 'null' } }), 'NetworkPolicy').find((x) => x.metadata.name === 'steward-gateway')!;
    expect(anyPort.spec.egress.filter((r: Any) => !r.ports)).toHaveLength(1);
    const off = ofKind(renderChart({ set: { ...MINIMAL_EXTERNAL, 'networkPolicy.webhooks.enabled': false } }), 'NetworkPolicy').find((x) => x.metadata.name === 'steward-gateway')!;
    expect(off.spec.egress.flatMap((r: Any) => r.ports.map((x: Any) => x.port))).not.toContain(443);
    const trial = ofKind(render('trial'), 'NetworkPolicy');
    expect(trial.find((p) => p.metadata.name === 'steward-postgresql')!.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'steward', 'app.kubernetes.io/instance': 'steward' } } }]);
  });

  it('scales on CPU and memory, never below two replicas in production, with no fixed replica count fighting the HPA', () => {
    const objects = render('production');
    for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler')) {
      expect(hpa.spec.metrics.map((m: Any) => m.resource.name)).toEqual(['cpu', 'memory']);
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    }
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(serviceNames.length);
    for (const d of ofKind(objects, 'Deployment')) expect(d.spec.replicas).toBeUndefined();
    for (const d of ofKind(render('existing secrets, no autoscaling'), 'Deployment')) expect(d.spec.replicas).toBe(3);
  });

  it('renders the ingress, ServiceMonitors and the alerts (outbox lag, redeliveries, error rate, p99) when asked', () => {
    const objects = render('production');
    const ingress = ofKind(objects, 'Ingress')[0]!;
    expect(ingress.spec).toMatchObject({ ingressClassName: 'nginx', tls: [{ secretName: 'steward-api-tls' }] });
    expect(ofKind(objects, 'ServiceMonitor')).toHaveLength(serviceNames.length);
    // Every ServiceMonitor scrapes /metrics on the ops port of its Service: the gateway's is 9100, not its API port.
    for (const sm of ofKind(objects, 'ServiceMonitor')) {
      expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'ops', path: '/metrics' })]);
      const svc = ofKind(objects, 'Service').find((x) => selects(sm.spec.selector.matchLabels, x.spec.selector))!;
      expect(svc.spec.ports.find((p: Any) => p.name === 'ops')).toMatchObject({ targetPort: 'ops' });
    }
    const gatewayService = ofKind(objects, 'Service').find((x) => x.metadata.name === 'steward-gateway')!;
    expect(gatewayService.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'ops', port: 9100, targetPort: 'ops', protocol: 'TCP' },
    ]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service.port).toEqual({ name: 'http' });
    const rules = ofKind(objects, 'PrometheusRule')[0]!.spec.groups.flatMap((g: Any) => g.rules);
    expect(rules.map((r: Any) => r.alert).sort()).toEqual([
      'StewardConsumerRedeliveries',
      'StewardGatewayErrorRate',
      'StewardGatewayLatencyP99',
      'StewardOutboxLag',
      'StewardOutboxNotPublishing',
      'StewardServiceErrorRate',
      'StewardServiceLatencyP99',
      'StewardWebhookDeliveriesFailed',
      'StewardWebhookEndpointsDisabled',
    ]);
    expect(rules.find((r: Any) => r.alert === 'StewardOutboxLag').expr).toBe('max by (namespace, service) (steward_outbox_lag_seconds{namespace="steward"}) > 60');
    // Compose's Prometheus loads the same alerts (deploy/prometheus/alerts.yml).
    const composeAlerts = (parse(readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string }> }> }).groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(composeAlerts.sort()).toEqual(rules.map((r: Any) => r.alert).sort());
    const minimal = render('minimal external');
    expect(ofKind(minimal, 'ServiceMonitor').length + ofKind(minimal, 'PrometheusRule').length + ofKind(minimal, 'Ingress').length).toBe(0);
  });

  it('rejects unknown values keys and wrong types (values.schema.json)', () => {
    const refused = (set: Record<string, string | number | boolean>) => () => renderChart({ set: { ...MINIMAL_EXTERNAL, ...set } });
    expect(refused({ replicas: 3 })).toThrow(/Additional property replicas is not allowed/);
    expect(refused({ 'services.accounts.replicas': 3 })).toThrow(/services\.accounts: Additional property replicas is not allowed/);
    expect(refused({ 'postgresql.external.sslMode': 'require' })).toThrow(/Additional property sslMode is not allowed/);
    expect(refused({ 'services.gateway.replicaCount': 'two' })).toThrow(/replicaCount: Invalid type\. Expected: integer/);
    expect(refused({ 'platform.logLevel': 'verbose' })).toThrow(/platform\.logLevel/);
  });

  it.each([
    ['bundled and external PostgreSQL both on', { 'postgresql.bundled.enabled': true }, /bundled\.enabled and external\.enabled are both true/],
    ['no PostgreSQL at all', { 'postgresql.external.enabled': false }, /neither bundled nor external is enabled/],
    ['bundled and external NATS both on', { 'nats.bundled.enabled': true }, /nats: bundled\.enabled and external\.enabled are both true/],
    ['HPA min above max', { 'services.accounts.autoscaling.minReplicas': 5, 'services.accounts.autoscaling.maxReplicas': 3 }, /services\.accounts\.autoscaling: minReplicas \(5\) is greater than maxReplicas \(3\)/],
    ['no secret source', { 'secrets.generate': false }, /no source for the platform secrets/],
    ['a PDB that blocks every drain', { 'services.support.pdb.minAvailable': 2 }, /services\.support\.pdb\.minAvailable \(2\) is not below its replicas \(2\)/],
    ['three stream replicas on the one-node trial NATS', { 'nats.external.enabled': false, 'nats.bundled.enabled': true, 'platform.streamReplicas': 3 }, /bundled NATS has one node/],
    ['tracing to no endpoint', { 'otel.tracesExporter': 'otlp' }, /otel\.endpoint is empty/],
    ['a subject prefix with chart-rendered NATS users', { 'nats.authConfig.enabled': true, 'platform.natsPrefix': 'staging' }, /natsPrefix must be empty/],
    ['a service the platform does not have', { 'services.billing.opsPort': 9199 }, /services\.billing: no such Steward service/],
    ['preStop longer than the grace period', { 'services.gateway.preStopSeconds': 40 }, /preStopSeconds \(40\) must be below terminationGracePeriodSeconds/],
    ["the gateway's API and ops listener on one port", { 'services.gateway.opsPort': 3000 }, /services\.gateway: port and opsPort are both 3000/],
    ['a webhook lease shorter than an attempt', { 'gateway.webhooks.leaseMs': 5000 }, /gateway\.webhooks\.leaseMs \(5000\) must be longer than gateway\.webhooks\.timeoutMs \(10000\)/],
  ])('checks.yaml fails fast on contradictory values: %s', (_name, set, message) => {
    expect(() => renderChart({ set: { ...MINIMAL_EXTERNAL, ...set } })).toThrow(message);
  });

  it('files/nats-permissions.json matches the permissions the code computes (regenerate: node dist/tools/deploy/chart-nats.js)', () => {
    expect(readFileSync(path.join(root, CHART_NATS_PERMISSIONS), 'utf8')).toBe(chartNatsPermissionsText());
  });

  const natsServer = findNatsServer(process.env.PATH ?? '');
  (natsServer ? it : it.skip)('renders a NATS configuration nats-server accepts, with one user per client and passwords from the environment', () => {
    const objects = render('trial');
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'steward-nats-auth')!;
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-chart-nats-'));
    try {
      writeFileSync(path.join(dir, 'auth.conf'), config.data!['auth.conf']!);
      writeFileSync(path.join(dir, 'nats.conf'), config.data!['nats.conf']!.replace('"/data"', JSON.stringify(path.join(dir, 'data'))));
      const passwords = Object.fromEntries(serviceNames.map((s) => [`${s.toUpperCase()}_NATS_PASSWORD`, `${s}-password-0123456789`]));
      expect(() => execFileSync(natsServer!, ['-c', path.join(dir, 'nats.conf'), '-t'], { stdio: 'pipe', env: { ...process.env, ...passwords } })).not.toThrow();
      for (const s of serviceNames) expect(config.data!['auth.conf']).toContain(`user: "${s}"\n      password: $${s.toUpperCase()}_NATS_PASSWORD`);
      // The server gets every password from the credentials Secret.
      const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'steward-nats')!;
      expect(sts.spec.template.spec.containers[0].env.map((e: Any) => e.valueFrom.secretKeyRef.key).sort()).toEqual([...serviceNames].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('README.md has the values table generated from values.yaml (npx readme-generator -v helm/steward/values.yaml -r helm/steward/README.md)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-chart-readme-'));
    try {
      const copy = path.join(dir, 'README.md');
      const committed = readFileSync(path.join(chart, 'README.md'), 'utf8');
      writeFileSync(copy, committed);
      execFileSync(process.execPath, [require.resolve('@bitnami/readme-generator-for-helm/bin/index.js'), '-v', path.join(chart, 'values.yaml'), '-r', copy], { stdio: 'pipe' });
      expect(readFileSync(copy, 'utf8')).toBe(committed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
