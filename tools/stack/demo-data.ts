/**
 * The demo tenant's data, generated — pure functions, no I/O. `seed.ts` sends it through
 * the gateway. Every random choice comes from a PRNG seeded by a fixed string (per account,
 * so one part changing never reshuffles another), hence the same data on every run; only
 * dates move with `now` (revenue covers the 24 full months before it, go-live dates are
 * relative to it).
 *
 * The vocabulary comes from `@steward/contracts` (one source of truth); the launcher still
 * never imports app code.
 */
import {
  BUYING_ROLE_VALUES as BUYING_ROLES,
  INFLUENCE_LEVELS,
  LEAD_CHANNELS,
  LIFECYCLE_STAGES,
  PARTNER_KINDS,
  PROJECT_KINDS,
  PROJECT_LEADS,
  PROJECT_SIZES,
  PROJECT_STATUSES,
  SIZE_BANDS,
} from '@steward/contracts';

// ---- PRNG ----

/** 32-bit FNV-1a of a string: the seed of a named random stream. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for demo data, and identical on every platform. */
export class Rng {
  private state: number;

  constructor(seed: number | string) {
    this.state = (typeof seed === 'string' ? hashSeed(seed) : seed) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [value, w] of options) {
      x -= w;
      if (x < 0) return value;
    }
    return options[options.length - 1][0];
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

// ---- vocabulary ----

export { BUYING_ROLES, INFLUENCE_LEVELS, LEAD_CHANNELS, LIFECYCLE_STAGES, PARTNER_KINDS, PROJECT_KINDS, PROJECT_LEADS, PROJECT_SIZES, PROJECT_STATUSES, SIZE_BANDS };

export type LeadChannel = (typeof LEAD_CHANNELS)[number];
export type Lifecycle = (typeof LIFECYCLE_STAGES)[number];
export type SizeBand = (typeof SIZE_BANDS)[number];
export type BuyingRole = (typeof BUYING_ROLES)[number];
export type Influence = (typeof INFLUENCE_LEVELS)[number];
export type ProjectLead = (typeof PROJECT_LEADS)[number];
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export type Region = 'EMEA' | 'APAC' | 'Americas';

export const DEMO_ACCOUNT_COUNT = 200;
export const DEMO_REVENUE_MONTHS = 24;
export const DEMO_CURRENCY = 'EUR';

// ---- users ----

export type DemoRole = 'manager' | 'csm' | 'agent' | 'viewer';
export interface DemoUser {
  email: string;
  name: string;
  role: DemoRole;
}
/** Besides the admin (created with the tenant). Their password is the demo password. */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'manager@demo.test', name: 'Marta Lindqvist', role: 'manager' },
  { email: 'csm1@demo.test', name: 'Chris Okafor', role: 'csm' },
  { email: 'csm2@demo.test', name: 'Sofia Marin', role: 'csm' },
  { email: 'agent1@demo.test', name: 'Alex Novak', role: 'agent' },
  { email: 'agent2@demo.test', name: 'Priya Raman', role: 'agent' },
  { email: 'viewer@demo.test', name: 'Victor Hale', role: 'viewer' },
];
const ADMIN_EMAIL = 'admin@demo.test';

// ---- partners ----

export interface DemoPartner {
  /** Stable key used inside the plan; the API assigns the id. */
  key: string;
  name: string;
  kind: PartnerKind;
  region: Region;
  contactEmail: string;
}
/** One partner-channel partner (reseller or system integrator) and one dealer per region. */
export const DEMO_PARTNERS: readonly DemoPartner[] = [
  { key: 'nordlicht', name: 'Nordlicht Systems GmbH', kind: 'system-integrator', region: 'EMEA', contactEmail: 'channel@nordlicht-systems.test' },
  { key: 'iberia', name: 'Iberia Industrial Supply S.L.', kind: 'dealer', region: 'EMEA', contactEmail: 'ventas@iberia-supply.test' },
  { key: 'keystone', name: 'Keystone Channel Partners Inc.', kind: 'reseller', region: 'Americas', contactEmail: 'partners@keystone-channel.test' },
  { key: 'prairie', name: 'Prairie Equipment Dealers LLC', kind: 'dealer', region: 'Americas', contactEmail: 'sales@prairie-equipment.test' },
  { key: 'pacifica', name: 'Pacifica Integration Pte Ltd', kind: 'system-integrator', region: 'APAC', contactEmail: 'alliances@pacifica-integration.test' },
  { key: 'sakura', name: 'Sakura Trading Co., Ltd.', kind: 'dealer', region: 'APAC', contactEmail: 'eigyo@sakura-trading.test' },
];

function partnerFor(region: Region, channel: 'partner' | 'dealer'): DemoPartner {
  return DEMO_PARTNERS.find((p) => p.region === region && (channel === 'dealer' ? p.kind === 'dealer' : p.kind !== 'dealer'))!;
}

