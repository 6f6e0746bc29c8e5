/**
 * The PostgreSQL SQLSTATE of a database error, whichever driver raised it (pg, PGlite) and whether or not
 * objection wrapped it.
 */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, nativeError } = error as { code?: unknown; nativeError?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  return nativeError ? sqlState(nativeError) : undefined;
}

export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';
