import { conflict, forbidden, notFound } from '../errors.js';
import { AccountLink, Membership, type Role } from './models.js';
import { issueAccountLink } from './account-links.js';
import { checkEmail } from './accounts.js';

export interface MemberView {
  user_id: string;
  email: string;
  role: Role;
  joined_at: string;
}

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  expires_at: string;
  created_at: string;
}

/** Who belongs to a workspace. Only an owner invites and removes; the last owner stays. */
export class Members {
  constructor(private readonly deps: { publicUrl: string }) {}

  async list(workspaceId: string): Promise<MemberView[]> {
    const rows = await Membership.query()
      .join('users', 'users.id', 'memberships.user_id')
      .where('memberships.workspace_id', workspaceId)
      .orderBy('memberships.created_at')
      .select('memberships.user_id', 'users.email', 'memberships.role', 'memberships.created_at');
    return rows.map((row) => ({ user_id: row.user_id, email: (row as unknown as { email: string }).email, role: row.role, joined_at: row.created_at.toISOString() }));
  }

  async invites(workspaceId: string, now = new Date()): Promise<InviteView[]> {
    const rows = await AccountLink.query().where({ workspace_id: workspaceId, purpose: 'invite' }).whereNull('used_at').where('expires_at', '>', now).orderBy('created_at');
    return rows.map((row) => ({ id: row.id.slice(0, 16), email: row.email!, role: row.role!, expires_at: row.expires_at.toISOString(), created_at: row.created_at.toISOString() }));
  }

  /** A one-time link for an address: shown to the owner once, to send as they like. */
  async invite(workspaceId: string, byUserId: string, role: Role, email: string, inviteeRole: Role): Promise<{ url: string; invite: InviteView }> {
    mustOwn(role);
    const address = checkEmail(email);
    const existing = await Membership.query().join('users', 'users.id', 'memberships.user_id').where('memberships.workspace_id', workspaceId).whereRaw('lower(users.email) = lower(?)', [address]).first();
    if (existing) throw conflict(`${address} is a member already.`, [{ pointer: '/email', message: 'is a member already' }]);
    const { url, link } = await issueAccountLink(this.deps.publicUrl, 'invite', { workspaceId, email: address, role: inviteeRole, createdBy: byUserId });
    return { url, invite: { id: link.id.slice(0, 16), email: address, role: inviteeRole, expires_at: link.expires_at.toISOString(), created_at: link.created_at.toISOString() } };
  }

  /** Withdraws an unused invite, named by the first 16 characters of its id (all a page ever shows). */
  async revokeInvite(workspaceId: string, role: Role, inviteId: string): Promise<void> {
    mustOwn(role);
    const deleted = await AccountLink.query().where({ workspace_id: workspaceId, purpose: 'invite' }).whereNull('used_at').where('id', 'like', `${inviteId.replace(/[^0-9a-f]/g, '')}%`).whereRaw('length(?) = 16', [inviteId]).delete();
    if (!deleted) throw notFound('invite');
  }

  async remove(workspaceId: string, role: Role, userId: string): Promise<void> {
    mustOwn(role);
    const member = await Membership.query().findById([workspaceId, userId]);
    if (!member) throw notFound('member');
    if (member.role === 'owner') {
      const owners = await Membership.query().where({ workspace_id: workspaceId, role: 'owner' }).resultSize();
      if (owners === 1) throw conflict('A workspace keeps at least one owner: make someone else an owner first.');
    }
    await Membership.query().deleteById([workspaceId, userId]);
  }

  /** The workspaces a person can switch between. */
  async workspacesOf(userId: string): Promise<{ id: string; name: string; role: Role }[]> {
    return Membership.query().join('workspaces', 'workspaces.id', 'memberships.workspace_id').where('memberships.user_id', userId).orderBy('workspaces.name').select('workspaces.id', 'workspaces.name', 'memberships.role') as unknown as Promise<{ id: string; name: string; role: Role }[]>;
  }
}

function mustOwn(role: Role): void {
  if (role !== 'owner') throw forbidden('Only an owner of this workspace can manage its members.');
}
