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

/** SQLSTATEs that say the database is away or overwhelmed for now, not that the request was wrong. */
const TRANSIENT_STATES = /^(08...|57P0[1-3]|53300|57014|40001|40P01)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);
/** pg, pg-pool and knex say so only in words: a lost connection, a query or pool timeout. */
const TRANSIENT_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout|Timeout acquiring a connection|Connection ended/;

/**
 * A failure that trying again later can fix: the database is down, unreachable, too slow or too busy. Callers
 * answer 503 (with Retry-After) for these, so providers and scripts retry; anything else is our bug or bad input.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const state = sqlState(current);
    if (state) return TRANSIENT_STATES.test(state);
    const { code, name, message, nativeError, cause } = current as { code?: unknown; name?: unknown; message?: unknown; nativeError?: unknown; cause?: unknown };
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
    if (name === 'KnexTimeoutError' || (typeof message === 'string' && TRANSIENT_MESSAGES.test(message))) return true;
    current = nativeError ?? cause;
  }
  return false;
}
