import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/** A JSON Schema (2020-12, as OpenAPI 3.1 writes it; loose: documents are built, then checked by the linters). */
export type JsonSchema = Record<string, unknown>;

const REF = '#/components/schemas/';

/**
 * Response schemas of the OpenAPI document, from the zod schemas the services answer with.
 * Every object schema the contracts export has a name (its export name without `Dto`:
 * `AccountDto` is `Account`), so the document and the client generated from it speak the
 * contracts' language: `components.schemas.Account`, referenced wherever an account appears.
 */
export class SchemaCatalog {
  /** `components.schemas` of the document, filled as responses are added. */
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly registry = z.registry<{ id: string }>();
  private readonly names = new Map<z.ZodType, string>();

  /** `exported`: the contracts module's exports (`import * as contracts`). */
  constructor(exported: Record<string, unknown>) {
    for (const [key, value] of Object.entries(exported)) {
      if (!(value instanceof z.ZodObject) || !/^[A-Z]/.test(key) || this.names.has(value)) continue;
      const name = key.replace(/Dto$/, '');
      this.names.set(value, name);
      this.registry.add(value, { id: name });
    }
  }

  nameOf(schema: z.ZodType): string | undefined {
    return this.names.get(schema) ?? this.derivedName(schema);
  }

  /**
   * The schema of a response body (its output form: defaults applied, transforms done):
   * a `$ref` when it has a name, inline otherwise, with every named part hoisted into
   * `components.schemas`.
   */
  output(schema: z.ZodType): JsonSchema {
    const derived = !this.names.has(schema) ? this.derivedName(schema) : undefined;
    if (derived) {
      this.names.set(schema, derived);
      this.registry.add(schema, { id: derived });
    }
    const json = z.toJSONSchema(schema, { metadata: this.registry, target: 'draft-2020-12', io: 'output', unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as JsonSchema;
    const { $defs, $schema: _dialect, ...root } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [name, def] of Object.entries($defs ?? {})) {
      if (name.startsWith('__')) throw new Error(`a recursive schema without a name (${name}): export it from @steward/contracts so the document can name it`);
      this.put(name, refsToComponents(def) as JsonSchema);
    }
    return refsToComponents(root) as JsonSchema;
  }

  /** A shared schema written by hand (e.g. the problem body). */
  put(name: string, schema: JsonSchema): JsonSchema {
    const existing = this.schemas[name];
    if (existing && !isDeepStrictEqual(existing, schema)) throw new Error(`two different schemas are named ${name}`);
    this.schemas[name] = schema;
    return { $ref: REF + name };
  }

  /** Whether a body of this schema (a `$ref` into the catalog, or inline) always has the property `name` at its top. */
  hasTopLevelProperty(schema: JsonSchema, name: string): boolean {
    const resolved = typeof schema.$ref === 'string' && schema.$ref.startsWith(REF) ? this.schemas[schema.$ref.slice(REF.length)] : schema;
    const required = resolved?.required;
    return Array.isArray(required) && required.includes(name);
  }

  /** `{ items: X[], nextCursor }` is `XPage`; `{ items: X[] }` is `XList`. */
  private derivedName(schema: z.ZodType): string | undefined {
    if (!(schema instanceof z.ZodObject)) return undefined;
    const shape = schema.shape as Record<string, z.ZodType>;
    const keys = Object.keys(shape).sort().join(',');
    const items = shape.items;
    if (!(items instanceof z.ZodArray)) return undefined;
    const item = this.names.get(items.element as z.ZodType);
    if (!item) return undefined;
    if (keys === 'items,nextCursor') return `${item}Page`;
    if (keys === 'items') return `${item}List`;
    return undefined;
  }
}

function refsToComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(refsToComponents);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', REF) : refsToComponents(v);
  }
  return spelledOutRecord(out);
}

/**
 * zod writes a record over an enum (`z.record(z.enum(['urgent', …]), X)`: every key present)
 * as `propertyNames` + `additionalProperties` + `required`, which names required properties
 * the schema never defines. The same constraint, spelled out: one property per key.
 */
export function spelledOutRecords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(spelledOutRecords);
  if (!value || typeof value !== 'object') return value;
  return spelledOutRecord(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, spelledOutRecords(v)])));
}

function spelledOutRecord(schema: Record<string, unknown>): Record<string, unknown> {
  const names = (schema.propertyNames as { enum?: unknown[] } | undefined)?.enum;
  const value = schema.additionalProperties;
  if (schema.type !== 'object' || schema.properties || !Array.isArray(names) || !names.every((n) => typeof n === 'string') || !value || typeof value !== 'object') return schema;
  const { propertyNames: _names, additionalProperties: _value, ...rest } = schema;
  return { ...rest, properties: Object.fromEntries((names as string[]).map((n) => [n, value])), additionalProperties: false };
}
