import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import * as contracts from '@steward/contracts';
import { ErrorCode, ROLES, type Role } from '@steward/contracts';
import { ACCESS, AccessRule } from '../auth/access';
import { IF_MATCH_VERSION, LOCATION, LocationRule } from '../http/conventions';
import { HTTP_STATUS } from '../http/problem';
import { documentPath } from './conformance';
import { returnsOf, ReturnsSpec } from './returns';
import { JsonSchema, SchemaCatalog, spelledOutRecords } from './schema-catalog';

/**
 * Every tag the API uses, with what it groups. A route's tag must be here (a test says
 * so): partners read these as the chapters of the API.
 */
export const TAGS: Record<string, string> = {
  auth: 'Sign in, refresh and sign out of the portal: short-lived access tokens and rotating refresh tokens.',
  tenants: 'Operator bootstrap of a tenant (a vendor using Steward) and its first admin.',
  users: 'Portal users of a tenant and their roles (admin, manager, csm, agent, viewer).',
  partners: 'Channel partners and their API keys. Partners call the API with `X-Api-Key` and see only the accounts they lead.',
  audit: 'Who changed what in identity and access, with before and after.',
  accounts: 'Enterprise customers: filters, CSV import and export, soft delete, Pareto tiers and tier overrides.',
  stakeholders: "An account's contacts and its decision chain as a tree, with hidden influencers and gaps.",
  'installed base': "An account's installed base: projects and purchases, and when they went live.",
  revenue: 'Monthly product and service revenue and margin per account, the input of tiering and value.',
  'support: tickets': 'Tiered support (L1/L2/L3): open a ticket (partners too, on the accounts they lead), routing, live SLA clocks, status, assignment, escalation, merge, comments and timeline, import with history.',
  'support: policy and teams': 'The versioned support policy (levels, SLA targets per priority, business hours, routing rules) and the teams and members tickets are assigned to.',
  'support: after-sales, recovery, reports': 'After-sales orders (RMA and on-site visits), complaints and recovery vouchers, and the support reports (backlog, SLA attainment).',
  catalog: 'Service products, plans and price books, bundles, entitlements, trials, subscriptions and outcome contracts.',
  feedback: 'The voice of the customer: surveys (NPS, CSAT, engagement, employee pulse), responses, rollups and the closed loop.',
  'feedback respondents': "A respondent answering a survey invitation: no login, the invitation's single-use token in the path is the credential.",
  value: 'Scorecards, revenue at risk and lifetime value: every service outcome linked to money.',
  webhooks: 'Signed event deliveries to your endpoints, with retries, replay and secret rotation.',
  // generate:service adds new services' tags above this line
};

/** How each error status is described, and the problem codes behind it (from HTTP_STATUS). */
const ERROR_RESPONSES: Record<number, { name: string; description: string; retryAfter?: boolean }> = {
  400: { name: 'BadRequest', description: 'The request is malformed or breaks a rule: `errors[]` names each field and rule.' },
  401: { name: 'Unauthorized', description: 'No valid credential: missing, malformed, expired or revoked.' },
  403: { name: 'Forbidden', description: 'The credential is valid but may not use this route (its role, kind or scope); the problem says why.' },
  404: { name: 'NotFound', description: 'No such resource in your tenant (or not one your partner key may see).' },
  409: { name: 'Conflict', description: 'The request conflicts with the current state (a taken value, a stale `expectedVersion`, a state that does not allow the change).' },
  410: { name: 'Gone', description: 'The resource existed but is no longer usable (e.g. an expired invitation).' },
  412: { name: 'PreconditionFailed', description: 'The `If-Match` version is not the current one: read the resource again and retry.' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than this route accepts.' },
  415: { name: 'UnsupportedMediaType', description: 'The body is in a content type this route does not accept.' },
  422: { name: 'UnprocessableContent', description: 'Well-formed but refused by a business rule, or an Idempotency-Key reused with another request.' },
  429: { name: 'TooManyRequests', description: 'A rate limit or the failed-authentication throttle: retry after `Retry-After` seconds.', retryAfter: true },
  503: { name: 'ServiceUnavailable', description: 'A service or its database is briefly unavailable: retry after `Retry-After` seconds (with the same Idempotency-Key for writes).', retryAfter: true },
  504: { name: 'GatewayTimeout', description: 'A service did not answer in time. A write may still complete: retry with the same Idempotency-Key.' },
};

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
/** Methods whose requests may carry a body the gateway parses (and so can be too large or of the wrong type). */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<{ name?: string; in?: string; description?: string; required?: boolean; $ref?: string; schema?: JsonSchema }>;
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: Record<string, { schema: JsonSchema }>; headers?: Record<string, unknown>; $ref?: string }>;
  security?: Array<Record<string, string[]>>;
  'x-steward-access'?: ReturnType<typeof accessExtension>;
};

