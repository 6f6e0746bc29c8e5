import type { Knex } from 'knex';
import { conflict, forbidden, notFound, refused, validationFailed } from '../errors.js';
import { newId } from '../ids.js';
import { sqlState } from '../db/errors.js';
import { insertWorkspace } from '../workspaces/workspaces.js';
import { Workspace } from '../workspaces/models.js';
import { AccountLink, Membership, User, type Role } from './models.js';
import { hashPassword, MIN_PASSWORD_LENGTH, UNUSABLE_HASH, verifyPassword } from './passwords.js';
import { issueAccountLink, openAccountLink, useAccountLink } from './account-links.js';
import type { Sessions } from './sessions.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export interface AccountsDeps {
  db: Knex;
  publicUrl: string;
  sessions: Sessions;
  throttle: SignInThrottle;
}

/** A browser that just signed in: the cookie's token. */
export interface StartedSession {
  token: string;
  userId: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const wrongCredentials = () => refused('invalid_credentials', 'That email and password do not match an account.');

/** People: the first run's setup, sign-in, passwords, and one-time links (setup, invite, password). */
export class Accounts {
  constructor(private readonly deps: AccountsDeps) {}

  async hasUsers(): Promise<boolean> {
    return Boolean(await User.query().first());
  }

  /**
   * While nobody can sign in, a one-time link that creates the first account: printed at every start until used
   * (each start replaces the previous link).
   */
  async setupLinkIfNeeded(): Promise<string | null> {
    return Workspace.transaction(async (trx) => {
      if (await User.query(trx).first()) return null;
      await AccountLink.query(trx).where({ purpose: 'setup' }).whereNull('used_at').delete();
      return (await issueAccountLink(this.deps.publicUrl, 'setup', {}, trx)).url;
    });
  }

  /** Checks a link before its page is shown (the page names the problem rather than showing a form that cannot work). */
  async checkLink(token: string, purpose: 'setup' | 'invite' | 'password'): Promise<AccountLink> {
    return openAccountLink(token, purpose);
  }

  /** The setup page: the first account, owner of a new workspace, signed in. */
  async setUp(token: string, input: { email: string; password: string; workspaceName: string }): Promise<StartedSession> {
    const email = checkEmail(input.email);
    checkPassword(input.password);
    const workspaceName = input.workspaceName.trim();
    if (!workspaceName || workspaceName.length > 200) throw validationFailed('Workspace name must be 1 to 200 characters.', [{ pointer: '/workspace_name', message: 'must be 1 to 200 characters' }]);
    const passwordHash = await hashPassword(input.password);
    return Workspace.transaction(async (trx) => {
      const link = await openAccountLink(token, 'setup', trx);
      if (await User.query(trx).first()) throw refused('link_used', 'An account already exists: sign in instead.');
      const workspace = await insertWorkspace(workspaceName, trx);
      const user = await insertUser(trx, email, passwordHash);
      await Membership.query(trx).insert({ workspace_id: workspace.id, user_id: user.id, role: 'owner' });
      await useAccountLink(trx, link);
      return { token: await this.deps.sessions.start(user.id, workspace.id, trx), userId: user.id };
    });
  }

  /** Email and password; throttled per email and per address; a miss costs as much time as a wrong password. */
  async signIn(emailInput: string, password: string, ip: string): Promise<StartedSession> {
    const email = emailInput.trim();
    await this.deps.throttle.check(email, ip);
    const user = await User.query().whereRaw('lower(email) = lower(?)', [email]).first();
    const matches = await verifyPassword(password.slice(0, 1_024), user?.password_hash ?? UNUSABLE_HASH);
    const membership = user && matches ? await Membership.query().where({ user_id: user.id }).orderBy('created_at').first() : undefined;
    if (!user || !matches || !membership) {
      await this.deps.throttle.fail(email, ip);
      throw wrongCredentials();
    }
    await this.deps.throttle.succeed(email);
    return { token: await this.deps.sessions.start(user.id, membership.workspace_id), userId: user.id };
  }

  /** A new password from the settings page: every session of the person ends, and this browser gets a new one. */
  async changePassword(userId: string, workspaceId: string, current: string, next: string): Promise<StartedSession> {
    checkPassword(next, '/new_password');
    const user = await User.query().findById(userId);
    if (!user || !(await verifyPassword(current, user.password_hash ?? UNUSABLE_HASH))) {
      throw validationFailed('The current password is not right.', [{ pointer: '/current_password', message: 'is not right' }]);
    }
    const passwordHash = await hashPassword(next);
    return User.transaction(async (trx) => {
      await User.query(trx).findById(userId).patch({ password_hash: passwordHash, password_changed_at: new Date() });
      await this.deps.sessions.endAllFor(userId, trx);
      return { token: await this.deps.sessions.start(userId, workspaceId, trx), userId };
    });
  }