// ---- accounts ----

export const INDUSTRIES = ['Manufacturing', 'Energy', 'Retail', 'Healthcare', 'Logistics', 'Public sector', 'Telecom', 'Food & beverage'] as const;
export type Industry = (typeof INDUSTRIES)[number];

const COUNTRIES: Record<Region, ReadonlyArray<{ country: string; legal: string; weight: number }>> = {
  EMEA: [
    { country: 'Germany', legal: 'GmbH', weight: 5 },
    { country: 'France', legal: 'SA', weight: 3 },
    { country: 'United Kingdom', legal: 'Ltd', weight: 3 },
    { country: 'Netherlands', legal: 'B.V.', weight: 2 },
    { country: 'Sweden', legal: 'AB', weight: 2 },
    { country: 'Spain', legal: 'S.L.', weight: 2 },
    { country: 'Italy', legal: 'S.p.A.', weight: 2 },
    { country: 'Poland', legal: 'Sp. z o.o.', weight: 1 },
    { country: 'United Arab Emirates', legal: 'LLC', weight: 1 },
  ],
  APAC: [
    { country: 'Japan', legal: 'K.K.', weight: 3 },
    { country: 'Singapore', legal: 'Pte Ltd', weight: 2 },
    { country: 'Australia', legal: 'Pty Ltd', weight: 3 },
    { country: 'India', legal: 'Pvt Ltd', weight: 2 },
    { country: 'South Korea', legal: 'Co., Ltd.', weight: 2 },
  ],
  Americas: [
    { country: 'United States', legal: 'Inc.', weight: 6 },
    { country: 'Canada', legal: 'Ltd.', weight: 2 },
    { country: 'Brazil', legal: 'Ltda.', weight: 2 },
    { country: 'Mexico', legal: 'S.A. de C.V.', weight: 1 },
  ],
};

/** Name stems per country, so a company sounds like where it is. */
const NAME_STEMS: Record<string, readonly string[]> = {
  Germany: ['Kessler', 'Brandt', 'Weber', 'Rhein', 'Alster', 'Falk', 'Hartmann', 'Isar', 'Lindner', 'Schwarzwald'],
  France: ['Moreau', 'Duval', 'Lumière', 'Bastide', 'Loire', 'Garnier'],
  'United Kingdom': ['Albion', 'Oakridge', 'Thames', 'Pennine', 'Ashford', 'Whitcombe'],
  Netherlands: ['Van Dijk', 'Zeeland', 'Delta', 'Oranje'],
  Sweden: ['Lindholm', 'Solvik', 'Nordhaven', 'Vattern'],
  Spain: ['Castell', 'Tejo', 'Iberica', 'Sierra Nevada'],
  Italy: ['Rossi', 'Orsini', 'Vesta', 'Adriatica'],
  Poland: ['Krakus', 'Mazovia', 'Baltic'],
  'United Arab Emirates': ['Gulf Star', 'Al Noor', 'Dune'],
  Japan: ['Sakura', 'Hoshino', 'Fuji', 'Kanto'],
  Singapore: ['Lotus', 'Jade Harbour', 'Merlion', 'Meranti'],
  Australia: ['Tasman', 'Southern Cross', 'Golden Wattle', 'Coral Sea', 'Koru'],
  India: ['Indus', 'Kaveri', 'Banyan', 'Deccan'],
  'South Korea': ['Han River', 'Seoul Bay', 'Hanbit'],
  'United States': ['Redwood', 'Keystone', 'Great Lakes', 'Hudson', 'Cascade', 'Lone Star', 'Bluegrass', 'Chesapeake', 'Copper Canyon', 'Liberty'],
  Canada: ['Maple Leaf', 'Laurentian', 'Fraser', 'Northern Lights'],
  Brazil: ['Ipanema', 'Paraná', 'Cerrado', 'Amazonas'],
  Mexico: ['Sonora', 'Azteca', 'Sierra Madre'],
};

const INDUSTRY_WORDS: Record<Industry, readonly string[]> = {
  Manufacturing: ['Precision Components', 'Machine Works', 'Industrial Systems', 'Fabrication', 'Tooling', 'Automation', 'Plastics', 'Castings'],
  Energy: ['Power', 'Grid Services', 'Renewables', 'Energy', 'Utilities', 'Solar', 'Wind Farms', 'Hydro'],
  Retail: ['Retail Group', 'Stores', 'Home & Living', 'Outfitters', 'Markets', 'Fashion House'],
  Healthcare: ['Health', 'Medical Center', 'Clinics', 'Diagnostics', 'Hospital Group', 'Care Homes'],
  Logistics: ['Logistics', 'Freight', 'Transport', 'Shipping', 'Distribution', 'Cold Chain'],
  'Public sector': ['Water Authority', 'Transit Authority', 'County Council', 'Public Works', 'Port Authority', 'University'],
  Telecom: ['Telecom', 'Networks', 'Mobile', 'Fiber', 'Communications', 'Data Centers'],
  'Food & beverage': ['Foods', 'Dairy', 'Brewing', 'Beverages', 'Bakeries', 'Fresh Produce'],
};

