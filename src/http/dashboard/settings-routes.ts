import type Router from '@koa/router';
import type { Context } from 'koa';
import { h } from 'preact';
import { renderPage } from '../../dashboard/render.js';
import { SettingsPage, type ShownOnce } from '../../dashboard/pages/settings.js';
import type { FormErrors } from '../../dashboard/page-context.js';
import { getWorkspace, updateWorkspace } from '../../workspaces/workspaces.js';
import { createApiKey, listApiKeys, revokeWorkspaceKey } from '../../workspaces/api-keys.js';
import { UpdateWorkspaceBody } from '../../workspaces/settings-schemas.js';
import { forbidden, notFound } from '../../errors.js';
import type { Role } from '../../accounts/models.js';
import { checkInput } from '../validation.js';
import type { DashboardDeps } from './deps.js';
import { pageOf } from './context.js';
import { signedIn } from './session.js';
import { field } from './form-body.js';
import { setFlash, setSessionCookie } from './cookies.js';
import { submit } from './forms.js';

const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

/** `/app/settings`: the workspace (name, time zone, model), API keys, members and invites, and the person's password. */
export function settingsPages(router: Router, deps: DashboardDeps): void {
  const { members, accounts } = deps;

  const show = async (ctx: Context, extra: { shownOnce?: ShownOnce; errors?: { form: 'workspace' | 'invite' | 'password'; errors: FormErrors }; values?: Record<string, string> } = {}, status = 200) => {
    const { workspaceId } = signedIn(ctx);
    const [workspace, keys, people, invites] = await Promise.all([getWorkspace(workspaceId), listApiKeys(workspaceId), members.list(workspaceId), members.invites(workspaceId)]);
    renderPage(ctx, h(SettingsPage, { page: pageOf(ctx), workspace, timeZones: TIME_ZONES, keys, members: people, invites, ...extra }), status);
  };
  const done = (ctx: Context, message: string) => {
    setFlash(ctx, message, deps.secureCookies);
    ctx.status = 303;
    ctx.redirect('/app/settings');
  };
  const mustOwn = (ctx: Context) => {
    if (signedIn(ctx).role !== 'owner') throw forbidden('Only an owner of this workspace can do that.');
  };

  router.get('/settings', (ctx) => show(ctx));

  router.post('/settings/workspace', async (ctx) => {
    const values = { name: field(ctx.request.form, 'name'), timezone: field(ctx.request.form, 'timezone'), attribution_model: field(ctx.request.form, 'attribution_model') };
    await submit(
      ctx,
      async () => {
        await updateWorkspace(signedIn(ctx).workspaceId, checkInput(UpdateWorkspaceBody, values, 'body'));
        done(ctx, 'Workspace settings saved.');
      },
      (errors, status) => show(ctx, { errors: { form: 'workspace', errors }, values }, status),
    );
  });

  // A new key is shown on the answer itself, never stored or redirected with: a reload asks to send the form again.
  router.post('/settings/api-keys', async (ctx) => {
    mustOwn(ctx);
    const { key } = await createApiKey(signedIn(ctx).workspaceId);
    await show(ctx, { shownOnce: { label: 'New API key', value: key, note: 'Copy it now: this is the only time Synaptyx shows it. Store it where your scripts read secrets.' } }, 201);
  });

  router.post('/settings/api-keys/:prefix/revoke', async (ctx) => {
    mustOwn(ctx);
    await revokeWorkspaceKey(signedIn(ctx).workspaceId, ctx.params.prefix);
    done(ctx, `API key ${ctx.params.prefix}… revoked: requests with it now answer 401.`);
  });

  router.post('/settings/invites', async (ctx) => {
    const session = signedIn(ctx);
    const values = { email: field(ctx.request.form, 'email'), role: field(ctx.request.form, 'role') };
    const role: Role = values.role === 'owner' ? 'owner' : 'member';
    await submit(
      ctx,
      async () => {
        const { url, invite } = await members.invite(session.workspaceId, session.userId, session.role, values.email, role);
        await show(ctx, { shownOnce: { label: `Invite link for ${invite.email}`, value: url, note: 'Send this link to them; it works once, for 7 days. It is not shown again.' } }, 201);
      },
      (errors, status) => show(ctx, { errors: { form: 'invite', errors }, values }, status),
    );
  });

  router.post('/settings/invites/:id/revoke', async (ctx) => {
    const session = signedIn(ctx);
    await members.revokeInvite(session.workspaceId, session.role, ctx.params.id);
    done(ctx, 'Invite withdrawn: its link no longer works.');
  });

  router.post('/settings/members/:userId/remove', async (ctx) => {
    const session = signedIn(ctx);
    await members.remove(session.workspaceId, session.role, ctx.params.userId);
    done(ctx, 'Member removed: they no longer see this workspace.');
  });

  router.post('/settings/password', async (ctx) => {
    const session = signedIn(ctx);
    await submit(
      ctx,
      async () => {
        const started = await accounts.changePassword(session.userId, session.workspaceId, field(ctx.request.form, 'current_password', { trim: false }), field(ctx.request.form, 'new_password', { trim: false }));
        setSessionCookie(ctx, started.token, deps.secureCookies);
        done(ctx, 'Password changed. Every other browser signed in as you has been signed out.');
      },
      (errors, status) => show(ctx, { errors: { form: 'password', errors } }, status),
    );
  });

  /** The layout's workspace switcher: only to a workspace the person belongs to. */
  router.post('/workspace', async (ctx) => {
    const session = signedIn(ctx);
    const target = field(ctx.request.form, 'workspace_id');
    const mine = await members.workspacesOf(session.userId);
    if (!mine.some((workspace) => workspace.id === target)) throw notFound('workspace');
    await deps.sessions.switchWorkspace(session.sessionId, target);
    setFlash(ctx, `Switched to ${mine.find((workspace) => workspace.id === target)!.name}.`, deps.secureCookies);
    ctx.status = 303;
    ctx.redirect('/app');
  });
}
