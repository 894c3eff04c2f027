import fc from 'fast-check';
import type { JsonSchema, WriteOperation } from './openapi';

/**
 * Malformed requests for one write endpoint, generated from its OpenAPI schema with
 * fast-check and a seed (the same seed and document give the same requests). Each request
 * is a valid base body (so mutations reach deep into the validation) with one mutation:
 * a wrong type, a missing or extra field, a boundary number, a long string, a NUL byte, a
 * lone surrogate, deep nesting, bad JSON, a wrong content type, a random JSON value, a
 * malformed path parameter or header, odd but valid Unicode; CSV endpoints get malformed
 * files instead.
 */
export interface FuzzRequest {
  method: string;
  /** Path and query, percent-encoding as sent (malformed on purpose sometimes). */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The mutation's kind, for the report. */
  mutation: string;
}

export interface FuzzContext {
  /** Authorization header per security scheme (`user`, `operator`). */
  auth: Record<string, string>;
  /** A real id for each path with `{id}` (a resource of the fuzzed tenant), so mutations get past the lookup. */
  ids: Record<string, string>;
  /** Unique per run: emails and slugs of valid bases do not collide between runs on one database. */
  runId: string;
  /** A valid item for arrays whose schema says nothing (`records` of the revenue batch). */
  itemHints: Record<string, unknown>;
}

type Path = Array<string | number>;

const RAW = (n: number) => `@@RAW${n}@@`;

const TYPE_SAMPLES: Array<[string, unknown]> = [
  ['string', 'a string'],
  ['integer', 12345],
  ['number', 1.25],
  ['boolean', true],
  ['null', null],
  ['array', [1, 'two']],
  ['object', { nested: 'object' }],
];

