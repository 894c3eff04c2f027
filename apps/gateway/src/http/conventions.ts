import { createHash } from 'node:crypto';
import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, StewardError } from '@steward/contracts';

/**
 * The gateway's HTTP conventions, applied to every route by one guard pair and two hooks, so
 * a route added later follows them without anyone remembering to (docs/adr/0023-http-conventions.md):
 * - 415 for a body whose content type the route does not accept: JSON routes take
 *   `application/json` and `application/*+json`; a route that takes something else says so
 *   with `@ApiConsumes(...)` (which also documents it);
 * - 201 with `Location` on a POST that creates: `<request path>/<id>` by default, another
 *   place with `@CreatedAt('/v1/contacts/{id}')`, none with `@NoLocation()`; actions answer 200
 *   with `@HttpCode(200)` and get none;
 * - an `ETag` on every response that carries a resource `version`: `"<version>-<digest>"`, the
 *   digest over the body, so it changes with the representation even where something changes
 *   without a new version (a recomputed tier); `304` for a GET or HEAD whose `If-None-Match`
 *   names it;
 * - `If-Match` on POST, PUT, PATCH and DELETE: a route whose resource has versions takes it as
 *   `@IfMatchVersion() expectedVersion` and passes it to the service (a stale one answers 412
 *   naming the header): the tag's version part is compared (`"3"` works too), so the service
 *   decides atomically; on any other route no entity tag can match, so only `If-Match: *`
 *   passes (412 otherwise).
 */

/** Metadata key of a route's Location rule (`false`: the route sets none). */
export const LOCATION = Symbol('steward:location');
/** Metadata key set on a route whose handler takes `@IfMatchVersion()`: it maps If-Match to the service's expectedVersion. */
export const IF_MATCH_VERSION = Symbol('steward:if-match-version');
/** Metadata key of the content types a route accepts (the one `@ApiConsumes` writes). */
export const CONSUMES = DECORATORS.API_CONSUMES;

export interface LocationRule {
  /** Where the created resource lives: `{id}` is its id, `:name` a path parameter of the request. */
  path: string;
  /** The created resource's id in the response body, as a dotted path (`apiKey.id`). */
  id: string;
}

/** The created resource lives at `path` (`/v1/contacts/{id}`); its id is the body's `id` unless `id` names another field. */
export const CreatedAt = (path: string, id = 'id') => SetMetadata(LOCATION, { path, id } satisfies LocationRule);
/** A creating POST with no resource URL to point at. */
export const NoLocation = () => SetMetadata(LOCATION, false);

declare module 'fastify' {
  interface FastifyRequest {
    /** The Location rule of the matched route, for the response hook. */
    stewardLocation?: LocationRule | false;
    /** The version an If-Match named, once the route has taken it. */
    ifMatchVersion?: number;
  }
}

/**
 * The resource version an `If-Match` header named (undefined without one, or with `*`). The
 * route passes it to the service as its `expectedVersion`: a mismatch answers 412.
 */
export const IfMatchVersion = createParamDecorator((_: unknown, ctx: ExecutionContext): number | undefined => ctx.switchToHttp().getRequest<FastifyRequest>().ifMatchVersion, [
  (target: object, key: string | symbol | undefined) => {
    if (key !== undefined) Reflect.defineMetadata(IF_MATCH_VERSION, true, (target as Record<string | symbol, object>)[key]!);
  },
]);

const JSON_TYPES = ['application/json'];
const STRUCTURED_JSON = /^application\/[a-z0-9!#$&^_.-]+\+json$/;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** Whether a route accepting `accepted` takes a body of `type` (`application/json` also admits `application/*+json`). */
export function acceptsMediaType(accepted: readonly string[], type: string): boolean {
  return accepted.includes(type) || (accepted.includes('application/json') && STRUCTURED_JSON.test(type));
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Runs first on every route: refuses a body in a content type the route does not accept (415,
 * naming `content-type`), and remembers the route's Location rule for the response.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    req.stewardLocation = this.reflector.getAllAndOverride<LocationRule | false | undefined>(LOCATION, targets);
    if (!hasBody(req)) return true;
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(CONSUMES, targets) ?? JSON_TYPES;
    const type = mediaTypeOf(req.headers['content-type']);
    if (type && acceptsMediaType(accepted, type)) return true;
    const message = `${type ? `'${type}' is not accepted here` : 'a body needs a Content-Type'}: send ${accepted.join(' or ')}${accepted.includes('application/json') ? ' (or application/*+json)' : ''}`;
    throw new StewardError(ErrorCode.UnsupportedMediaType, `Unsupported media type: ${message}`, { errors: [{ field: 'content-type', rule: 'media-type', message }] });
  }
}

/** One entity tag of an If-Match or If-None-Match list. */
interface EntityTag {
  weak: boolean;
  value: string;
}

/** Parses an entity-tag list (RFC 9110 §8.8.3): `*`, or the tags it names; null when malformed. */
export function parseEntityTags(header: string): '*' | EntityTag[] | null {
  const text = header.trim();
  if (text === '*') return '*';
  const tags: EntityTag[] = [];
  const re = /\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while (end < text.length && (m = re.exec(text)) !== null) {
    tags.push({ weak: m[1] !== undefined, value: m[2]! });
    end = re.lastIndex;
  }
  return end === text.length && tags.length > 0 ? tags : null;
}

