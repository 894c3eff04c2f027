import { z } from 'zod';

export const Uuid = z.uuid();
export const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
/** An opaque, signed keyset cursor returned by list queries (a long sort key makes it up to ~1 KB). */
export const Cursor = z.string().min(1).max(1024);
export const PageRequest = z.strictObject({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});
export type PageRequest = z.infer<typeof PageRequest>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The response schema of a keyset-paged list of `item`. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
