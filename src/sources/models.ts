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
  declare last_event_at: Date | null;
  declare created_at: Date;
  declare updated_at: Date;
  declare disconnected_at: Date | null;
}
