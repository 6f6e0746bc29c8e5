import type { Knex } from 'knex';
import { rateLimited } from '../errors.js';

/** Ten failed sign-ins for one email or from one address within 15 minutes stop further attempts for a while. */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;

/**
 * Kept in PostgreSQL so every instance counts the same failures: an attacker spread over instances behind a load
 * balancer gets ten tries, not ten per instance.
 */
export class SignInThrottle {
  constructor(private readonly deps: { db: Knex }) {}

  /** Throws rate_limited, with the seconds until the oldest counted failure leaves the window. */
  async check(email: string, ip: string, now = new Date()): Promise<void> {
    const since = new Date(now.getTime() - WINDOW_MS);
    for (const [column, value] of [['email', email.toLowerCase()], ['ip', ip]] as const) {
      const failures = await this.deps.db('sign_in_failures').where(column, value).where('failed_at', '>', since).orderBy('failed_at', 'desc').limit(MAX_FAILURES).select('failed_at');
      if (failures.length < MAX_FAILURES) continue;
      const oldest = new Date(failures[MAX_FAILURES - 1].failed_at).getTime();
      const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - now.getTime()) / 1000));
      throw rateLimited(`Too many failed sign-ins ${column === 'email' ? 'for this email' : 'from this address'}. Try again in ${Math.ceil(retryAfter / 60)} minute${retryAfter > 60 ? 's' : ''}.`, retryAfter);
    }
  }

  async fail(email: string, ip: string, now = new Date()): Promise<void> {
    await this.deps.db('sign_in_failures').insert({ email: email.toLowerCase(), ip, failed_at: now });
    await this.deps.db('sign_in_failures').where('failed_at', '<', new Date(now.getTime() - WINDOW_MS)).delete();
  }

  /** A correct password clears that email's failures (not the address's: one good account must not unlock guessing). */
  async succeed(email: string): Promise<void> {
    await this.deps.db('sign_in_failures').where({ email: email.toLowerCase() }).delete();
  }
}
