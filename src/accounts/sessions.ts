import type { Knex } from 'knex';
import { Session, type Role } from './models.js';
import { newToken, tokenId } from './tokens.js';

/** A session ends after 14 days without a request. */
export const SESSION_IDLE_MS = 14 * 86_400_000;
// last_seen_at is written at most once a minute per session, not on every page view.
const TOUCH_AFTER_MS = 60_000;

/** Who a request's session cookie says is signed in, and into which workspace. */
export interface SignedIn {
  sessionId: string;
  userId: string;
  email: string;
  workspaceId: string;
  workspaceName: string;
  role: Role;
  csrfToken: string;
}

export class Sessions {
  constructor(private readonly deps: { db: Knex }) {}

  /** A new session; the token goes into the cookie and nowhere else. */
  async start(userId: string, workspaceId: string, trx?: Knex.Transaction): Promise<string> {
    const token = newToken();
    await Session.query(trx).insert({ id: tokenId(token), user_id: userId, workspace_id: workspaceId, csrf_token: newToken() });
    return token;
  }

  /** The signed-in person for a cookie's token, or null: unknown, idle too long, or no longer a member. */
  async resolve(token: string, now = new Date()): Promise<SignedIn | null> {
    const row = await this.deps.db('sessions as s')
      .join('users as u', 'u.id', 's.user_id')
      .join('memberships as m', function () {
        this.on('m.user_id', '=', 's.user_id').andOn('m.workspace_id', '=', 's.workspace_id');
      })
      .join('workspaces as w', 'w.id', 's.workspace_id')
      .where('s.id', tokenId(token))
      .first('s.id', 's.user_id', 'u.email', 's.workspace_id', 'w.name', 'm.role', 's.csrf_token', 's.last_seen_at');
    if (!row) return null;
    const idle = now.getTime() - new Date(row.last_seen_at).getTime();
    if (idle > SESSION_IDLE_MS) {
      await Session.query().deleteById(row.id);
      return null;
    }
    if (idle > TOUCH_AFTER_MS) await Session.query().findById(row.id).patch({ last_seen_at: now });
    return { sessionId: row.id, userId: row.user_id, email: row.email, workspaceId: row.workspace_id, workspaceName: row.name, role: row.role, csrfToken: row.csrf_token };
  }

  async end(sessionId: string): Promise<void> {
    await Session.query().deleteById(sessionId);
  }

  /** Ends every session of a person (a password change): any browser that had it must sign in again. */
  async endAllFor(userId: string, trx?: Knex.Transaction): Promise<void> {
    await Session.query(trx).where({ user_id: userId }).delete();
  }

  /** Shows another of the person's workspaces; resolve() refuses it unless they are a member. */
  async switchWorkspace(sessionId: string, workspaceId: string): Promise<void> {
    await Session.query().findById(sessionId).patch({ workspace_id: workspaceId });
  }

  /** Sessions idle past their expiry, deleted by the retention job. */
  async deleteExpired(now = new Date()): Promise<number> {
    return Session.query().where('last_seen_at', '<', new Date(now.getTime() - SESSION_IDLE_MS)).delete();
  }
}
