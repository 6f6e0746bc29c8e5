import { Model } from 'objection';

export type Role = 'owner' | 'member';

export class User extends Model {
  static override tableName = 'users';
  declare id: string;
  declare email: string;
  declare password_hash: string | null;
  declare password_changed_at: Date | null;
  declare created_at: Date;
}

export class Membership extends Model {
  static override tableName = 'memberships';
  static override idColumn = ['workspace_id', 'user_id'];
  declare workspace_id: string;
  declare user_id: string;
  declare role: Role;
  declare created_at: Date;
}

export class Session extends Model {
  static override tableName = 'sessions';
  declare id: string;
  declare user_id: string;
  declare workspace_id: string;
  declare csrf_token: string;
  declare created_at: Date;
  declare last_seen_at: Date;
}

export type AccountLinkPurpose = 'setup' | 'invite' | 'password';

export class AccountLink extends Model {
  static override tableName = 'account_links';
  declare id: string;
  declare purpose: AccountLinkPurpose;
  declare workspace_id: string | null;
  declare user_id: string | null;
  declare email: string | null;
  declare role: Role | null;
  declare created_by: string | null;
  declare expires_at: Date;
  declare used_at: Date | null;
  declare created_at: Date;
}
