import { Model } from 'objection';
import type { EventMapping, ProviderName } from '../providers/provider.js';

export type SourceStatus = 'active' | 'failing' | 'expiring' | 'disconnected';

export class Source extends Model {
  static override tableName = 'sources';
  static override jsonAttributes = ['event_mappings'];
  declare id: string;
  declare workspace_id: string;
  declare provider: ProviderName;
  declare mode: 'api_key' | 'oauth';
  declare name: string | null;
  declare status: SourceStatus;
  declare account_id: string | null;
  declare api_key_encrypted: string | null;
  declare api_key_last4: string | null;
  declare webhook_secret_encrypted: string | null;
  declare event_mappings: EventMapping[] | null;
  /** One-click connections: the provider's tokens, sealed like every other secret. */
  declare access_token_encrypted: string | null;
  declare refresh_token_encrypted: string | null;
  declare token_expires_at: Date | null;
  /** The webhook endpoint Synaptyx created at the provider (Polar, Lemon Squeezy, Paddle), removed on re-connect and disconnect. */
  declare provider_webhook_id: string | null;
  /** Connected with a test-mode key: the provider's test-mode events count for it (for any other source they are ignored). */
  declare test_mode: boolean;
  /** Health facts written by the jobs; the status shown is derived from them (health.ts). */
  declare last_synced_at: Date | null;
  declare sync_error: string | null;
  declare sync_error_at: Date | null;
  declare refresh_error: string | null;
  declare refresh_error_at: Date | null;
  /** Sales the last reconciliation that found any recorded because their webhooks never arrived, and when. */
  declare missed_webhooks: number;
  declare missed_webhooks_at: Date | null;
  /** The latest verified delivery, derived from the webhook log (see Sources.present); reconciled sales are no delivery. */
  declare last_event_at?: Date | string | null;
  declare created_at: Date;
  declare updated_at: Date;
  declare disconnected_at: Date | null;

  static override modifiers = {
    withLastEvent(query: ReturnType<typeof Source.query>) {
      query
        .select('sources.*')
        .select(
          Source.knex().raw(
            `(SELECT received_at FROM webhook_logs WHERE webhook_logs.source_id = sources.id AND outcome <> 'invalid_signature'
               AND provider_event_id NOT LIKE 'reconcile:%' ORDER BY id DESC LIMIT 1) AS last_event_at`,
          ),
        );
    },
  };
}