const ERP_SYSTEMS = ['SAP S/4HANA', 'SAP ECC', 'Oracle NetSuite', 'Microsoft Dynamics 365', 'Infor LN', 'Epicor Kinetic', 'IFS Cloud'] as const;

/** Revenue seasonality by industry: amplitude and peak calendar month (1–12). */
const SEASONALITY: Record<Industry, { amp: number; peak: number }> = {
  Manufacturing: { amp: 0.1, peak: 11 },
  Energy: { amp: 0.22, peak: 1 },
  Retail: { amp: 0.3, peak: 12 },
  Healthcare: { amp: 0.05, peak: 3 },
  Logistics: { amp: 0.15, peak: 11 },
  'Public sector': { amp: 0.25, peak: 12 },
  Telecom: { amp: 0.06, peak: 6 },
  'Food & beverage': { amp: 0.2, peak: 7 },
};

export interface DemoAccount {
  externalId: string;
  name: string;
  industry: Industry;
  region: Region;
  country: string;
  sizeBand: SizeBand;
  ownerEmail: string | null;
  csmEmail: string | null;
  leadChannel: LeadChannel;
  /** Key of the lead partner in `DEMO_PARTNERS`, for partner and dealer accounts. */
  leadPartnerKey: string | null;
  strategic: boolean;
  highPotential: boolean;
  lifecycle: Lifecycle;
  erp: string | null;
  domain: string;
  /** Yearly revenue scale in EUR before trend, seasonality and noise; 0 for prospects. */
  annualRevenue: number;
}

export const externalIdOf = (i: number): string => `DEMO-${String(i + 1).padStart(4, '0')}`;

const slugify = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function sizeBandFor(rank: number, count: number, rng: Rng): SizeBand {
  // Bigger revenue, bigger company — mostly.
  const q = Math.min(0.999, Math.max(0, rank / count + rng.range(-0.15, 0.15)));
  if (q < 0.06) return '5000+';
  if (q < 0.25) return '1000-4999';
  if (q < 0.55) return '250-999';
  if (q < 0.85) return '50-249';
  return '1-49';
}

/**
 * The demo accounts: about 200 across 8 industries and 3 regions. Revenue scale follows a
 * Zipf-like curve over a shuffled rank (a few large accounts, a long tail), so roughly a
 * fifth of the accounts make 80% of the revenue.
 */
export function generateAccounts(count = DEMO_ACCOUNT_COUNT): DemoAccount[] {
  const order = new Rng('demo:ranks').shuffle(Array.from({ length: count }, (_, i) => i));
  const rankOf = new Array<number>(count);
  order.forEach((accountIndex, rank) => (rankOf[accountIndex] = rank));
  const usedNames = new Set<string>();
  const accounts: DemoAccount[] = [];
  for (let i = 0; i < count; i++) {
    const externalId = externalIdOf(i);
    const rng = new Rng(`demo:account:${externalId}`);
    const rank = rankOf[i];
    const region = rng.weighted<Region>([
      ['EMEA', 45],
      ['Americas', 33],
      ['APAC', 22],
    ]);
    const industry = rng.weighted<Industry>([
      ['Manufacturing', 26],
      ['Energy', 12],
      ['Retail', 11],
      ['Healthcare', 10],
      ['Logistics', 12],
      ['Public sector', 8],
      ['Telecom', 9],
      ['Food & beverage', 12],
    ]);
    const place = rng.weighted(COUNTRIES[region].map((c) => [c, c.weight] as const));
    let name = '';
    for (let attempt = 0; !name || usedNames.has(name); attempt++) {
      const stem = rng.pick(NAME_STEMS[place.country]);
      const word = rng.pick(INDUSTRY_WORDS[industry]);
      if (industry === 'Public sector') name = word === 'University' ? `${stem} University` : `${stem} ${word}`;
      else name = `${stem} ${word} ${place.legal}`;
      if (attempt > 20) name = `${name} ${attempt}`;
    }
    usedNames.add(name);

    const lifecycle = rank < count * 0.1 ? rng.weighted<Lifecycle>([['active', 90], ['at-risk', 10]]) : rng.weighted<Lifecycle>([
      ['prospect', 9],
      ['onboarding', 10],
      ['active', 62],
      ['at-risk', 11],
      ['churned', 8],
    ]);
    const leadChannel: LeadChannel =
      industry === 'Public sector'
        ? rng.weighted<LeadChannel>([['direct', 70], ['partner', 30]])
        : rng.weighted<LeadChannel>([
            ['direct', rank < count * 0.15 ? 75 : 45],
            ['partner', 32],
            ['dealer', rank < count * 0.15 ? 5 : 23],
          ]);
    const leadPartnerKey = leadChannel === 'direct' ? null : partnerFor(region, leadChannel).key;
    // Zipf-like over the rank, with noise so neighbours do not look staged.
    const annual = lifecycle === 'prospect' ? 0 : Math.round(40_000_000 * Math.pow(rank + 4, -1.4) * Math.exp(0.2 * rng.normal()) + rng.range(6_000, 25_000));
    const strategic = rank < count * 0.03 || rng.chance(0.03);
    const highPotential = !strategic && (lifecycle === 'prospect' || lifecycle === 'onboarding' ? rng.chance(0.3) : rng.chance(0.04));
    const ownerEmail = lifecycle === 'prospect' && rng.chance(0.3) ? null : rng.chance(0.8) ? 'manager@demo.test' : ADMIN_EMAIL;
    const csmEmail = lifecycle === 'prospect' ? null : region === 'APAC' || (region === 'Americas' && rng.chance(0.5)) ? 'csm2@demo.test' : 'csm1@demo.test';
    const erp = rng.chance(0.12) ? null : rng.pick(ERP_SYSTEMS);
    accounts.push({
      externalId,
      name,
      industry,
      region,
      country: place.country,
      sizeBand: sizeBandFor(rank, count, rng),
      ownerEmail,
      csmEmail,
      leadChannel,
      leadPartnerKey,
      strategic,
      highPotential,
      lifecycle,
      erp,
      domain: `${slugify(name.replace(/ (GmbH|SA|Ltd\.?|B\.V\.|AB|S\.L\.|S\.p\.A\.|Sp\. z o\.o\.|LLC|K\.K\.|Pte Ltd|Pty Ltd|Pvt Ltd|Co\., Ltd\.|Inc\.|Ltda\.|S\.A\. de C\.V\.)$/, ''))}.test`,
      annualRevenue: annual,
    });
  }
  return accounts;
}