const NUMBER_TOKENS = ['0', '-0', '-1', '1.5', '0.1', '1e-320', '2147483647', '2147483648', '-2147483649', '9007199254740993', '9223372036854775808', '1e308', '-1e308', '1e400', '-1e400', '123456789012345678901234567890', '1E2', '0.000000000000000000001'];
const SURROGATES = ['\ud800', '\udfff', 'a\ud83d', '\ude00\ud83d', '\udbff\udbff', 'x\udc00y'];
const ODD_UNICODE = ['😀🎉👩‍👩‍👧', '售后服务平台', 'مرحبا بالعالم', 'e\u0301\u0301\u0301', '\u202eevil\u202c', '\ufeffBOM', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǵ̲͓̩̟̪̩', '\u2028\u2029', 'null', '<script>alert(1)</script>', "'; DROP TABLE accounts; --", '${7*7}', '%00', '\\u0000'];
const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'tenantId', 'id', '$where', '', ' ', 'a'.repeat(300), 'ключ', 'k\u0000', '\ud800'];
const BAD_JSON = ['truncate', 'trailing-garbage', 'single-quotes', 'trailing-comma', 'NaN', 'undefined', 'comment', 'empty', 'whitespace', 'two-values', 'unquoted-key', 'raw-control', 'invalid-utf8', 'bom', 'lone-brace'] as const;
const CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json-patch+json', 'application/vnd.api+json', 'image/png', '', 'application/json, text/plain', ';;;', 'text/csv'];
const BAD_IDS = ['not-a-uuid', '%00', '00000000-0000-0000-0000-00000000000g', '0'.repeat(36), 'a'.repeat(101), 'a'.repeat(200), '%E0%A4%A', '%', '..%2F..%2Fetc%2Fpasswd', '😀', '%F0%9F%98%80', ' ', "1'OR'1'='1", '-1', '{id}', '%ud800', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000'];
const HEADERS: Array<[string, string[]]> = [
  // Only values an HTTP client can send (visible ASCII and Latin-1): invalid header bytes are the raw-socket tests' job.
  ['idempotency-key', ['', ' ', 'k'.repeat(300), 'key with spaces', 'cl\u00e9', '../../', 'a,b', 'valid-key-1', '%00']],
  ['x-correlation-id', ['x'.repeat(500), '<script>', 'id\twith\ttabs', '']],
  ['accept', ['application/xml', '*/*', 'text/html;q=0.1', 'nonsense']],
  ['authorization', ['Bearer ', 'Bearer x.y.z', 'Basic YTpi', 'Bearer ' + 'a'.repeat(5000), 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'garbage']],
  ['x-api-key', ['', 'stw_' + 'a'.repeat(60), 'k'.repeat(2000), 'not-a-key']],
  ['content-length', []],
];
const CSV_VARIANTS = ['unclosed-quote', 'nul', 'long-cell', 'long-column', 'many-columns', 'binary', 'empty', 'header-only', 'bom', 'crlf', 'quote-in-field', 'formula', 'unknown-column', 'bad-values', 'ragged', 'only-newlines', 'utf16', 'many-rows'] as const;

type Mutation =
  | { kind: 'wrong-type'; pick: number; sample: number }
  | { kind: 'missing-field'; pick: number }
  | { kind: 'extra-field'; pick: number; key: string }
  | { kind: 'boundary-number'; pick: number; token: string }
  | { kind: 'long-string'; pick: number; length: number; unit: string }
  | { kind: 'nul-byte'; pick: number; at: number; inKey: boolean }
  | { kind: 'lone-surrogate'; pick: number; text: string }
  | { kind: 'deep-json'; pick: number; depth: number; open: '[' | '{'; whole: boolean }
  | { kind: 'bad-json'; variant: (typeof BAD_JSON)[number]; cut: number }
  | { kind: 'content-type'; type: string }
  | { kind: 'random-body'; value: unknown }
  | { kind: 'path-param'; value: string }
  | { kind: 'header'; name: string; value: number }
  | { kind: 'odd-unicode'; pick: number; text: string }
  | { kind: 'csv'; variant: (typeof CSV_VARIANTS)[number]; n: number }
  | { kind: 'csv-random'; text: string };

function mutationArbitrary(op: WriteOperation): fc.Arbitrary<Mutation> {
  const pick = fc.nat();
  const json = op.contentTypes.includes('application/json');
  const csv = op.contentTypes.includes('text/csv');
  const arbs: Array<fc.WeightedArbitrary<Mutation>> = [
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES).map((type) => ({ kind: 'content-type' as const, type })) },
    { weight: 2, arbitrary: fc.record({ name: fc.constantFrom(...HEADERS.filter(([, v]) => v.length).map(([n]) => n)), value: fc.nat() }).map((r) => ({ kind: 'header' as const, ...r })) },
    { weight: 2, arbitrary: fc.record({ variant: fc.constantFrom(...BAD_JSON), cut: fc.nat() }).map((r) => ({ kind: 'bad-json' as const, ...r })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: 'random-body' as const, value })) },
  ];
  if (op.pathParams.length) arbs.push({ weight: 2, arbitrary: fc.constantFrom(...BAD_IDS).map((value) => ({ kind: 'path-param' as const, value })) });
  if (json && op.body) {
    arbs.push(
      { weight: 4, arbitrary: fc.record({ pick, sample: fc.nat() }).map((r) => ({ kind: 'wrong-type' as const, ...r })) },
      { weight: 3, arbitrary: pick.map((p) => ({ kind: 'missing-field' as const, pick: p })) },
      { weight: 3, arbitrary: fc.record({ pick, key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 20 })) }).map((r) => ({ kind: 'extra-field' as const, ...r })) },
      { weight: 3, arbitrary: fc.record({ pick, token: fc.constantFrom(...NUMBER_TOKENS) }).map((r) => ({ kind: 'boundary-number' as const, ...r })) },
      { weight: 3, arbitrary: fc.record({ pick, length: fc.constantFrom(201, 255, 1001, 5001, 10_001, 100_000), unit: fc.constantFrom('a', 'é', '😀', ' ') }).map((r) => ({ kind: 'long-string' as const, ...r })) },
      { weight: 3, arbitrary: fc.record({ pick, at: fc.nat(), inKey: fc.boolean() }).map((r) => ({ kind: 'nul-byte' as const, ...r })) },
      { weight: 3, arbitrary: fc.record({ pick, text: fc.constantFrom(...SURROGATES) }).map((r) => ({ kind: 'lone-surrogate' as const, ...r })) },
      { weight: 2, arbitrary: fc.record({ pick, depth: fc.constantFrom(33, 64, 1000, 10_000), open: fc.constantFrom<'[' | '{'>('[', '{'), whole: fc.boolean() }).map((r) => ({ kind: 'deep-json' as const, ...r })) },
      { weight: 2, arbitrary: fc.record({ pick, text: fc.constantFrom(...ODD_UNICODE) }).map((r) => ({ kind: 'odd-unicode' as const, ...r })) },
    );
  }
  if (csv) {
    arbs.push(
      { weight: 8, arbitrary: fc.record({ variant: fc.constantFrom(...CSV_VARIANTS), n: fc.nat({ max: 50 }) }).map((r) => ({ kind: 'csv' as const, ...r })) },
      { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((text) => ({ kind: 'csv-random' as const, text })) },
    );
  }
  return fc.oneof(...arbs);
}

// ---- valid bases ----

