import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { StewardError, toFieldErrors } from '@steward/contracts';

/**
 * Validates bodies and queries against the zod schema behind a `createZodDto` class.
 * Unknown fields are rejected (schemas are strict) and every error names its field,
 * prefixed with `query.` for query strings.
 */
@Injectable()
export class ZodPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    const schema = (meta.metatype as { schema?: z.ZodType } | undefined)?.schema;
    if (!schema || (meta.type !== 'body' && meta.type !== 'query')) return value;
    const result = schema.safeParse(meta.type === 'body' ? (value ?? undefined) : { ...(value as object) });
    if (result.success) return result.data;
    const errors = toFieldErrors(result.error).map((e) => (meta.type === 'query' ? { ...e, field: `query.${e.field}` } : e));
    throw StewardError.validation(errors);
  }
}