export const ACCOUNT_CSV_COLUMNS = [
  'externalId',
  'name',
  'industry',
  'region',
  'sizeBand',
  'ownerEmail',
  'csmEmail',
  'leadChannel',
  'leadPartnerId',
  'strategic',
  'highPotential',
  'lifecycle',
  // In PostgreSQL's jsonb key order (shorter keys first): the import compares custom
  // attributes as JSON text, so another order would count every re-import as an update.
  'attr.erp',
  'attr.country',
  'attr.website',
] as const;

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The accounts as one import CSV (`POST /v1/accounts:import`); `partnerIds` maps partner keys to ids. */
export function accountsCsv(accounts: readonly DemoAccount[], partnerIds: ReadonlyMap<string, string>): string {
  const lines = [ACCOUNT_CSV_COLUMNS.join(',')];
  for (const a of accounts) {
    let partnerId = '';
    if (a.leadPartnerKey) {
      partnerId = partnerIds.get(a.leadPartnerKey) ?? '';
      if (!partnerId) throw new Error(`no id for partner ${a.leadPartnerKey}`);
    }
    const cells: Record<(typeof ACCOUNT_CSV_COLUMNS)[number], string> = {
      externalId: a.externalId,
      name: a.name,
      industry: a.industry,
      region: a.region,
      sizeBand: a.sizeBand,
      ownerEmail: a.ownerEmail ?? '',
      csmEmail: a.csmEmail ?? '',
      leadChannel: a.leadChannel,
      leadPartnerId: partnerId,
      strategic: String(a.strategic),
      highPotential: String(a.highPotential),
      lifecycle: a.lifecycle,
      'attr.country': a.country,
      'attr.erp': a.erp ?? '',
      'attr.website': `https://www.${a.domain.replace(/\.test$/, '.example')}`,
    };
    lines.push(ACCOUNT_CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

// ---- revenue ----

export interface DemoRevenueRow {
  externalId: string;
  month: string;
  productRevenue: number;
  serviceRevenue: number;
  grossMargin: number;
}

/** The `count` full calendar months before `now` (UTC), oldest first, as YYYY-MM. */
export function monthsBefore(now: Date, count = DEMO_REVENUE_MONTHS): string[] {
  const out: string[] = [];
  for (let k = count; k >= 1; k--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/**
 * 24 months of revenue per account (EUR cents), ending the month before `now`: trend by
 * lifecycle (onboarding ramps up, at-risk declines, churned stops), industry seasonality,
 * noise, a few empty months and credit notes (negative product revenue). Gross margin is
 * product × 18–34% + service × 45–65%, about 25–45% overall.
 */
export function generateRevenue(accounts: readonly DemoAccount[], now: Date): DemoRevenueRow[] {
  const months = monthsBefore(now);
  const n = months.length;
  const rows: DemoRevenueRow[] = [];
  for (const a of accounts) {
    if (a.annualRevenue <= 0) continue;
    const rng = new Rng(`demo:revenue:${a.externalId}`);
    const serviceShare = rng.range(0.08, 0.42);
    const productMargin = rng.range(0.18, 0.34);
    const serviceMargin = rng.range(0.45, 0.65);
    const season = SEASONALITY[a.industry];
    const growth = a.lifecycle === 'at-risk' ? rng.range(-0.6, -0.25) : a.lifecycle === 'churned' ? rng.range(-0.4, -0.1) : rng.range(-0.2, 0.35);
    // Onboarding accounts start buying 2–9 months ago; churned ones stopped 3–18 months ago.
    const first = a.lifecycle === 'onboarding' ? n - rng.int(2, 9) : 0;
    const last = a.lifecycle === 'churned' ? n - 1 - rng.int(3, 18) : n - 1;
    // Small accounts buy now and then: many months without an invoice.
    const idleChance = a.annualRevenue < 25_000 ? 0.3 : a.annualRevenue < 80_000 ? 0.1 : 0.01;
    const monthly = a.annualRevenue / 12;
    for (let m = 0; m < n; m++) {
      const calendarMonth = Number(months[m].slice(5, 7));
      // Draw every month's numbers even when unused, so one rule changing does not shift the rest.
      const noise = 1 + rng.range(-0.15, 0.15);
      const idle = rng.chance(idleChance);
      const credit = rng.chance(0.015);
      const creditShare = rng.range(0.1, 0.4);
      const ramp = a.lifecycle === 'onboarding' ? Math.min(1, (m - first + 1) / 4) : 1;
      if (m < first || m > last) continue;
      let product: number;
      let service: number;
      if (credit) {
        // A credit note: goods returned or a service failure compensated.
        product = -Math.round(monthly * creditShare * 100);
        service = 0;
      } else if (idle) {
        product = 0;
        service = 0;
      } else {
        const trend = 1 + growth * (m / (n - 1) - 0.5) * 2;
        const seasonal = 1 + season.amp * Math.cos((2 * Math.PI * (calendarMonth - season.peak)) / 12);
        const total = Math.max(0, monthly * trend * seasonal * noise * ramp);
        service = Math.round(total * serviceShare * 100);
        product = Math.round(total * 100) - service;
      }
      rows.push({ externalId: a.externalId, month: months[m], productRevenue: product, serviceRevenue: service, grossMargin: Math.round(product * productMargin + service * serviceMargin) });
    }
  }
  return rows;
}

/** Revenue per account over the last 12 of the generated months (cents), for checks and tests. */
export function revenueLast12(rows: readonly DemoRevenueRow[], now: Date): Map<string, number> {
  const window = new Set(monthsBefore(now, 12));
  const out = new Map<string, number>();
  for (const r of rows) if (window.has(r.month)) out.set(r.externalId, (out.get(r.externalId) ?? 0) + r.productRevenue + r.serviceRevenue);
  return out;
}

// ---- stakeholders ----

export interface DemoContact {
  name: string;
  title: string;
  department: string;
  email: string;
  phone: string;
  buyingRole: BuyingRole;
  influence: Influence;
  /** Index of the manager in the same account's list (always earlier), or null for a root. */
  reportsTo: number | null;
  engaged: boolean;
}

const FIRST_NAMES: Record<Region, readonly string[]> = {
  EMEA: ['Anna', 'Lukas', 'Sophie', 'Jonas', 'Claire', 'Matteo', 'Elena', 'Pieter', 'Ingrid', 'Tomasz', 'Lucía', 'Henrik', 'Amira', 'Oliver', 'Marie', 'Karim'],
  APAC: ['Haruto', 'Yuki', 'Mei', 'Arjun', 'Ananya', 'Ji-woo', 'Min-jun', 'Chloe', 'Liam', 'Aiko', 'Rahul', 'Wei', 'Siti', 'Kenji'],
  Americas: ['Emily', 'Michael', 'Olivia', 'James', 'Camila', 'Mateo', 'Sarah', 'Daniel', 'Isabela', 'Carlos', 'Grace', 'Ethan', 'Valentina', 'Noah'],
};
const LAST_NAMES: Record<Region, readonly string[]> = {
  EMEA: ['Müller', 'Dubois', 'Rossi', 'de Vries', 'Andersson', 'García', 'Kowalski', 'Smith', 'Schneider', 'Lefebvre', 'Bianchi', 'Nilsson', 'Fernández', 'Haddad', 'Wright'],
  APAC: ['Tanaka', 'Suzuki', 'Chen', 'Sharma', 'Patel', 'Kim', 'Park', 'Nguyen', 'Wilson', 'Sato', 'Iyer', 'Lim', 'Tan', 'Watanabe'],
  Americas: ['Johnson', 'Williams', 'Brown', 'Silva', 'Santos', 'Hernández', 'Miller', 'Davis', 'Oliveira', 'López', 'Taylor', 'Anderson', 'Moore', 'Martínez'],
};
const PHONE_PREFIX: Record<string, string> = {
  Germany: '+49 89',
  France: '+33 1',
  'United Kingdom': '+44 20',
  Netherlands: '+31 20',
  Sweden: '+46 8',
  Spain: '+34 91',
  Italy: '+39 02',
  Poland: '+48 22',
  'United Arab Emirates': '+971 4',
  Japan: '+81 3',
  Singapore: '+65 6',
  Australia: '+61 2',
  India: '+91 22',
  'South Korea': '+82 2',
  'United States': '+1 312',
  Canada: '+1 416',
  Brazil: '+55 11',
  Mexico: '+52 55',
};

/** Title and department per buying role; the first entries suit a larger company. */
const ROLE_POSITIONS: Record<BuyingRole, ReadonlyArray<readonly [string, string]>> = {
  'decision-maker': [
    ['Chief Operating Officer', 'Executive'],
    ['Managing Director', 'Executive'],
    ['VP Operations', 'Operations'],
    ['Plant Director', 'Operations'],
  ],
  'economic-buyer': [
    ['Chief Financial Officer', 'Finance'],
    ['Head of Procurement', 'Procurement'],
    ['Finance Director', 'Finance'],
  ],
  influencer: [
    ['IT Director', 'IT'],
    ['Head of Engineering', 'Engineering'],
    ['Technical Lead', 'Engineering'],
    ['Administration Director', 'Administration'],
    ['Quality Manager', 'Quality'],
  ],
  champion: [
    ['Operations Manager', 'Operations'],
    ['Maintenance Manager', 'Maintenance'],
    ['Digital Transformation Lead', 'IT'],
    ['Service Manager', 'Operations'],
  ],
  'end-user': [
    ['Maintenance Engineer', 'Maintenance'],
    ['Shift Supervisor', 'Operations'],
    ['Control Room Operator', 'Operations'],
    ['Field Technician', 'Maintenance'],
    ['Systems Administrator', 'IT'],
  ],
  blocker: [
    ['IT Security Officer', 'IT'],
    ['Procurement Manager', 'Procurement'],
    ['Legal Counsel', 'Legal'],
  ],
};

const emailLocal = (first: string, last: string): string =>
  `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z.]+/g, '');

/** Map shapes, so some accounts show the gaps a CSM should close. */
type MapShape = 'complete' | 'no-decision-maker' | 'no-champion' | 'single-threaded' | 'hidden-influencer' | 'blocker';

/**
 * Contacts for a subset of accounts (the larger ones first, then a spread of others):
 * 2–6 each, a root (usually the decision maker), managers under it, individual
 * contributors under them, all buying roles, and deliberate gaps on some accounts.
 * Returned per account in creation order (managers before their reports).
 */
export function generateStakeholders(accounts: readonly DemoAccount[], count = 60): Map<string, DemoContact[]> {
  const byRevenue = [...accounts].filter((a) => a.lifecycle !== 'churned').sort((x, y) => y.annualRevenue - x.annualRevenue || x.externalId.localeCompare(y.externalId));
  const picked = new Set(byRevenue.slice(0, Math.round(count * 0.4)).map((a) => a.externalId));
  const rest = new Rng('demo:stakeholder-accounts').shuffle(byRevenue.slice(Math.round(count * 0.4)));
  for (const a of rest) {
    if (picked.size >= count) break;
    picked.add(a.externalId);
  }
  const out = new Map<string, DemoContact[]>();
  const shapes: MapShape[] = ['complete', 'complete', 'no-champion', 'complete', 'single-threaded', 'hidden-influencer', 'complete', 'no-decision-maker', 'blocker', 'complete'];
  let n = 0;
  for (const a of accounts) {
    if (!picked.has(a.externalId)) continue;
    const rng = new Rng(`demo:contacts:${a.externalId}`);
    const shape = shapes[n++ % shapes.length];
    const big = a.sizeBand === '5000+' || a.sizeBand === '1000-4999';
    const size = Math.max(shape === 'blocker' || shape === 'hidden-influencer' ? 4 : 2, big ? rng.int(4, 6) : rng.int(2, 4));
    const roles: BuyingRole[] = [shape === 'no-decision-maker' ? 'economic-buyer' : 'decision-maker'];
    const managers: BuyingRole[] = rng.shuffle(
      shape === 'no-champion' ? ['economic-buyer', 'influencer'] : shape === 'no-decision-maker' ? ['champion', 'influencer'] : ['champion', 'economic-buyer', 'influencer'],
    );
    if (shape === 'blocker') roles.push('champion', 'blocker');
    if (shape === 'hidden-influencer') roles.push('champion', 'influencer');
    while (roles.length < size) {
      const next = managers.shift() ?? rng.weighted<BuyingRole>([['end-user', 4], ['influencer', 1], ['blocker', 1]]);
      if (shape === 'no-champion' && next === 'champion') continue;
      roles.push(next);
    }
    const usedNames = new Set<string>();
    const contacts: DemoContact[] = [];
    roles.forEach((role, i) => {
      let first = '';
      let last = '';
      do {
        first = rng.pick(FIRST_NAMES[a.region]);
        last = rng.pick(LAST_NAMES[a.region]);
      } while (usedNames.has(`${first} ${last}`));
      usedNames.add(`${first} ${last}`);
      const [title, department] = rng.pick(ROLE_POSITIONS[role]);
      let influence: Influence =
        role === 'decision-maker' || role === 'economic-buyer' ? 'high' : role === 'end-user' ? rng.weighted<Influence>([['low', 3], ['medium', 2]]) : rng.weighted<Influence>([['medium', 3], ['high', 2]]);
      let engaged = role === 'decision-maker' ? rng.chance(0.75) : role === 'blocker' ? rng.chance(0.3) : rng.chance(0.7);
      // Managers report to the root; individual contributors to the nearest earlier manager.
      let reportsTo: number | null = null;
      if (i > 0) {
        const bosses = contacts.map((c, j) => [c, j] as const).filter(([c]) => c.buyingRole !== 'end-user' && c.buyingRole !== 'blocker');
        reportsTo = role === 'end-user' || role === 'blocker' ? rng.pick(bosses)[1] : 0;
      }
      if (shape === 'single-threaded') engaged = i === 0;
      if (shape === 'hidden-influencer' && role === 'influencer') {
        influence = 'high';
        engaged = false;
      }
      if (shape === 'blocker' && role === 'blocker') {
        influence = 'high';
        engaged = false;
      }
      contacts.push({
        name: `${first} ${last}`,
        title,
        department,
        email: `${emailLocal(first, last)}@${a.domain}`,
        phone: `${PHONE_PREFIX[a.country] ?? '+1 555'} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
        buyingRole: role,
        influence,
        reportsTo,
        engaged,
      });
    });
    if (shape === 'blocker') {
      // Nobody engaged above the blocker and no champion in its department: the gap shows.
      const b = contacts.findIndex((c) => c.buyingRole === 'blocker');
      contacts[b].reportsTo = 0;
      contacts[0].engaged = false;
      contacts[b].department = 'Legal';
      contacts[b].title = 'Legal Counsel';
      for (const c of contacts) if (c.buyingRole === 'champion' && c.department === 'Legal') c.department = 'Operations';
    }
    out.set(a.externalId, contacts);
  }
  return out;
}