function typeOf(s: JsonSchema | undefined): string | undefined {
  if (!s) return undefined;
  if (s.type) return s.type;
  if (s.enum?.length) return typeof s.enum.find((v) => v !== null);
  const alt = s.anyOf?.[0] ?? s.oneOf?.[0] ?? s.allOf?.[0];
  return alt ? typeOf(alt) : undefined;
}

function sampleString(s: JsonSchema, key: string, ctx: FuzzContext, i: number): string {
  if (s.enum?.length) return String(s.enum.find((v) => v !== null));
  if (s.format === 'uuid') return ctx.ids[`field:${key}`] ?? '0190f3c2-7a4b-7cde-8f01-23456789abcd';
  if (s.format === 'email' || key.toLowerCase().includes('email')) return `fuzz-${ctx.runId}-${i}@example.test`;
  if (s.format === 'date-time') return new Date(Date.now() + 86_400_000 * 30).toISOString();
  if (s.format === 'date') return '2025-01-15';
  if (s.pattern?.includes('[A-Z]{3}')) return 'EUR';
  if (s.pattern?.includes('0[1-9]|1[0-2]')) return '2025-01';
  if (s.pattern?.includes('+0-9')) return '+49 30 123456';
  if (s.pattern?.includes('a-z0-9')) return `fz-${ctx.runId}-${i}`.toLowerCase().slice(0, s.maxLength ?? 40);
  const word = `Fuzz ${key} ${i}`;
  return (word.length < (s.minLength ?? 0) ? word.padEnd(s.minLength!, 'x') : word).slice(0, s.maxLength ?? 1000);
}

/** A valid value for a schema: required fields only, enums' first value, numbers within range. */
function sample(s: JsonSchema | undefined, key: string, ctx: FuzzContext, i: number): unknown {
  if (!s) return null;
  const alt = s.anyOf?.[0] ?? s.oneOf?.[0];
  if (alt && !s.type) return sample(alt, key, ctx, i);
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? []) out[name] = sample(s.properties?.[name], name, ctx, i);
      return out;
    }
    case 'array': {
      const hint = ctx.itemHints[key];
      const n = Math.max(1, s.minItems ?? 0);
      return Array.from({ length: n }, () => (hint !== undefined ? structuredClone(hint) : sample(s.items, key, ctx, i)));
    }
    case 'string':
      return sampleString(s, key, ctx, i);
    case 'integer':
    case 'number':
      return s.enum?.[0] ?? Math.max(typeof s.minimum === 'number' ? s.minimum : 1, 1);
    case 'boolean':
      return true;
    default:
      return 'value';
  }
}

// ---- paths into a body ----

interface Slot {
  path: Path;
  schema?: JsonSchema;
  required: boolean;
}

/** Every field the schema or the base body has (nested objects and first array items), with its schema. */
function slots(schema: JsonSchema | undefined, value: unknown, path: Path = [], depth = 0): Slot[] {
  if (depth > 6) return [];
  const out: Slot[] = [];
  const type = typeOf(schema) ?? (Array.isArray(value) ? 'array' : typeof value);
  if (type === 'object' && (schema?.properties || (value && typeof value === 'object'))) {
    const names = new Set([...Object.keys(schema?.properties ?? {}), ...Object.keys((value as Record<string, unknown>) ?? {})]);
    for (const name of names) {
      const child = schema?.properties?.[name];
      const childValue = (value as Record<string, unknown> | undefined)?.[name];
      out.push({ path: [...path, name], schema: child, required: schema?.required?.includes(name) ?? false });
      out.push(...slots(child, childValue, [...path, name], depth + 1));
    }
  } else if (type === 'array') {
    const first = Array.isArray(value) ? value[0] : undefined;
    out.push({ path: [...path, 0], schema: schema?.items, required: false });
    out.push(...slots(schema?.items, first, [...path, 0], depth + 1));
  }
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (node[k] === null || typeof node[k] !== 'object') node[k] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[k] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return root;
}

function deleteAt(root: unknown, path: Path): void {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    if (!node || typeof node !== 'object') return;
    node = node[k] as Record<string | number, unknown>;
  }
  if (node && typeof node === 'object') delete node[path[path.length - 1]!];
}

function getAt(root: unknown, path: Path): unknown {
  let node = root as Record<string | number, unknown> | undefined;
  for (const k of path) node = node && typeof node === 'object' ? (node[k] as Record<string | number, unknown>) : undefined;
  return node;
}

const deep = (depth: number, open: '[' | '{') => (open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1));