/** The strong ETag of a versioned body: its version, and a digest of the representation. */
export function versionTag(version: number, body: unknown): string {
  return `"${version}-${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 16)}"`;
}

/** The version an entity tag names (`"3-…"` or `"3"`), or null. */
export function versionOfTag(value: string): number | null {
  const m = /^([1-9]\d{0,9})(?:-[A-Za-z0-9_-]{1,64})?$/.exec(value);
  return m ? Number(m[1]) : null;
}

const preconditionFailed = (message: string) =>
  new StewardError(ErrorCode.PreconditionFailed, `Precondition failed: ${message}`, { errors: [{ field: 'If-Match', rule: 'current-version', message }] });

/**
 * Evaluates If-Match on POST, PUT, PATCH and DELETE, after authentication (a 401 or 403 comes
 * first). A route that takes `@IfMatchVersion()` gets the named version (strong tags only: a
 * weak one never matches); on any other route only `*` can match. Several versions, or a
 * header that is not an entity-tag list, are a 400.
 */
@Injectable()
export class PreconditionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = req.headers['if-match'];
    if (raw === undefined || SAFE.has(req.method)) return true;
    const tags = parseEntityTags(raw);
    if (tags === null) throw StewardError.validation([{ field: 'If-Match', rule: 'entity-tag', message: 'must be * or a list of entity tags ("3", W/"3")' }]);
    if (tags === '*') return true;
    if (!this.reflector.get<boolean | undefined>(IF_MATCH_VERSION, context.getHandler())) {
      throw preconditionFailed('this route does not write over a version: no entity tag can match (If-Match: * only)');
    }
    const versions = [...new Set(tags.filter((t) => !t.weak).map((t) => versionOfTag(t.value)))].filter((v): v is number => v !== null);
    if (versions.length === 0) throw preconditionFailed('names no version of this resource (send its ETag as it came, e.g. "3-…", or "3")');
    if (versions.length > 1) throw StewardError.validation([{ field: 'If-Match', rule: 'single-tag', message: 'must name one version' }]);
    req.ifMatchVersion = versions[0];
    return true;
  }
}

/** A stale version the service refused after an If-Match: 412 naming the header, not 409 naming a body field. */
export function asPreconditionFailure(req: FastifyRequest, err: unknown): unknown {
  if (req.ifMatchVersion === undefined || !(err instanceof StewardError) || err.code !== ErrorCode.StaleVersion) return err;
  return preconditionFailed(`"${req.ifMatchVersion}" is not the current version: ${err.message}`);
}

function field(body: unknown, path: string): unknown {
  let v: unknown = body;
  for (const key of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** The Location of a created resource (null when the body does not carry its id). */
export function locationOf(rule: LocationRule | undefined, requestPath: string, params: Record<string, string>, body: unknown): string | null {
  const id = field(body, rule?.id ?? 'id');
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  const created = encodeURIComponent(String(id));
  if (!rule) return `${requestPath.replace(/\/+$/, '')}/${created}`;
  return rule.path.replace(/\{id\}/g, created).replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? `:${name}`));
}

/** Whether an If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2). */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = parseEntityTags(header);
  if (tags === '*') return true;
  const value = etag.replace(/^W\//, '').slice(1, -1);
  return tags?.some((t) => t.value === value) ?? false;
}

/** Sets ETag, Location and 304 on replies (Fastify hooks: they see every route's body before serialization). */
export function installConventionHooks(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => {
    const status = reply.statusCode;
    if (status >= 200 && status < 300 && payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
      const version = (payload as { version?: unknown }).version;
      if (typeof version === 'number' && Number.isSafeInteger(version) && version >= 1 && !reply.hasHeader('etag')) {
        const etag = versionTag(version, payload);
        void reply.header('etag', etag);
        if (status === 200 && (req.method === 'GET' || req.method === 'HEAD') && noneMatchHits(req.headers['if-none-match'], etag)) void reply.code(304);
      }
      if (status === 201 && req.method === 'POST' && req.stewardLocation !== false && !reply.hasHeader('location')) {
        const location = locationOf(req.stewardLocation, req.url.split('?')[0]!, (req.params ?? {}) as Record<string, string>, payload);
        // Only a URL that reads the created resource (route-table test: every creating POST has one, or says @NoLocation).
        if (location && fastify.findRoute({ method: 'GET', url: location }) !== null) void reply.header('location', location);
      }
    }
    done(null, payload);
  });
  // A 304 carries no body or content type. For HEAD, Fastify's own HEAD hook runs after this
  // one: it drops the body itself and needs it to set the length a 200 would have had.
  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (reply.statusCode !== 304) return done(null, payload);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    done(null, req.method === 'HEAD' ? payload : null);
  });
}

/** The version a write expects, for the service: If-Match's, or the body's `expectedVersion` (both given, they must agree). */
export function expectedVersion(fromBody: number | undefined, fromIfMatch: number | undefined): { expectedVersion?: number } {
  if (fromBody !== undefined && fromIfMatch !== undefined && fromBody !== fromIfMatch) {
    throw StewardError.validation([{ field: 'If-Match', rule: 'agrees', message: `names version ${fromIfMatch}, the body's expectedVersion is ${fromBody}` }]);
  }
  const v = fromIfMatch ?? fromBody;
  return v === undefined ? {} : { expectedVersion: v };
}