export interface BuiltDocument {
  document: OpenAPIObject;
  /** What keeps the document from being complete (a route without @Returns, an unnamed operation...); empty when it is. */
  problems: string[];
}

export interface DocumentOptions {
  /** Base URLs of the API, e.g. `https://api.example.com`. */
  servers: Array<{ url: string; description: string }>;
  version: string;
}

/**
 * The API's OpenAPI 3.1 document: routes and request schemas from the controllers and
 * their zod DTOs (@nestjs/swagger, nestjs-zod), then completed here from what the routes
 * declare: each success response from its contract schema (@Returns), the errors its
 * shape can give (problem+json per status), the Idempotency-Key header of writes,
 * pagination, readable operationIds, described tags, servers and license.
 */
export function buildOpenApiDocument(app: INestApplication, options: DocumentOptions): BuiltDocument {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Steward API')
    .setDescription(API_DESCRIPTION)
    .setVersion(options.version)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .setContact('Steward', 'https://github.com/steward-platform/steward', '')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A portal user: the `accessToken` of `POST /v1/auth/login`.' }, 'user')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The operator token (`STEWARD_OPERATOR_TOKEN`), for tenant bootstrap only.' }, 'operator')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A partner API key (`stw_...`), issued by a tenant admin.' }, 'apiKey')
    .build();
  const raw = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller}_${method}` });
  // Request schemas come from nestjs-zod: records over an enum spelled out as in responses.
  const document = spelledOutRecords(cleanupOpenApiDoc(raw, { version: '3.1' })) as OpenAPIObject;
  const problems: string[] = [];
  const catalog = new SchemaCatalog(contracts as unknown as Record<string, unknown>);
  const handlers = handlerIndex(controllersOf(app));
  const usedTags = new Set<string>();
  const operationIds = new Map<string, string>();
  const usedErrors = new Set<number>();

  // Routes escape a literal colon as '::' for the router; the document shows the real path.
  document.paths = Object.fromEntries(Object.entries(document.paths).map(([path, item]) => [path.replace(/::/g, ':'), item]));
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const handler = handlers.get(`${method.toUpperCase()} ${path}`);
      if (!handler) {
        problems.push(`${where}: no controller of the application has this route`);
        continue;
      }
      const explicitId = op.operationId && !op.operationId.includes('_') ? op.operationId : undefined;
      const id = explicitId ?? (handler.returns?.subject ? operationIdOf(handler.returns.subject, method) : undefined);
      if (!id) problems.push(`${where}: no operationId (set @ApiOperation({ operationId }) or answer an RPC with @Returns(subject))`);
      else if (operationIds.has(id)) problems.push(`${where}: operationId ${id} is also ${operationIds.get(id)} (set @ApiOperation({ operationId }))`);
      else operationIds.set(id, where);
      op.operationId = id ?? op.operationId;
      if (!op.summary) problems.push(`${where}: no summary`);
      for (const tag of op.tags ?? []) {
        usedTags.add(tag);
        if (!TAGS[tag]) problems.push(`${where}: tag "${tag}" has no description in TAGS`);
      }
      if (!op.tags?.length) problems.push(`${where}: no tag`);

      const access = handler.access;
      const isPublic = access?.kind === 'public';
      if (isPublic) op.security = [];
      op.description = [op.description, access ? whoMayCall(access) : undefined].filter(Boolean).join('\n\n');
      // The same rule, machine-readable: the portal hides what a role may not do (libs/api-client/src/access.ts).
      if (access) op['x-steward-access'] = accessExtension(access);
      if (!access) problems.push(`${where}: no access rule (@Public, @Users, @Partners...)`);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      for (const p of pathParams) p.description ??= p.name === 'id' ? 'The resource id (a UUID).' : undefined;
      describePagination(op);
      if (WRITE_METHODS.has(method) && !isPublic) op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
      if (WRITE_METHODS.has(method)) op.parameters = [...(op.parameters ?? []), { $ref: `#/components/parameters/${handler.ifMatch ? 'IfMatchVersion' : 'IfMatchAny'}` }];

      if (!handler.returns) problems.push(`${where}: no @Returns: its success body is undocumented`);
      else documentSuccess(op, method, handler, catalog, isPublic);

      const errors = new Set<number>([400, 429, 503, 504, ...(handler.returns?.errors ?? [])]);
      if (!isPublic) [401, 403].forEach((s) => errors.add(s));
      if (pathParams.length) errors.add(404);
      if (WRITE_METHODS.has(method) && !isPublic) [409, 422].forEach((s) => errors.add(s));
      if (BODY_METHODS.has(method)) [413, 415].forEach((s) => errors.add(s));
      if (WRITE_METHODS.has(method)) errors.add(412);
      for (const status of [...errors].sort()) {
        if (!ERROR_RESPONSES[status]) problems.push(`${where}: error status ${status} has no shared response`);
        else {
          usedErrors.add(status);
          op.responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]!.name}` };
        }
      }
    }
  }

  const problemRef = catalog.put('Problem', problemSchema(catalog));
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...catalog.schemas } as never,
    responses: Object.fromEntries(
      Object.entries(ERROR_RESPONSES).filter(([status]) => usedErrors.has(Number(status))).map(([status, r]) => [
        r.name,
        {
          description: `${r.description} Codes: ${codesOf(Number(status)).join(', ') || 'VALIDATION_FAILED'}.`,
          ...(r.retryAfter ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
          content: { 'application/problem+json': { schema: problemRef } },
        },
      ]),
    ),
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes a retry safe: the first request with this key does the write, a repeat (same method, path and body) within 24 h gets the stored outcome with `Idempotent-Replayed: true`. The same key with another request is refused (422); a repeat sent while the first still runs waits for its outcome.',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9._:-]{1,255}$' },
      },
      IfMatchVersion: {
        name: 'If-Match',
        in: 'header',
        required: false,
        description:
          'Optimistic concurrency: the `ETag` of the version you last read (`"3-…"`, or just `"3"`). The write happens only over that version; another one answers 412 (read again and retry). Same as the body\'s `expectedVersion`; given both, they must agree. `*` matches any version.',
        schema: { type: 'string', maxLength: 200 },
      },
      IfMatchAny: {
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'This route does not write over a version: only `*` matches; any entity tag answers 412.',
        schema: { type: 'string', maxLength: 200 },
      },
      IfNoneMatch: {
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'The `ETag` you hold: 304 with no body when the representation is still that one.',
        schema: { type: 'string', maxLength: 200 },
      },
    },
    headers: {
      RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
      ETag: {
        description: 'The representation\'s entity tag, `"<version>-<digest>"`: send it back as `If-Match` to write over this version, or as `If-None-Match` to read only when it changed.',
        schema: { type: 'string' },
      },
      Location: { description: 'The URL of the created resource (GET it to read it).', schema: { type: 'string', format: 'uri-reference' } },
      IdempotentReplayed: { description: '`true` when this is the stored outcome of an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
    },
  } as OpenAPIObject['components'];
  document.components!.schemas = { ...document.components!.schemas, ...catalog.schemas } as never;
  document.tags = [...usedTags].sort().map((name) => ({ name, description: TAGS[name] ?? '' }));
  document.servers = options.servers;
  document.info.contact = { name: 'Steward', url: 'https://github.com/steward-platform/steward' };
  return { document, problems };
}

function documentSuccess(op: Operation, method: string, handler: HandlerInfo, catalog: SchemaCatalog, isPublic: boolean): void {
  const spec = handler.returns!;
  const defaults = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
  const status = String(spec.status ?? defaults.sort()[0] ?? (method === 'post' ? 201 : 200));
  const contentType = spec.contentType ?? 'application/json';
  const schema = contentType.includes('json') ? catalog.output(spec.schema) : { type: 'string' };
  // The gateway tags every body with a resource `version` (ETag) and answers a GET's If-None-Match with 304 (http/conventions.ts).
  const versioned = contentType.includes('json') && catalog.hasTopLevelProperty(schema, 'version');
  const headers = (extra: Record<string, string> | undefined, code: string) => ({
    ...(WRITE_METHODS.has(method) && !isPublic ? { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } : {}),
    ...(versioned ? { ETag: { $ref: '#/components/headers/ETag' } } : {}),
    ...(code === '201' && method === 'post' && handler.location !== false ? { Location: { $ref: '#/components/headers/Location' } } : {}),
    ...Object.fromEntries(Object.entries(extra ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }])),
  });
  for (const s of defaults) delete op.responses[s];
  const main = { description: spec.description ?? op.responses[status]?.description ?? 'Success', content: { [contentType]: { schema } } };
  const mainHeaders = headers(spec.headers, status);
  if (versioned && method === 'get') {
    op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/IfNoneMatch' }];
    op.responses['304'] = { description: 'Not modified: the representation is still the one `If-None-Match` named (no body).', headers: { ETag: { $ref: '#/components/headers/ETag' } } };
  }
  op.responses[status] = Object.keys(mainHeaders).length ? { ...main, headers: mainHeaders } : main;
  for (const other of spec.others ?? []) {
    const otherHeaders = headers(other.headers, String(other.status));
    op.responses[String(other.status)] = {
      description: other.description,
      content: { [contentType]: { schema: other.schema ? catalog.output(other.schema) : schema } },
      ...(Object.keys(otherHeaders).length ? { headers: otherHeaders } : {}),
    };
  }
  if (!main.description) main.description = 'Success';
}

/** The access rule as the `x-steward-access` extension: which portal roles, and whether partner keys, may call. */
export function accessExtension(rule: AccessRule): { roles: readonly Role[]; partners: boolean; public?: true; operator?: true } {
  switch (rule.kind) {
    case 'public':
      return { roles: ROLES, partners: true, public: true };
    case 'operator':
      return { roles: [], partners: false, operator: true };
    case 'partners':
      return { roles: [], partners: true };
    case 'users':
      return { roles: rule.roles, partners: !!rule.partners };
  }
}

/** The access rule in words, for each operation's description. */
export function whoMayCall(rule: AccessRule): string {
  switch (rule.kind) {
    case 'public':
      return '**Who may call it:** anyone (no credential).';
    case 'operator':
      return '**Who may call it:** the platform operator (`STEWARD_OPERATOR_TOKEN`).';
    case 'partners':
      return '**Who may call it:** partner API keys.';
    case 'users': {
      const roles = rule.roles.length === ROLES.length ? 'any role' : `the role ${rule.roles.join(', ')}`;
      return `**Who may call it:** portal users with ${roles}${rule.partners ? '; partner API keys (only the accounts the partner leads)' : ''}.`;
    }
  }
}

function describePagination(op: Operation): void {
  for (const p of op.parameters ?? []) {
    if (p.in !== 'query') continue;
    if (p.name === 'limit') p.description ??= 'Page size (default 50, at most 200).';
    if (p.name === 'cursor') p.description ??= "Where the page starts: the previous page's `nextCursor` (opaque, signed). Omit it for the first page.";
  }
}

/** Verbs a subject's last word can be; any other last word is a noun (`ticket.timeline` reads it). */
const VERBS = new Set(
  'get list create update delete add set remove change publish retire rename activate close preview import export submit record open cancel renew convert redeem issue resolve register escalate assign merge transition rebuild query settle start run rotate revoke restore save upsert retier put enable disable test replay revise clear'.split(' '),
);

/**
 * The operationId of a route that answers an RPC, from its subject:
 * `accounts.account.list.v1` → `listAccounts`; `accounts.tier-override.set.v1` → `setTierOverride`;
 * `support.ticket.change-status.v1` → `changeTicketStatus`; `support.team.member-set.v1` →
 * `setTeamMember`; a noun for a verb reads it on GET (`support.ticket.timeline.v1` →
 * `getTicketTimeline`, `support.report.backlog.v1` → `getBacklogReport`) and sets it otherwise
 * (`support.rma.parts.v1` → `setRmaParts`).
 */
export function operationIdOf(subject: string, method = 'get'): string {
  const parts = subject.split('.');
  const verb = parts[parts.length - 2]!;
  const noun = parts.slice(1, -2).join('-');
  const pascal = (s: string) => s.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  const words = verb.split('-');
  if (verb === 'list' || verb === 'import') return `${verb}${plural(pascal(noun))}`;
  if (VERBS.has(words[0]!)) return `${words[0]}${pascal(noun)}${pascal(words.slice(1).join('-'))}`;
  if (VERBS.has(words.at(-1)!)) return `${words.at(-1)}${pascal(noun)}${pascal(words.slice(0, -1).join('-'))}`;
  const action = method.toLowerCase() === 'get' ? 'get' : 'set';
  return noun === 'report' ? `${action}${pascal(verb)}Report` : `${action}${pascal(noun)}${pascal(verb)}`;
}

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

function codesOf(status: number): string[] {
  return (Object.entries(HTTP_STATUS) as Array<[string, number]>)
    .filter(([, s]) => s === status)
    .map(([c]) => c)
    .sort();
}

function problemSchema(catalog: SchemaCatalog): JsonSchema {
  const fieldError = catalog.put('FieldError', {
    type: 'object',
    description: 'One broken rule on one field.',
    properties: {
      field: { type: 'string', description: 'A dotted path into the body (`admin.email`, `records[3].month`), a header or query name, or `(body)`, `(request)`, `(caller)`.' },
      rule: { type: 'string', description: 'The rule broken, e.g. `required`, `format`, `max-length`, `exists`, `same-request`.' },
      message: { type: 'string' },
    },
    required: ['field', 'rule', 'message'],
    additionalProperties: false,
  });
  return {
    type: 'object',
    description: 'RFC 9457 problem details with a stable `code` and, for client errors, the fields and rules at fault.',
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'The path of the request.' },
      code: { type: 'string', enum: Object.values(ErrorCode).sort(), description: 'Stable: branch on it, never on `detail`.' },
      errors: { type: 'array', items: fieldError },
      correlationId: { type: 'string', description: 'Quote it when reporting a problem: it finds the request in the logs and traces.' },
    },
    required: ['type', 'title', 'status', 'detail', 'code'],
    additionalProperties: false,
  };
}

interface HandlerInfo {
  returns?: ReturnsSpec;
  access?: AccessRule;
  /** The handler takes `@IfMatchVersion()`: If-Match names the version it writes over. */
  ifMatch: boolean;
  /** `@CreatedAt`/`@NoLocation`: where a 201's Location points (`false`: none). */
  location?: LocationRule | false;
}

/** Every controller the application registered, whichever module brought it. */
function controllersOf(app: INestApplication): Type<unknown>[] {
  return [...app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()].map((w) => w.metatype as Type<unknown>));
}

/** `METHOD /document/path` → what its handler declares. */
function handlerIndex(controllers: readonly Type<unknown>[]): Map<string, HandlerInfo> {
  const out = new Map<string, HandlerInfo>();
  const join = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  for (const controller of controllers) {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const fn = proto[name];
      if (name === 'constructor' || typeof fn !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (method === undefined) continue;
      const access = (Reflect.getMetadata(ACCESS, fn) ?? Reflect.getMetadata(ACCESS, controller)) as AccessRule | undefined;
      const paths = [(Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined) ?? ''].flat();
      const location = (Reflect.getMetadata(LOCATION, fn) ?? Reflect.getMetadata(LOCATION, controller)) as LocationRule | false | undefined;
      const ifMatch = Reflect.getMetadata(IF_MATCH_VERSION, fn) === true;
      for (const p of paths) out.set(`${RequestMethod[method]} ${documentPath(join(base, p))}`, { returns: returnsOf(fn), access, ifMatch, location });
    }
  }
  return out;
}

const API_DESCRIPTION = [
  'The Steward API: accounts and their tiers, support, the service catalog and the voice of the customer, for the portal and for channel partners.',
  '',
  '**Authentication.** Portal users send `Authorization: Bearer <accessToken>` (from `POST /v1/auth/login`); partners send `X-Api-Key: <key>`. 401 means no valid credential was given; 403 means the credential is valid but may not use the route (the problem says why).',
  '',
  '**Errors** are RFC 9457 `application/problem+json` with a stable `code` and, for client errors, `errors[]` naming each field and rule.',
  '',
  '**Retries.** Every state-changing request accepts an `Idempotency-Key` header: retry with the same key and the write happens once. 429 and 503 carry `Retry-After`.',
  '',
  "**Pagination.** Lists return `{ items, nextCursor }`: pass `nextCursor` as `cursor` for the next page until it is `null`.",
  '',
  '**Money** is in minor units (cents) with its ISO 4217 currency.',
].join('\n');