function badJson(text: string, variant: (typeof BAD_JSON)[number], cut: number): string | Uint8Array {
  switch (variant) {
    case 'truncate':
      return text.slice(0, Math.max(1, cut % Math.max(1, text.length - 1)));
    case 'trailing-garbage':
      return `${text}xyz`;
    case 'single-quotes':
      return text.replace(/"/g, "'");
    case 'trailing-comma':
      return text.replace(/}$/, ',}');
    case 'NaN':
      return '{"value": NaN}';
    case 'undefined':
      return 'undefined';
    case 'comment':
      return `/* comment */ ${text}`;
    case 'empty':
      return '';
    case 'whitespace':
      return '   \n\t ';
    case 'two-values':
      return `${text} ${text}`;
    case 'unquoted-key':
      return '{name: "x"}';
    case 'raw-control':
      return text.replace(/"$/, '').replace(/:"/, ':"\u0000\u0001');
    case 'invalid-utf8':
      return Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(text.slice(-1))]);
    case 'bom':
      return `\ufeff${text}`;
    case 'lone-brace':
      return '{';
  }
}

function csvFor(variant: (typeof CSV_VARIANTS)[number], n: number, i: number, runId: string): string | Uint8Array {
  const row = (k: number) => `FZ-${runId}-${i}-${k},Fuzz CSV ${k}`;
  switch (variant) {
    case 'unclosed-quote':
      return `externalId,name\n${row(0)}\n"unclosed,${'x'.repeat(n)}\n`;
    case 'nul':
      return `externalId,name\n${row(0)}\nFZ-${i},Bad\u0000Cell\n`;
    case 'long-cell':
      return `externalId,name\n${row(0)},\nFZ-${i}-long,${'x'.repeat(5001 + n)}\n`;
    case 'long-column':
      return `externalId,name,${'c'.repeat(101 + n)}\n${row(0)},v\n`;
    case 'many-columns':
      return `externalId,name,${Array.from({ length: 200 + n }, (_, k) => `attr.k${k}`).join(',')}\n${row(0)},${Array.from({ length: 200 + n }, () => 'v').join(',')}\n`;
    case 'binary':
      return new Uint8Array(Array.from({ length: 64 + n }, (_, k) => (k * 37 + i) % 256));
    case 'empty':
      return '';
    case 'header-only':
      return 'externalId,name\n';
    case 'bom':
      return `\ufeffexternalId,name\n${row(0)}\n`;
    case 'crlf':
      return `externalId,name\r\n${row(0)}\r\n${row(1)}\r\n`;
    case 'quote-in-field':
      return `externalId,name\n${row(0)}\nFZ-q-${i},"He said ""hi"""\nFZ-r-${i},a"b\n`;
    case 'formula':
      return `externalId,name\nFZ-f-${runId}-${i},=HYPERLINK("http://x")\n`;
    case 'unknown-column':
      return `externalId,name,colour\n${row(0)},red\n`;
    case 'bad-values':
      return `externalId,name,strategic,lifecycle,ownerEmail,leadPartnerId\n${row(0)},maybe,sleeping,nobody@example.test,not-a-uuid\n`;
    case 'ragged':
      return `externalId,name\n${row(0)},extra,cells\nonly-one\n`;
    case 'only-newlines':
      return '\n\n\n';
    case 'utf16':
      return new Uint8Array(Buffer.from(`externalId,name\n${row(0)}\n`, 'utf16le'));
    case 'many-rows':
      return `externalId,name\n${Array.from({ length: 100 + n * 10 }, (_, k) => row(k)).join('\n')}\n`;
  }
}

/** `count` requests for `op`, deterministic for a seed. */
export function requestsFor(op: WriteOperation, ctx: FuzzContext, count: number, seed: number): FuzzRequest[] {
  const mutations = fc.sample(mutationArbitrary(op), { seed, numRuns: count });
  return mutations.map((m, i) => build(op, ctx, m, i));
}

