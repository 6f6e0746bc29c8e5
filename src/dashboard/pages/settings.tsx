import type { FormErrors, PageContext } from '../page-context.js';
import type { WorkspaceView } from '../../workspaces/workspaces.js';
import type { ApiKeyView } from '../../workspaces/api-keys.js';
import type { InviteView, MemberView } from '../../accounts/members.js';
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords.js';
import { Layout } from '../components/layout.js';
import { CopyField, Csrf, ErrorSummary, Field, formatDateTime, PostButton, Select, TableWrap } from '../components/ui.js';

/** A secret or link shown this once, right after it was made. */
export interface ShownOnce {
  label: string;
  value: string;
  note: string;
}

interface SettingsProps {
  page: PageContext;
  workspace: WorkspaceView;
  timeZones: string[];
  keys: ApiKeyView[];
  members: MemberView[];
  invites: InviteView[];
  shownOnce?: ShownOnce | null;
  /** The problems of the form last sent, by which form it was. */
  errors?: { form: 'workspace' | 'invite' | 'password'; errors: FormErrors } | null;
  values?: Record<string, string>;
}

export function SettingsPage({ page, workspace, timeZones, keys, members, invites, shownOnce, errors, values }: SettingsProps) {
  const csrf = page.signedIn.csrfToken;
  const owner = page.signedIn.role === 'owner';
  const errorsOf = (form: 'workspace' | 'invite' | 'password') => (errors?.form === form ? errors.errors : null);
  return (
    <Layout page={page} title="Settings">
      <h1>Settings</h1>
      {shownOnce && (
        <section class="card secret" aria-labelledby="shown-once">
          <h2 id="shown-once">{shownOnce.label}</h2>
          <p>{shownOnce.note}</p>
          <CopyField id="shown-once-value" label={shownOnce.label} value={shownOnce.value} />
        </section>
      )}

      <section class="card" aria-labelledby="workspace-settings">
        <h2 id="workspace-settings">Workspace</h2>
        <ErrorSummary errors={errorsOf('workspace')} />
        <form method="post" action="/app/settings/workspace" class="stack">
          <Csrf token={csrf} />
          <Field label="Workspace name" name="name" value={values?.name ?? workspace.name} required errors={errorsOf('workspace')} />
          <Select label="Time zone" name="timezone" value={values?.timezone ?? workspace.timezone} options={timeZones.map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') }))} hint="Reports count days, weeks and months in this time zone." />
          <Select
            label="Attribution model"
            name="attribution_model"
            value={values?.attribution_model ?? workspace.attribution_model}
            options={[
              { value: 'last_click', label: 'Last click: the link clicked just before the sale' },
              { value: 'first_click', label: 'First click: the link that brought the visitor first' },
            ]}
            hint="Which click of a visitor's chain gets the sale in reports, unless a report asks for the other."
          />
          <div><button type="submit">Save settings</button></div>
        </form>
      </section>

      <section class="card" aria-labelledby="api-keys">
        <h2 id="api-keys">API keys</h2>
        <p class="muted">For scripts: send <code>Authorization: Bearer &lt;key&gt;</code> to the API. A key is shown once, when it is created; Synaptyx keeps only its hash.</p>
        {owner && <PostButton action="/app/settings/api-keys" csrf={csrf} label="Create API key" />}
        <TableWrap label="API keys">
          <table>
            <thead><tr><th scope="col">Key</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col"><span class="skip">Actions</span></th></tr></thead>
            <tbody>
              {keys.length === 0 && <tr><td colSpan={4} class="muted">No API keys yet.</td></tr>}
              {keys.map((key) => (
                <tr>
                  <th scope="row"><code>{key.prefix}…</code></th>
                  <td>{formatDateTime(key.created_at, workspace.timezone)}</td>
                  <td>{key.revoked_at ? `Revoked ${formatDateTime(key.revoked_at, workspace.timezone)}` : 'Active'}</td>
                  <td>{owner && !key.revoked_at && <PostButton action={`/app/settings/api-keys/${key.prefix}/revoke`} csrf={csrf} label={`Revoke ${key.prefix}`} variant="secondary" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section class="card" aria-labelledby="members">
        <h2 id="members">Members</h2>
        <TableWrap label="Members">
          <table>
            <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col"><span class="skip">Actions</span></th></tr></thead>
            <tbody>
              {members.map((member) => (
                <tr>
                  <th scope="row">{member.email}</th>
                  <td>{member.role}</td>
                  <td>{formatDateTime(member.joined_at, workspace.timezone)}</td>
                  <td>{owner && member.user_id !== page.signedIn.userId && <PostButton action={`/app/settings/members/${member.user_id}/remove`} csrf={csrf} label={`Remove ${member.email}`} variant="secondary" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {owner ? (
          <>
            <h3>Invite someone</h3>
            <p class="muted small">You get a one-time link (valid 7 days) to send them; they choose their password when they open it.</p>
            <ErrorSummary errors={errorsOf('invite')} />
            <form method="post" action="/app/settings/invites" class="inline">
              <Csrf token={csrf} />
              <Field label="Email" name="email" type="email" value={values?.email} required errors={errorsOf('invite')} />
              <Select label="Role" name="role" value={values?.role ?? 'member'} options={[{ value: 'member', label: 'Member' }, { value: 'owner', label: 'Owner' }]} />
              <button type="submit">Create invite</button>
            </form>
            {invites.length > 0 && (
              <TableWrap label="Pending invites">
                <table>
                  <caption>Pending invites</caption>
                  <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Expires</th><th scope="col"><span class="skip">Actions</span></th></tr></thead>
                  <tbody>
                    {invites.map((invite) => (
                      <tr>
                        <th scope="row">{invite.email}</th>
                        <td>{invite.role}</td>
                        <td>{formatDateTime(invite.expires_at, workspace.timezone)}</td>
                        <td><PostButton action={`/app/settings/invites/${invite.id}/revoke`} csrf={csrf} label={`Withdraw invite for ${invite.email}`} variant="secondary" /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </>
        ) : (
          <p class="muted">Only an owner can invite or remove members.</p>
        )}
      </section>

      <section class="card" aria-labelledby="password">
        <h2 id="password">Your password</h2>
        <p class="muted small">You are signed in as {page.signedIn.email}. Changing your password signs you out everywhere else.</p>
        <ErrorSummary errors={errorsOf('password')} />
        <form method="post" action="/app/settings/password" class="stack">
          <Csrf token={csrf} />
          <input type="hidden" name="username" value={page.signedIn.email} autocomplete="username" />
          <Field label="Current password" name="current_password" type="password" autocomplete="current-password" required errors={errorsOf('password')} />
          <Field label="New password" name="new_password" type="password" autocomplete="new-password" minLength={MIN_PASSWORD_LENGTH} hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} required errors={errorsOf('password')} />
          <div><button type="submit">Change password</button></div>
        </form>
      </section>
    </Layout>
  );
}
