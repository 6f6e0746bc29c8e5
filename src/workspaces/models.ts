import { Model } from 'objection';

export class Workspace extends Model {
  static override tableName = 'workspaces';
  declare id: string;
  declare name: string;
  declare timezone: string;
  declare attribution_model: 'last_click' | 'first_click';
  declare created_at: Date;
}

export class ApiKey extends Model {
  static override tableName = 'api_keys';
  declare id: string;
  declare workspace_id: string;
  declare prefix: string;
  declare key_hash: string;
  declare created_at: Date;
  declare revoked_at: Date | null;
}