// ---- installed base ----

export interface DemoProject {
  name: string;
  kind: 'project' | 'purchase';
  size: 'large' | 'mid' | 'small';
  lead: ProjectLead;
  /** Partner key, required for partner and dealer leads. */
  partnerKey: string | null;
  region: Region;
  goLiveDate: string | null;
  status: 'delivering' | 'live' | 'retired';
  delivered: string;
}

const PROJECT_NAMES: Record<Industry, readonly string[]> = {
  Manufacturing: ['MES rollout', 'Line automation', 'Condition monitoring', 'Robot cell retrofit', 'Spare parts programme', 'Predictive maintenance pilot'],
  Energy: ['SCADA upgrade', 'Substation automation', 'Asset health monitoring', 'Turbine controls retrofit', 'Outage management system'],
  Retail: ['Store refrigeration controls', 'Warehouse automation', 'Energy management in stores', 'Building systems upgrade'],
  Healthcare: ['Medical device fleet service', 'Building management system', 'Sterilisation line upgrade', 'Facility monitoring'],
  Logistics: ['Sortation system', 'Fleet telematics', 'Cold chain monitoring', 'Warehouse control system'],
  'Public sector': ['Water network telemetry', 'Traffic control upgrade', 'Pumping station automation', 'Campus building automation'],
  Telecom: ['Data centre cooling', 'Network site power', 'Remote site monitoring', 'Backup power upgrade'],
  'Food & beverage': ['Filling line automation', 'Process control upgrade', 'Cold storage controls', 'Traceability system'],
};
const PURCHASE_ITEMS = ['Controller spares', 'Sensor kits', 'Drive units', 'HMI panels', 'Service tools', 'Replacement pumps', 'Network switches'];

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * 1–3 projects or purchases for most customers (not prospects): who led them follows the
 * account's channel (direct accounts: vendor-led projects and direct purchases; partner
 * accounts: partner-led; dealer accounts: dealer purchases), go-live dates from five
 * years ago to half a year ahead.
 */
