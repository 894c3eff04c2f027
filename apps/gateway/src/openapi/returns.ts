import type { z } from 'zod';
import { RequestSubject, ResponseOf, rpcDefinitions } from '@steward/contracts';

/** One more response a route can give besides its main one (e.g. 202 while an import runs). */
export interface OtherResponse {
  status: number;
  description: string;
  /** The body's schema; the main one when absent. */
  schema?: z.ZodType;
  /** Response headers it sets, with a description each. */
  headers?: Record<string, string>;
}

export interface ReturnsOptions {
  /** The success status when it is not the method's default (201 for POST, 200 otherwise, or @HttpCode). */
  status?: number;
  description?: string;
  /** `application/json` unless said otherwise (e.g. `text/csv`). */
  contentType?: string;
  /** Response headers of the success response, with a description each. */
  headers?: Record<string, string>;
  others?: OtherResponse[];
  /** Error statuses this route can answer on top of those its shape implies (docs/api.md). */
  errors?: number[];
}

/** What the OpenAPI document learns about a route's answer. */
export interface ReturnsSpec extends ReturnsOptions {
  schema: z.ZodType;
  /** The RPC whose reply this is, if the route answers one: names the operation when no operationId is given. */
  subject?: string;
}

export const RETURNS = Symbol('steward:returns');

/** Accepts only a handler whose result is `T` (or a promise of it). */
type TypedMethodDecorator<T> = (target: object, key: string | symbol, descriptor: Pick<TypedPropertyDescriptor<(...args: never[]) => T | Promise<T>>, 'value'>) => void;

/**
 * What a route answers, for the OpenAPI document, the typed client and the conformance
 * check: the reply of an RPC (`@Returns(Subjects.accounts.accountGet)`, the contract's
 * response schema) or a schema of its own (`@Returns(SessionDto)`). Typed: a handler that
 * returns something else does not compile. Every documented route needs one (a test says so).
 */
export function Returns<S extends RequestSubject>(subject: S, options?: ReturnsOptions): TypedMethodDecorator<ResponseOf<S>>;
export function Returns<T>(schema: z.ZodType<T>, options?: ReturnsOptions): TypedMethodDecorator<T>;
export function Returns(what: string | z.ZodType, options: ReturnsOptions = {}): TypedMethodDecorator<unknown> {
  const spec: ReturnsSpec =
    typeof what === 'string'
      ? { ...options, schema: rpcSchema(what), subject: what }
      : { ...options, schema: what };
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(RETURNS, spec, descriptor.value as object);
  };
}

function rpcSchema(subject: string): z.ZodType {
  const def = rpcDefinitions().get(subject);
  if (!def) throw new Error(`@Returns: no RPC ${subject} in the contracts`);
  return def.response;
}

export function returnsOf(handler: object): ReturnsSpec | undefined {
  return Reflect.getMetadata(RETURNS, handler) as ReturnsSpec | undefined;
}