function build(op: WriteOperation, ctx: FuzzContext, m: Mutation, i: number): FuzzRequest {
  const auth = op.security.map((s) => ctx.auth[s]).find(Boolean);
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  let id = ctx.ids[op.path] ?? '0190f3c2-7a4b-7cde-8f01-23456789abcd';
  const json = op.contentTypes.includes('application/json');
  const csv = op.contentTypes.includes('text/csv');
  let body: string | Uint8Array | undefined;
  let contentType: string | undefined = json ? 'application/json' : csv ? 'text/csv' : undefined;

  const base = json ? sample(op.body, '', ctx, i) : undefined;
  const raws: string[] = [];
  const raw = (text: string) => {
    raws.push(text);
    return RAW(raws.length - 1);
  };
  const all = json ? slots(op.body, base) : [];
  const choose = (n: number, filter: (s: Slot) => boolean = () => true) => {
    const candidates = all.filter(filter);
    return candidates.length ? candidates[n % candidates.length] : all.length ? all[n % all.length] : undefined;
  };
  let value: unknown = base;
  switch (m.kind) {
    case 'wrong-type': {
      const slot = choose(m.pick);
      const type = typeOf(slot?.schema);
      const others = TYPE_SAMPLES.filter(([t]) => t !== type && !(type === 'number' && t === 'integer') && !(type === 'integer' && t === 'number'));
      if (slot) value = setAt(value, slot.path, others[m.sample % others.length]![1]);
      else value = others[m.sample % others.length]![1];
      break;
    }
    case 'missing-field': {
      const slot = choose(m.pick, (s) => s.required);
      if (slot) deleteAt(value, slot.path);
      else value = {};
      break;
    }
    case 'extra-field': {
      const objects = [[] as Path, ...all.filter((s) => typeOf(s.schema) === 'object').map((s) => s.path)];
      const at = objects[m.pick % objects.length]!;
      const target = at.length ? getAt(value, at) : value;
      if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: 'extra', enumerable: true, configurable: true, writable: true });
      else value = setAt(value, at, { [m.key]: 'extra' });
      break;
    }
    case 'boundary-number': {
      const slot = choose(m.pick, (s) => ['number', 'integer'].includes(typeOf(s.schema) ?? ''));
      if (slot) value = setAt(value, slot.path, raw(m.token));
      else value = raw(m.token);
      break;
    }
    case 'long-string': {
      const slot = choose(m.pick, (s) => typeOf(s.schema) === 'string');
      const long = m.unit.repeat(Math.ceil(m.length / m.unit.length)).slice(0, m.length * (m.unit === '😀' ? 2 : 1));
      if (slot) value = setAt(value, slot.path, long);
      else value = long;
      break;
    }
    case 'nul-byte': {
      const slot = choose(m.pick, (s) => typeOf(s.schema) === 'string');
      if (slot && m.inKey) {
        const parent = slot.path.slice(0, -1);
        const key = String(slot.path[slot.path.length - 1]);
        const target = parent.length ? getAt(value, parent) : value;
        if (target && typeof target === 'object') (target as Record<string, unknown>)[`${key}\u0000`] = 'x';
      } else if (slot) {
        const current = String(getAt(value, slot.path) ?? 'value');
        const at = m.at % (current.length + 1);
        value = setAt(value, slot.path, `${current.slice(0, at)}\u0000${current.slice(at)}`);
      } else value = 'a\u0000b';
      break;
    }
    case 'lone-surrogate': {
      const slot = choose(m.pick, (s) => typeOf(s.schema) === 'string');
      if (slot) value = setAt(value, slot.path, `${String(getAt(value, slot.path) ?? '')}${m.text}`);
      else value = m.text;
      break;
    }
    case 'odd-unicode': {
      const slot = choose(m.pick, (s) => typeOf(s.schema) === 'string');
      if (slot) value = setAt(value, slot.path, m.text);
      break;
    }
    case 'deep-json': {
      const slot = m.whole ? undefined : choose(m.pick);
      if (slot) value = setAt(value, slot.path, raw(deep(m.depth, m.open)));
      else value = raw(deep(m.depth, m.open));
      break;
    }
    case 'content-type':
      contentType = m.type || undefined;
      break;
    case 'random-body':
      value = m.value;
      contentType = 'application/json';
      break;
    case 'path-param':
      id = m.value;
      break;
    case 'header': {
      const [name, values] = HEADERS.find(([n]) => n === m.name)!;
      headers[name] = values[m.value % values.length]!;
      break;
    }
    case 'csv':
      body = csvFor(m.variant, m.n, i, ctx.runId);
      break;
    case 'csv-random':
      body = m.text;
      break;
    case 'bad-json':
      break;
  }

  if (body === undefined && (json || m.kind === 'random-body' || m.kind === 'bad-json')) {
    let text = JSON.stringify(value ?? null);
    raws.forEach((r, k) => (text = text.replace(JSON.stringify(RAW(k)), r)));
    body = m.kind === 'bad-json' ? badJson(text, m.variant, m.cut) : text;
    if (m.kind === 'bad-json') contentType = 'application/json';
  } else if (body === undefined && csv) body = `externalId,name\nFZ-${ctx.runId}-${i},Fuzz CSV ${i}\n`;
  else if (body === undefined && m.kind === 'content-type') body = 'some body';
  if (contentType) headers['content-type'] = contentType;

  const url = op.path.replace(/\{[^}]+\}/g, id);
  return { method: op.method, url, headers, body, mutation: m.kind };
}
