/** True when a pg error is a unique violation on the named constraint or unique index. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  return (e.code ?? e.driverError?.code) === '23505' && (e.constraint ?? e.driverError?.constraint) === constraint;
}

/**
 * The rows of a `… RETURNING` statement run with `EntityManager.query`: TypeORM answers
 * UPDATE and DELETE with `[rows, rowCount]` but INSERT and SELECT with the rows alone.
 */
export function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as T[];
}
