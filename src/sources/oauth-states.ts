import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { refused } from '../errors.js';
import type { ProviderName } from '../providers/provider.js';

export const STATE_TTL_MS = 10 * 60_000;

export interface StartedConnection {
  workspaceId: string;
  returnUrl: string | null;
  sourceName: string | null;
  /** The dashboard session that started it (null: started through the API): the callback must come back in it. */
  sessionId: string | null;
}

interface StatePayload {
  /** Nonce: the oauth_states row that makes the state single-use. */
  n: string;
  w: string;
  p: ProviderName;
  /** Expiry, epoch milliseconds. */
  e: number;
}

/**
 * The OAuth `state`: signed with SYX_SECRET (so a forged or altered one is refused without a database read),
 * bound to its workspace and provider, valid 10 minutes, and single-use: each is a row that the callback
 * deletes, so a replay finds nothing.
 */
export class OAuthStates {
  private readonly key: Buffer;

  constructor(private readonly deps: { db: Knex; secret: string }) {
    // A key of its own, so a state can never pass for a click id or the reverse.
    this.key = createHmac('sha256', deps.secret).update('synaptyx oauth state').digest();
  }

  async issue(provider: ProviderName, started: StartedConnection, now = new Date()): Promise<string> {
    const payload: StatePayload = { n: randomBytes(16).toString('base64url'), w: started.workspaceId, p: provider, e: now.getTime() + STATE_TTL_MS };
    await this.deps.db('oauth_states').where('expires_at', '<', now).delete();
    await this.deps.db('oauth_states').insert({
      id: payload.n,
      workspace_id: started.workspaceId,
      provider,
      return_url: started.returnUrl,
      source_name: started.sourceName,
      session_id: started.sessionId,
      expires_at: new Date(payload.e),
    });
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${encoded}.${this.sign(encoded)}`;
  }

  /**
   * Checks and uses up a state; throws a domain error that names what was wrong with it. A state issued to a
   * dashboard session works only in that session: a link handed to someone else connects nothing.
   */
  async consume(provider: ProviderName, state: string, sessionId: string | null, now = new Date()): Promise<StartedConnection> {
    const payload = this.verify(state);
    if (!payload || payload.p !== provider) {
      throw refused('oauth_state_invalid', 'This connection link was not issued by Synaptyx for this provider. Start the connection again from Synaptyx.');
    }
    if (payload.e <= now.getTime()) {
      throw refused('oauth_state_expired', 'This connection link expired (they last 10 minutes). Start the connection again from Synaptyx.');
    }
    const [row] = await this.deps.db('oauth_states').where({ id: payload.n }).delete().returning(['workspace_id', 'return_url', 'source_name', 'session_id']);
    if (!row) {
      throw refused('oauth_state_used', 'This connection link was already used. Start the connection again from Synaptyx.');
    }
    if (row.workspace_id !== payload.w) {
      throw refused('oauth_state_invalid', 'This connection link belongs to another workspace. Start the connection again from Synaptyx.');
    }
    if (row.session_id && row.session_id !== sessionId) {
      throw refused(
        'oauth_session_mismatch',
        'This connection was started in another browser, or by someone else, so it was not completed: nothing was connected. Sign in to Synaptyx in this browser and click Connect again.',
      );
    }
    return { workspaceId: row.workspace_id, returnUrl: row.return_url, sourceName: row.source_name, sessionId: row.session_id };
  }

  private verify(state: string): StatePayload | null {
    const [encoded, signature, extra] = state.split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(encoded));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as StatePayload;
    } catch {
      return null;
    }
  }

  private sign(encoded: string): string {
    return createHmac('sha256', this.key).update(encoded).digest('base64url');
  }
}
