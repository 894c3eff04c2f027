import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { logger, registry } from '@steward/telemetry';

/** One way a response differs from what the document promises. */
export interface Mismatch {
  method: string;
  /** The document's path, e.g. `/v1/accounts/{id}`. */
  path: string;
  status: number;
  problem: string;
}

interface Documented {
  /** Per status (or `default`): content type → validator (undefined: any body of that type). */
  responses: Map<string, Map<string, Validator | undefined>>;
}

const DOC_ID = 'steward-openapi';
const SKIPPED_METHODS = new Set(['HEAD', 'OPTIONS']);

/**
 * Checks responses against the OpenAPI document: the status is documented for the
 * operation, the content type is one the document lists for it, and a JSON body matches
 * the schema. The tests run every gateway with it on (`STEWARD_CHECK_OPENAPI=true`), so a
 * route whose answer drifts from its contract fails the suite that called it.
 */
export class ConformanceCheck {
  private readonly operations = new Map<string, Documented>();
  private readonly documentedPaths: string[];

  constructor(document: OpenAPIObject) {
    const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    ajv.addSchema({ $id: DOC_ID, components: document.components ?? {} });
    this.documentedPaths = Object.keys(document.paths);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, { responses?: Record<string, unknown> }>)) {
        if (!op?.responses) continue;
        const responses = new Map<string, Map<string, Validator | undefined>>();
        for (const [status, raw] of Object.entries(op.responses)) {
          const response = resolveResponse(document, raw as ResponseObject);
          const types = new Map<string, Validator | undefined>();
          for (const [type, media] of Object.entries(response.content ?? {})) {
            types.set(type, type.includes('json') && media.schema ? lazily(ajv, media.schema) : undefined);
          }
          responses.set(status, types);
        }
        this.operations.set(`${method.toUpperCase()} ${path}`, { responses });
      }
    }
  }

  /**
   * What is wrong with one response ([] when nothing). `route` is the router's pattern
   * (`/v1/accounts/:id`); routes outside `/v1` (health, metrics, docs) are not the API's.
   */
  check(method: string, route: string | undefined, status: number, contentType: string | undefined, body: string | undefined): Mismatch[] {
    if (!route || SKIPPED_METHODS.has(method)) return [];
    const path = documentPath(route);
    if (!path.startsWith('/v1/')) return [];
    const found = (problem: string): Mismatch[] => [{ method, path, status, problem }];
    const op = this.operations.get(`${method} ${path}`);
    if (!op) return found('the route is not in the document');
    const types = op.responses.get(String(status)) ?? op.responses.get(`${String(status)[0]}XX`) ?? op.responses.get('default');
    if (!types) return found(`status ${status} is not documented (documented: ${[...op.responses.keys()].join(', ')})`);
    if (!body || status === 204 || status === 304) return types.size === 0 || !body ? [] : found('a body where none is documented');
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (types.size === 0) return found(`a ${type || 'typeless'} body where none is documented`);
    if (!types.has(type)) return found(`content type ${type || '(none)'} is not documented for ${status} (documented: ${[...types.keys()].join(', ')})`);
    const validate = types.get(type)?.();
    if (!validate) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return found('the body is not JSON');
    }
    if (validate(parsed)) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => ({ method, path, status, problem: `body${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}` }));
  }

  /** Whether a document path exists at all (for tests). */
  has(path: string): boolean {
    return this.documentedPaths.includes(path);
  }
}

let mismatches: Counter | undefined;

/**
 * Checks every response the gateway sends (onSend) and reports each mismatch: an error
 * log line `response does not conform to the OpenAPI document`, the counter
 * `steward_openapi_mismatches_total` and the response header `x-steward-conformance`.
 */
export function installConformanceCheck(fastify: FastifyInstance, document: OpenAPIObject): ConformanceCheck {
  const check = new ConformanceCheck(document);
  mismatches ??= new Counter({ name: 'steward_openapi_mismatches_total', help: 'Responses that did not match the OpenAPI document (STEWARD_CHECK_OPENAPI=true)', labelNames: ['route', 'status'], registers: [registry] });
  fastify.addHook('onSend', (req, reply, payload, done) => {
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    const header = reply.getHeader('content-type');
    const found = check.check(req.method, req.routeOptions?.url, reply.statusCode, typeof header === 'string' ? header : undefined, body);
    if (found.length) {
      mismatches!.inc({ route: found[0]!.path, status: String(reply.statusCode) });
      logger().error({ mismatches: found, correlationId: req.stewardContext?.correlationId }, 'response does not conform to the OpenAPI document');
      void reply.header('x-steward-conformance', 'mismatch');
    }
    done(null, payload);
  });
  return check;
}

/** The router's pattern as the document writes it: `:id` is `{id}`, an escaped `::` a literal colon. */
export function documentPath(route: string): string {
  return route
    .split('::')
    .map((part) => part.replace(/:([A-Za-z_]\w*)/g, '{$1}'))
    .join(':');
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: Record<string, unknown> }>;
}

function resolveResponse(document: OpenAPIObject, response: ResponseObject): ResponseObject {
  if (!response.$ref) return response;
  const name = response.$ref.split('/').pop()!;
  return ((document.components?.responses ?? {}) as Record<string, ResponseObject>)[name] ?? {};
}

/** A validator compiled the first time a response needs it (compiling all of them up front costs seconds at every start). */
type Validator = () => ValidateFunction;

function lazily(ajv: Ajv2020, schema: unknown): Validator {
  let compiled: ValidateFunction | undefined;
  return () => (compiled ??= ajv.compile(rebase(schema) as object));
}

/** Schema `$ref`s point into the document added to Ajv under DOC_ID. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOC_ID}${v}` : rebase(v)]));
}