  /** A password set by a one-time link (an account made by the CLI): ends any other session, signs this browser in. */
  async setPasswordByLink(token: string, password: string): Promise<StartedSession> {
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    return User.transaction(async (trx) => {
      const link = await openAccountLink(token, 'password', trx);
      const membership = await Membership.query(trx).where({ user_id: link.user_id! }).orderBy('created_at').first();
      if (!membership) throw refused('link_invalid', 'This account no longer belongs to a workspace.');
      await User.query(trx).findById(link.user_id!).patch({ password_hash: passwordHash, password_changed_at: new Date() });
      await this.deps.sessions.endAllFor(link.user_id!, trx);
      await useAccountLink(trx, link);
      return { token: await this.deps.sessions.start(link.user_id!, membership.workspace_id, trx), userId: link.user_id! };
    });
  }

  /** The CLI's `user create`: an account in a workspace, with a one-time link to set its password. */
  async createUser(email: string, workspaceId: string, role: Role = 'owner'): Promise<{ user_id: string; email: string; workspace_id: string; role: Role; password_link: string }> {
    const address = checkEmail(email);
    return User.transaction(async (trx) => {
      if (!(await Workspace.query(trx).findById(workspaceId))) throw notFound('workspace');
      const user = await insertUser(trx, address, null);
      await Membership.query(trx).insert({ workspace_id: workspaceId, user_id: user.id, role });
      const { url } = await issueAccountLink(this.deps.publicUrl, 'password', { userId: user.id }, trx);
      return { user_id: user.id, email: user.email, workspace_id: workspaceId, role, password_link: url };
    });
  }

  /** An invite's page: a new person chooses a password; the invite's workspace becomes theirs. */
  async acceptInviteAsNewUser(token: string, password: string): Promise<StartedSession> {
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    return User.transaction(async (trx) => {
      const link = await openAccountLink(token, 'invite', trx);
      if (await User.query(trx).whereRaw('lower(email) = lower(?)', [link.email!]).first()) {
        throw refused('account_exists', `An account for ${link.email} exists already: sign in, then open the invite again.`);
      }
      const user = await insertUser(trx, link.email!, passwordHash);
      await Membership.query(trx).insert({ workspace_id: link.workspace_id!, user_id: user.id, role: link.role ?? 'member' });
      await useAccountLink(trx, link);
      return { token: await this.deps.sessions.start(user.id, link.workspace_id!, trx), userId: user.id };
    });
  }

  /** An invite opened by someone signed in as the invited address: the workspace joins their others. */
  async acceptInviteAsUser(token: string, userId: string, sessionId: string): Promise<string> {
    return User.transaction(async (trx) => {
      const link = await openAccountLink(token, 'invite', trx);
      const user = await User.query(trx).findById(userId);
      if (!user || user.email.toLowerCase() !== link.email!.toLowerCase()) {
        throw forbidden(`This invite is for ${link.email}. Sign out and sign in as that address, or ask for an invite to yours.`);
      }
      await Membership.query(trx).insert({ workspace_id: link.workspace_id!, user_id: userId, role: link.role ?? 'member' }).onConflict(['workspace_id', 'user_id']).ignore();
      await useAccountLink(trx, link);
      await trx('sessions').where({ id: sessionId }).update({ workspace_id: link.workspace_id });
      return link.workspace_id!;
    });
  }
}

async function insertUser(trx: Knex.Transaction, email: string, passwordHash: string | null): Promise<User> {
  try {
    return await User.query(trx).insertAndFetch({ id: newId('usr'), email, password_hash: passwordHash, password_changed_at: passwordHash ? new Date() : null });
  } catch (error) {
    if (sqlState(error) === '23505') throw conflict(`An account for ${email} exists already.`, [{ pointer: '/email', message: 'belongs to an account already' }]);
    throw error;
  }
}

export function checkEmail(input: string): string {
  const email = input.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw validationFailed('Email must be an email address.', [{ pointer: '/email', message: 'must be an email address' }]);
  return email;
}

export function checkPassword(password: string, pointer = '/password'): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 1_024) {
    throw validationFailed(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`, [{ pointer, message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
  }
}
