import type { Knex } from 'knex';
import { Source, type SourceStatus } from './models.js';

/** A token this close to its expiry, not yet refreshed, makes the source `expiring`. */
export const EXPIRING_WITHIN_MS = 24 * 3_600_000;

export interface SourceHealth {
  /** Why the status is not `active`, in a sentence a merchant can act on; null when all is well. */
  reason: string | null;
  last_event_at: string | null;
  /** The last reconciliation that listed the provider's sales without an error. */
  last_synced_at: string | null;
  last_error: { message: string; at: string } | null;
  /** When the OAuth access token expires (null: an API key, or a token that does not expire). */
  token_expires_at: string | null;
}

type HealthFacts = Pick<
  Source,
  | 'status' | 'token_expires_at' | 'refresh_token_encrypted' | 'sync_error' | 'sync_error_at' | 'refresh_error' | 'refresh_error_at'
  | 'last_synced_at' | 'last_event_at' | 'missed_webhooks' | 'missed_webhooks_at'
>;

/**
 * The status follows from what the jobs recorded, in this order: an expired token, a failing sync, sales that
 * came only through reconciliation (no webhook since) or a refused refresh token is `failing`; a refresh that
 * did not work yet, or a token close to expiry, is `expiring`; else `active`.
 * A disconnected source stays disconnected.
 */
export function assess(source: HealthFacts, now = new Date()): { status: SourceStatus; reason: string | null } {
  if (source.status === 'disconnected') return { status: 'disconnected', reason: 'Disconnected: reconnect the account to receive its sales again.' };
  const expiresAt = source.token_expires_at ? new Date(source.token_expires_at) : null;
  if (expiresAt && expiresAt <= now) {
    return { status: 'failing', reason: `The access token expired at ${expiresAt.toISOString()}${source.refresh_error ? ` (${source.refresh_error})` : ''}: reconnect the account.` };
  }
  if (source.sync_error) return { status: 'failing', reason: source.sync_error };
  const missedAt = source.missed_webhooks_at ? new Date(source.missed_webhooks_at) : null;
  const lastEvent = source.last_event_at ? new Date(source.last_event_at) : null;
  if (missedAt && !(lastEvent && lastEvent > missedAt)) {
    return {
      status: 'failing',
      reason: `${source.missed_webhooks} sale(s) reached Synaptyx only through reconciliation at ${missedAt.toISOString()}: their webhooks never arrived. Check the webhook endpoint at the provider; this clears with the next webhook received.`,
    };
  }
  // An expiring token whose refresh token the provider refused (and Synaptyx dropped) cannot be renewed.
  if (expiresAt && source.refresh_error && !source.refresh_token_encrypted) return { status: 'failing', reason: source.refresh_error };
  if (source.refresh_error) {
    return { status: 'expiring', reason: `${source.refresh_error}; the access token still works until ${expiresAt?.toISOString() ?? 'it is revoked'}.` };
  }
  if (expiresAt && expiresAt.getTime() - now.getTime() < EXPIRING_WITHIN_MS) {
    return { status: 'expiring', reason: `The access token expires at ${expiresAt.toISOString()} and has not been refreshed yet.` };
  }
  return { status: 'active', reason: null };
}

export function healthOf(source: HealthFacts, now = new Date()): SourceHealth {
  const errors = [
    source.sync_error && source.sync_error_at ? { message: source.sync_error, at: new Date(source.sync_error_at) } : null,
    source.refresh_error && source.refresh_error_at ? { message: source.refresh_error, at: new Date(source.refresh_error_at) } : null,
  ].filter((error): error is { message: string; at: Date } => error !== null);
  const latest = errors.sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  return {
    reason: assess(source, now).reason,
    last_event_at: isoOrNull(source.last_event_at),
    last_synced_at: isoOrNull(source.last_synced_at),
    last_error: latest ? { message: latest.message, at: latest.at.toISOString() } : null,
    token_expires_at: isoOrNull(source.token_expires_at),
  };
}

/** Stores the status the facts now call for; a source disconnected meanwhile stays disconnected. */
export async function saveStatus(db: Knex, sourceId: string, now = new Date()): Promise<SourceStatus | null> {
  const source: HealthFacts | undefined = await Source.query(db).modify('withLastEvent').findById(sourceId);
  if (!source || source.status === 'disconnected') return null;
  const { status } = assess(source, now);
  if (status !== source.status) {
    await db('sources').where({ id: sourceId }).whereNot('status', 'disconnected').update({ status, updated_at: now });
  }
  return status;
}

function isoOrNull(value: Date | string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
