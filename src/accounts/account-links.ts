import type { Knex } from 'knex';
import { refused } from '../errors.js';
import { AccountLink, type AccountLinkPurpose, type Role } from './models.js';
import { newToken, tokenId } from './tokens.js';

const DAY_MS = 86_400_000;
/** How long each kind of one-time link works. */
const LIFETIME_MS: Record<AccountLinkPurpose, number> = { setup: 7 * DAY_MS, invite: 7 * DAY_MS, password: DAY_MS };
const PATHS: Record<AccountLinkPurpose, string> = { setup: '/setup', invite: '/invite', password: '/password/set' };

export interface LinkFields {
  workspaceId?: string;
  userId?: string;
  email?: string;
  role?: Role;
  createdBy?: string;
}

/** A one-time link's address: the token travels only in it; the database keeps its hash. */
export async function issueAccountLink(publicUrl: string, purpose: AccountLinkPurpose, fields: LinkFields, trx?: Knex.Transaction, now = new Date()) {
  const token = newToken();
  const link = await AccountLink.query(trx).insertAndFetch({
    id: tokenId(token),
    purpose,
    workspace_id: fields.workspaceId ?? null,
    user_id: fields.userId ?? null,
    email: fields.email ?? null,
    role: fields.role ?? null,
    created_by: fields.createdBy ?? null,
    expires_at: new Date(now.getTime() + LIFETIME_MS[purpose]),
  });
  return { url: `${publicUrl}${PATHS[purpose]}?token=${token}`, link };
}

/** The link a token opens, if it is of this purpose, unused and current; otherwise an error that says which. */
export async function openAccountLink(token: string, purpose: AccountLinkPurpose, trx?: Knex.Transaction, now = new Date()): Promise<AccountLink> {
  const query = AccountLink.query(trx).findById(tokenId(token));
  const link = await (trx ? query.forUpdate() : query);
  if (!link || link.purpose !== purpose) throw refused('link_invalid', 'This link is not valid. Ask for a new one.');
  if (link.used_at) throw refused('link_used', 'This link was already used. Ask for a new one, or sign in.');
  if (link.expires_at <= now) throw refused('link_expired', 'This link has expired. Ask for a new one.');
  return link;
}

/** Marks a link used, inside the transaction that did what it allowed. */
export async function useAccountLink(trx: Knex.Transaction, link: AccountLink, now = new Date()): Promise<void> {
  await AccountLink.query(trx).findById(link.id).patch({ used_at: now });
}
