import type { DashboardAssets } from '../assets.js';
import type { FormErrors } from '../page-context.js';
import { PlainLayout } from '../components/layout.js';
import { Csrf, ErrorSummary, Field } from '../components/ui.js';
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords.js';

const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters.`;

export function SignInPage({ assets, email, next, errors, notice }: { assets: DashboardAssets; email?: string; next?: string; errors?: FormErrors | null; notice?: string | null }) {
  return (
    <PlainLayout title="Sign in" assets={assets}>
      <h1>Sign in</h1>
      {notice && <p class="flash" role="status">{notice}</p>}
      <ErrorSummary errors={errors} />
      <form method="post" action="/login" class="stack card">
        {next && <input type="hidden" name="next" value={next} />}
        <Field label="Email" name="email" type="email" value={email} autocomplete="username" required errors={errors} />
        <Field label="Password" name="password" type="password" autocomplete="current-password" required errors={errors} />
        <div>
          <button type="submit">Sign in</button>
        </div>
      </form>
      <p class="muted small">No account? Ask an owner of your workspace for an invite.</p>
    </PlainLayout>
  );
}

export function SetupPage({ assets, token, values, errors }: { assets: DashboardAssets; token: string; values?: { email?: string; workspace_name?: string }; errors?: FormErrors | null }) {
  return (
    <PlainLayout title="Set up Synaptyx" assets={assets}>
      <h1>Set up Synaptyx</h1>
      <p>Create the first account. It will own a new workspace; you can invite others from Settings.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/setup" class="stack card">
        <input type="hidden" name="token" value={token} />
        <Field label="Workspace name" name="workspace_name" value={values?.workspace_name ?? ''} placeholder="Acme" required errors={errors} />
        <Field label="Email" name="email" type="email" value={values?.email} autocomplete="username" required errors={errors} />
        <Field label="Password" name="password" type="password" autocomplete="new-password" hint={PASSWORD_HINT} minLength={MIN_PASSWORD_LENGTH} required errors={errors} />
        <div>
          <button type="submit">Create account</button>
        </div>
      </form>
    </PlainLayout>
  );
}

export function SetPasswordPage({ assets, token, action, title, intro, email, errors }: { assets: DashboardAssets; token: string; action: string; title: string; intro: string; email?: string | null; errors?: FormErrors | null }) {
  return (
    <PlainLayout title={title} assets={assets}>
      <h1>{title}</h1>
      <p>{intro}</p>
      <ErrorSummary errors={errors} />
      <form method="post" action={action} class="stack card">
        <input type="hidden" name="token" value={token} />
        {email && <input type="hidden" name="username" value={email} autocomplete="username" />}
        <Field label="Password" name="password" type="password" autocomplete="new-password" hint={PASSWORD_HINT} minLength={MIN_PASSWORD_LENGTH} required errors={errors} />
        <div>
          <button type="submit">Set password</button>
        </div>
      </form>
    </PlainLayout>
  );
}

/** An invite opened by someone already signed in: join with the account they have. */
export function JoinPage({ assets, token, email, csrf }: { assets: DashboardAssets; token: string; email: string; csrf: string }) {
  return (
    <PlainLayout title="Join the workspace" assets={assets}>
      <h1>Join the workspace</h1>
      <p>This invite is for {email}. Join with the account you are signed in with?</p>
      <form method="post" action="/invite" class="stack">
        <Csrf token={csrf} />
        <input type="hidden" name="token" value={token} />
        <div>
          <button type="submit">Join workspace</button>
        </div>
      </form>
    </PlainLayout>
  );
}