export function generateProjects(accounts: readonly DemoAccount[], now: Date): Map<string, DemoProject[]> {
  const out = new Map<string, DemoProject[]>();
  for (const a of accounts) {
    if (a.lifecycle === 'prospect') continue;
    const rng = new Rng(`demo:projects:${a.externalId}`);
    const big = a.annualRevenue > 250_000;
    if (!big && !rng.chance(0.7)) continue;
    const count = big ? rng.int(2, 3) : rng.weighted([[1, 6], [2, 3], [3, 1]] as const);
    const projects: DemoProject[] = [];
    for (let i = 0; i < count; i++) {
      const lead: ProjectLead =
        a.leadChannel === 'direct'
          ? rng.weighted<ProjectLead>([['vendor', big ? 75 : 45], ['direct', big ? 25 : 55]])
          : a.leadChannel === 'partner'
            ? rng.weighted<ProjectLead>([['partner', 70], ['vendor', 20], ['direct', 10]])
            : rng.weighted<ProjectLead>([['dealer', 80], ['direct', 20]]);
      const kind = lead === 'vendor' || lead === 'partner' ? rng.weighted<'project' | 'purchase'>([['project', 85], ['purchase', 15]]) : rng.weighted<'project' | 'purchase'>([['purchase', 80], ['project', 20]]);
      const size =
        kind === 'purchase'
          ? rng.weighted<DemoProject['size']>([['small', 70], ['mid', 30]])
          : lead === 'vendor'
            ? rng.weighted<DemoProject['size']>([['large', big ? 55 : 25], ['mid', 35], ['small', 15]])
            : rng.weighted<DemoProject['size']>([['large', 15], ['mid', 45], ['small', 40]]);
      const partnerKey = lead === 'partner' ? (a.leadChannel === 'partner' ? a.leadPartnerKey : partnerFor(a.region, 'partner').key) : lead === 'dealer' ? partnerFor(a.region, 'dealer').key : null;
      const offsetMonths = a.lifecycle === 'onboarding' ? rng.int(-4, 6) : a.lifecycle === 'churned' ? rng.int(-60, -18) : rng.int(-60, 6);
      const goLive = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offsetMonths, rng.int(1, 28)));
      const future = goLive.getTime() > now.getTime();
      const status: DemoProject['status'] = future ? 'delivering' : a.lifecycle === 'churned' || (offsetMonths < -42 && rng.chance(0.5)) ? 'retired' : 'live';
      const base = kind === 'purchase' ? rng.pick(PURCHASE_ITEMS) : rng.pick(PROJECT_NAMES[a.industry]);
      const site = rng.pick(['Plant 1', 'Plant 2', 'HQ', 'North site', 'South site', 'Central depot', 'Region West', 'Region East']);
      const units = rng.int(2, 40);
      projects.push({
        name: `${base} — ${site}${projects.some((p) => p.name.startsWith(base)) ? ` (phase ${i + 1})` : ''}`,
        kind,
        size,
        lead,
        partnerKey,
        region: a.region,
        goLiveDate: future && rng.chance(0.3) ? null : isoDate(goLive),
        status,
        delivered: kind === 'purchase' ? `${units} × ${base.toLowerCase()}` : `${base} at ${site}: ${units} units, commissioning and operator training`,
      });
    }
    out.set(a.externalId, projects);
  }
  return out;
}

