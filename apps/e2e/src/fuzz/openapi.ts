/**
 * The write endpoints of the running platform, read from its `/openapi.json`: every
 * POST, PUT, PATCH and DELETE with its body schema (resolved), content types, path
 * parameters and security. New routes are fuzzed as soon as they are documented.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
}

export interface WriteOperation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path, e.g. `/v1/accounts/{id}`. */
  path: string;
  /** `METHOD path`: how reports name it. */
  name: string;
  contentTypes: string[];
  body?: JsonSchema;
  pathParams: string[];
  headerParams: string[];
  security: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: Array<{ name: string; in: string }>; security?: Array<Record<string, unknown>> }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const WRITE = ['post', 'put', 'patch', 'delete'] as const;

/** Inlines `$ref`s (the documents' schemas are not recursive where bodies are concerned; a depth guard keeps it finite). */
export function resolve(schema: JsonSchema | undefined, doc: OpenApiDoc, depth = 0): JsonSchema | undefined {
  if (!schema || depth > 20) return schema;
  if (schema.$ref) return resolve(doc.components?.schemas?.[schema.$ref.split('/').pop()!], doc, depth + 1);
  const out: JsonSchema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1)!]));
  if (schema.items) out.items = resolve(schema.items, doc, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (schema[key]) out[key] = schema[key]!.map((s) => resolve(s, doc, depth + 1)!);
  return out;
}

export function writeOperations(doc: OpenApiDoc): WriteOperation[] {
  const ops: WriteOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of WRITE) {
      const op = item[m];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const contentTypes = Object.keys(content);
      const method = m.toUpperCase() as WriteOperation['method'];
      ops.push({
        method,
        path,
        name: `${method} ${path}`,
        contentTypes,
        body: resolve(content['application/json']?.schema, doc),
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        headerParams: (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name),
        security: (op.security ?? []).flatMap((s) => Object.keys(s)),
      });
    }
  }
  return ops;
}
