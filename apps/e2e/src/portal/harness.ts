// The portal in a real browser against the real local stack: the platform as `npm start` runs
// it (the gateway serving the built portal at /), the demo tenant's accounts slice seeded, and
// Debian's Chromium driven by playwright-core. Helpers for what every page test checks: a page
// that has settled, no console error (a missing i18n key logs one), no catalog key on screen,
// and an axe-core scan.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as axeCore from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_ADMIN, seedDemoTenant } from '@steward/stack';
import { PlatformHarness, repoRoot, startPlatformHarness } from '../platform-harness';

export type Role = 'admin' | 'manager' | 'csm' | 'agent' | 'viewer';
export type Locale = 'en' | 'zh-CN';

/** The demo users (tools/stack/demo-data.ts), one per role; all share the demo password. */
export const DEMO_LOGINS: Record<Role, string> = {
  admin: DEMO_ADMIN.email,
  manager: 'manager@demo.test',
  csm: 'csm1@demo.test',
  agent: 'agent1@demo.test',
  viewer: 'viewer@demo.test',
};
const PASSWORD = 'portal-e2e-password';

/** Where Debian's Chromium is (`apt-get install chromium`), or STEWARD_CHROMIUM. */
export function chromiumPath(): string {
  const candidates = [process.env.STEWARD_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('the portal tests drive Chromium: apt-get install chromium (or set STEWARD_CHROMIUM)');
  return found;
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen on this page so far. */
  errors: string[];
}

export interface PortalHarness {
  platform: PlatformHarness;
  baseUrl: string;
  browser: Browser;
  password: string;
  /** A fresh browser context in a language, signed in through the sign-in page as the role's demo user (null: signed out). */
  open(as: Role | null, locale?: Locale): Promise<SignedIn>;
  close(): Promise<void>;
}

export async function startPortal(label: string, options: { log?: (line: string) => void } = {}): Promise<PortalHarness> {
  const started = Date.now();
  const platform = await startPlatformHarness(label);
  options.log?.(`portal harness: platform up in ${Date.now() - started} ms`);
  let browser: Browser | undefined;
  try {
    await seedDemoTenant(platform.gatewayUrl, platform.operatorToken, PASSWORD, { parts: { support: false, catalog: false, feedback: false }, log: options.log });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  } catch (err) {
    await platform.close();
    throw err;
  }
  const contexts: BrowserContext[] = [];
  const b = browser;
  return {
    platform,
    baseUrl: platform.gatewayUrl,
    browser: b,
    password: PASSWORD,
    async open(as, locale = 'en') {
      const context = await b.newContext({ baseURL: platform.gatewayUrl, viewport: { width: 1440, height: 900 }, locale, acceptDownloads: true });
      contexts.push(context);
      // The language as if chosen before (the switch keeps it in localStorage); a later switch wins.
      await context.addInitScript(`if (!localStorage.getItem('steward.locale')) localStorage.setItem('steward.locale', ${JSON.stringify(locale)});`);
      const page = await context.newPage();
      trackRequests(page);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto('/login');
      if (as) {
        await page.locator('input[autocomplete="username"]').fill(DEMO_LOGINS[as]);
        await page.locator('input[autocomplete="current-password"]').fill(PASSWORD);
        await page.locator('button[type="submit"]').click();
        await page.getByTestId('tenant-name').waitFor();
        await settle(page);
      }
      return { context, page, errors };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await b.close().catch(() => undefined);
      await platform.close();
    },
  };
}

/** Requests of each page opened by the harness: how many are in flight, and when that last changed. */
const traffic = new WeakMap<Page, { inFlight: number; changedAt: number }>();

function trackRequests(page: Page): void {
  const t = { inFlight: 0, changedAt: Date.now() };
  traffic.set(page, t);
  const done = () => {
    t.inFlight = Math.max(0, t.inFlight - 1);
    t.changedAt = Date.now();
  };
  page.on('request', () => {
    t.inFlight += 1;
    t.changedAt = Date.now();
  });
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}

/**
 * How long no request may be in flight before a page counts as settled. Playwright's
 * `networkidle` waits 500 ms after the last one: 1.35 s a visit on average over the page suite.
 * A page's next request comes from a render that shows a skeleton or spinner first (both
 * checked), so a short quiet time is enough.
 */
const QUIET_MS = 200;

/** Waits until the page's requests are done (none in flight for {@link QUIET_MS}) and no skeleton or spinner is left. */
export async function settle(page: Page, timeout = 20_000): Promise<void> {
  const t = traffic.get(page);
  if (!t) throw new Error('settle() needs a page opened by the portal harness (it counts the page\'s requests)');
  await page.waitForLoadState('load', { timeout });
  // Polled through locators (the page's Content-Security-Policy forbids string evaluation in it).
  const busy = page.locator('.ant-skeleton-active, .ant-spin-spinning, [aria-busy="true"]');
  // The app has drawn something (a page, or its loading state): before that, a quiet network only means its script is still starting.
  const rendered = page.locator('#root > *');
  const deadline = Date.now() + timeout;
  for (;;) {
    const quietFor = t.inFlight === 0 ? Date.now() - t.changedAt : 0;
    if (quietFor >= QUIET_MS && (await rendered.count()) > 0 && (await busy.count()) === 0) return;
    if (Date.now() > deadline) throw new Error(`${page.url()} still loading after ${timeout} ms (${t.inFlight} request(s) in flight)`);
    await page.waitForTimeout(quietFor > 0 ? Math.min(50, QUIET_MS - quietFor + 1) : 50);
  }
}

/**
 * Goes to a path inside the signed-in app client-side, as a user clicking a link would (the
 * router takes the history entry; the app is not loaded again), and waits for it to settle.
 * A full load per page spent most of the page suite's time starting the app again.
 */
export async function visit(page: Page, pathname: string): Promise<void> {
  const t = traffic.get(page);
  if (!t || !page.url().startsWith('http')) {
    await page.goto(pathname);
  } else {
    // The navigation counts as activity: settle() then waits for what it starts.
    t.changedAt = Date.now();
    // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not govern.
    await page.evaluate(`history.pushState(null, '', ${JSON.stringify(pathname)}); dispatchEvent(new PopStateEvent('popstate', { state: null }))`);
  }
  await settle(page);
}

/** Catalog areas (apps/portal/src/i18n): a visible `area.key` text is an untranslated key. */
const KEY_LIKE = /\b(?:app|nav|header|auth|roles|states|actions|validation|problem|tier|lifecycle|leadChannel|yesNo|home|accounts|account|tiering|admin)\.[a-zA-Z][\w-]*(?:\.[\w-]+)*\b/g;

/** Visible texts that look like catalog keys (none should). */
export async function visibleKeys(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return [...new Set(text.match(KEY_LIKE) ?? [])].filter((k) => !/@|\.test\b/.test(k));
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const AXE_SOURCE: string = axeCore.source;

/** axe-core over the page (WCAG 2.0/2.1 A and AA): the serious and critical violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {

  // Evaluated by the browser's debugging protocol, which the page's CSP does not govern (a script tag would be refused).
  if (!(await page.evaluate(`'axe' in window`))) await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')) })))`)) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const formatViolations = (vs: AxeViolation[]): string => vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n');

/**
 * A full-page screenshot when STEWARD_PORTAL_SCREENSHOTS is set: `docs` writes docs/portal/
 * (the checked-in gallery, `npm run portal:screenshots`), any other value tmp/portal-screenshots/.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const target = process.env.STEWARD_PORTAL_SCREENSHOTS;
  if (!target) return;
  const dir = target === 'docs' ? repoRoot('docs', 'portal') : repoRoot('tmp', 'portal-screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, animations: 'disabled' });
}