/** The body of `POST /v1/accounts/{id}/contacts` for a contact, its manager's id resolved. */
export function contactRequest(c: DemoContact, reportsToId: string | null): Record<string, unknown> {
  const { reportsTo: _reportsTo, ...fields } = c;
  return { ...fields, reportsToId };
}

/** The body of `POST /v1/accounts/{id}/projects` for a project, its partner's id resolved. */
export function projectRequest(p: DemoProject, partnerIds: ReadonlyMap<string, string>): Record<string, unknown> {
  const { partnerKey, ...fields } = p;
  const partnerId = partnerKey ? partnerIds.get(partnerKey) : null;
  if (partnerId === undefined) throw new Error(`no id for partner ${partnerKey}`);
  return { ...fields, partnerId };
}

// ---- the whole plan ----

export interface DemoPlan {
  accounts: DemoAccount[];
  contacts: Map<string, DemoContact[]>;
  projects: Map<string, DemoProject[]>;
  revenue: DemoRevenueRow[];
}

export function demoPlan(now: Date): DemoPlan {
  const accounts = generateAccounts();
  return { accounts, contacts: generateStakeholders(accounts), projects: generateProjects(accounts, now), revenue: generateRevenue(accounts, now) };
}

/**
 * Tier 1 per the tiering rule (DOMAIN §1): the shortest prefix of accounts by revenue,
 * descending, that makes ≥ 80% of the positive revenue. Used by tests and to sanity-check.
 */
export function tier1Count(revenueByAccount: ReadonlyMap<string, number>): number {
  const positive = [...revenueByAccount.values()].filter((v) => v > 0).sort((x, y) => y - x);
  const total = positive.reduce((s, v) => s + v, 0);
  let sum = 0;
  for (let i = 0; i < positive.length; i++) {
    sum += positive[i];
    if (sum * 5 >= total * 4) return i + 1;
  }
  return positive.length;
}
