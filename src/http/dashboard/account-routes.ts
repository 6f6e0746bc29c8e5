import type Router from '@koa/router';
import type { Context } from 'koa';
import { h } from 'preact';
import { renderPage } from '../../dashboard/render.js';
import { JoinPage, SetPasswordPage, SetupPage, SignInPage } from '../../dashboard/pages/account.js';
import { ProblemPage } from '../../dashboard/pages/problem.js';
import { DomainError } from '../../errors.js';
import type { StartedSession } from '../../accounts/accounts.js';
import type { DashboardDeps } from './deps.js';
import { clearSessionCookie, setFlash, setSessionCookie } from './cookies.js';
import { field } from './form-body.js';
import { localPath, submit } from './forms.js';

/** Sign-in, sign-out, the first run's setup, invites and password links: the pages before the dashboard. */
export function accountRoutes(router: Router, deps: DashboardDeps): void {
  const { accounts, assets } = deps;
  const startSession = (ctx: Context, started: StartedSession) => setSessionCookie(ctx, started.token, deps.secureCookies);
  const linkProblem = (ctx: Context, error: unknown) => {
    if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
    renderPage(ctx, h(ProblemPage, { assets, title: 'This link does not work', message: error.message, link: { href: '/login', text: 'Go to sign in' } }), 400);
  };

  router.get('/', async (ctx) => {
    ctx.redirect(ctx.state.signedIn ? '/app' : (await accounts.hasUsers()) ? '/login' : '/setup');
  });

  router.get('/login', (ctx) => {
    if (ctx.state.signedIn) return ctx.redirect(localPath(ctx.query.next as string | undefined));
    const notice = ctx.query.signed_out ? 'You are signed out.' : null;
    renderPage(ctx, h(SignInPage, { assets, notice, next: typeof ctx.query.next === 'string' ? localPath(ctx.query.next) : undefined }));
  });

  router.post('/login', async (ctx) => {
    const email = field(ctx.request.form, 'email');
    const next = localPath(field(ctx.request.form, 'next') || undefined);
    try {
      startSession(ctx, await accounts.signIn(email, field(ctx.request.form, 'password', { trim: false }), ctx.ip));
      ctx.status = 303;
      ctx.redirect(next);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'invalid' && error.kind !== 'rate_limited')) throw error;
      if (error.retryAfterSeconds) ctx.set('Retry-After', String(error.retryAfterSeconds));
      renderPage(ctx, h(SignInPage, { assets, email, next, errors: { message: error.message, fields: {} } }), error.kind === 'rate_limited' ? 429 : 401);
    }
  });

  router.post('/logout', async (ctx) => {
    if (ctx.state.signedIn) await deps.sessions.end(ctx.state.signedIn.sessionId);
    clearSessionCookie(ctx, deps.secureCookies);
    ctx.status = 303;
    ctx.redirect('/login?signed_out=1');
  });

  router.get('/setup', async (ctx) => {
    const token = String(ctx.query.token ?? '');
    if (!token && (await accounts.hasUsers())) return ctx.redirect('/login');
    if (!token) {
      return renderPage(ctx, h(ProblemPage, { assets, title: 'Open the setup link', message: 'Synaptyx printed a one-time setup link when it started (look for "setup?token=" in its output). Open that link to create the first account.', link: { href: '/login', text: 'Go to sign in' } }));
    }
    try {
      await accounts.checkLink(token, 'setup');
      renderPage(ctx, h(SetupPage, { assets, token }));
    } catch (error) {
      linkProblem(ctx, error);
    }
  });

  router.post('/setup', async (ctx) => {
    const form = ctx.request.form;
    const values = { email: field(form, 'email'), workspace_name: field(form, 'workspace_name') };
    const token = field(form, 'token');
    await submit(
      ctx,
      async () => {
        startSession(ctx, await accounts.setUp(token, { email: values.email, password: field(form, 'password', { trim: false }), workspaceName: values.workspace_name }));
        setFlash(ctx, 'Welcome to Synaptyx. Start with the steps below.', deps.secureCookies);
        ctx.status = 303;
        ctx.redirect('/app');
      },
      (errors, status) => (errors.fields.password || errors.fields.email || errors.fields.workspace_name ? renderPage(ctx, h(SetupPage, { assets, token, values, errors }), status) : linkProblem(ctx, new DomainError('invalid', 'link_invalid', errors.message))),
    );
  });

  router.get('/password/set', async (ctx) => {
    const token = String(ctx.query.token ?? '');
    try {
      await accounts.checkLink(token, 'password');
      renderPage(ctx, h(SetPasswordPage, { assets, token, action: '/password/set', title: 'Choose your password', intro: 'Choose a password for your Synaptyx account. You will be signed in.' }));
    } catch (error) {
      linkProblem(ctx, error);
    }
  });

  router.post('/password/set', async (ctx) => {
    const token = field(ctx.request.form, 'token');
    await submit(
      ctx,
      async () => {
        startSession(ctx, await accounts.setPasswordByLink(token, field(ctx.request.form, 'password', { trim: false })));
        setFlash(ctx, 'Your password is set.', deps.secureCookies);
        ctx.status = 303;
        ctx.redirect('/app');
      },
      (errors, status) => (errors.fields.password ? renderPage(ctx, h(SetPasswordPage, { assets, token, action: '/password/set', title: 'Choose your password', intro: 'Choose a password for your Synaptyx account.', errors }), status) : linkProblem(ctx, new DomainError('invalid', 'link_invalid', errors.message))),
    );
  });

  router.get('/invite', async (ctx) => {
    const token = String(ctx.query.token ?? '');
    try {
      const invite = await accounts.checkLink(token, 'invite');
      const session = ctx.state.signedIn;
      if (session) return renderPage(ctx, h(JoinPage, { assets, token, email: invite.email!, csrf: session.csrfToken }));
      renderPage(ctx, h(SetPasswordPage, { assets, token, action: '/invite', title: 'Join Synaptyx', intro: `You were invited as ${invite.email}. Choose a password to create your account. Have an account already? Sign in first, then open this link again.`, email: invite.email }));
    } catch (error) {
      linkProblem(ctx, error);
    }
  });

  router.post('/invite', async (ctx) => {
    const token = field(ctx.request.form, 'token');
    const session = ctx.state.signedIn;
    try {
      if (session) {
        await accounts.acceptInviteAsUser(token, session.userId, session.sessionId);
      } else {
        startSession(ctx, await accounts.acceptInviteAsNewUser(token, field(ctx.request.form, 'password', { trim: false })));
      }
      setFlash(ctx, 'You joined the workspace.', deps.secureCookies);
      ctx.status = 303;
      ctx.redirect('/app');
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'invalid' && error.details[0]?.pointer === '/password') {
        return renderPage(ctx, h(SetPasswordPage, { assets, token, action: '/invite', title: 'Join Synaptyx', intro: 'Choose a password to create your account.', errors: { message: error.message, fields: { password: error.details[0].message } } }), 400);
      }
      linkProblem(ctx, error);
    }
  });
}
