import type { PageContext } from '../page-context.js';
import type { SourceView } from '../../sources/sources.js';
import { PROVIDER_NAMES } from '../../providers/provider.js';
import { sourceName } from '../../sources/sources.js';
import { Layout } from '../components/layout.js';
import { Badge, Csrf, formatDateTime, TableWrap } from '../components/ui.js';

/** A provider the merchant can connect, and whether the platform's one-click app is configured for it. */
export interface Connectable {
  provider: string;
  name: string;
  oneClick: boolean;
}

/** How a source is called on every page: its name, else its provider and account. */

export const connectionText = (source: Pick<SourceView, 'mode' | 'credentials'>) =>
  source.mode === 'oauth' ? 'One-click connection' : `API key${source.credentials.api_key_last4 ? ` ending in ${source.credentials.api_key_last4}` : ''}`;

/** The button that connects a provider: one click to its consent page, else to the API-key form. */
export function ConnectButton({ connectable, csrf, label }: { connectable: Connectable; csrf: string; label?: string }) {
  const text = label ?? `Connect ${connectable.name}`;
  if (connectable.oneClick) {
    return (
      <form method="post" action={`/app/sources/connect/${connectable.provider}`} class="post-button">
        <Csrf token={csrf} />
        <button type="submit">{text}</button>
      </form>
    );
  }
  return (
    <form method="get" action={`/app/sources/new/${connectable.provider}`} class="post-button">
      <button type="submit">{text}</button>
    </form>
  );
}

function ConnectCard({ connectable, csrf }: { connectable: Connectable; csrf: string }) {
  const { provider, name, oneClick } = connectable;
  return (
    <section class="card" aria-labelledby={`connect-${provider}`}>
      <h3 id={`connect-${provider}`}>{name}</h3>
      <p class="small">
        {oneClick
          ? `Sign in at ${name} and allow Synaptyx to read your sales; the webhook is set up for you.`
          : `Paste an API key and a webhook signing secret from ${name}. The form shows the webhook URL and the events to enable first.`}
      </p>
      <ConnectButton connectable={connectable} csrf={csrf} />
      {oneClick && (
        <p class="small alternative">
          <a href={`/app/sources/new/${provider}`}>Use a {name} API key instead</a>
        </p>
      )}
    </section>
  );
}

export function SourcesPage({ page, sources, connectables, timeZone }: { page: PageContext; sources: SourceView[]; connectables: Connectable[]; timeZone: string }) {
  const csrf = page.signedIn.csrfToken;
  return (
    <Layout page={page} title="Revenue sources">
      <div class="page-head">
        <h1>Revenue sources</h1>
      </div>
      <p class="muted">A revenue source is your payment account: its webhooks tell Synaptyx of each sale, refund and dispute, and the snippet carries the click into its checkout.</p>
      {sources.length === 0 ? (
        <section class="card empty" aria-labelledby="no-sources">
          <h2 id="no-sources">No revenue source yet</h2>
          <p>Connect the account your customers pay through. Then install its snippet on your site, so that sales are credited to the click that brought them.</p>
        </section>
      ) : (
        <TableWrap label="Revenue sources">
          <table>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Last event</th>
                <th scope="col">Provider</th>
                <th scope="col">Connection</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((source) => (
                <tr>
                  <th scope="row">
                    <a href={`/app/sources/${source.id}`}>{sourceName(source)}</a>
                  </th>
                  <td>
                    <Badge value={source.status} />
                    {source.health.reason && <p class="small muted reason">{source.health.reason}</p>}
                  </td>
                  <td>{source.last_event_at ? formatDateTime(source.last_event_at, timeZone) : <span class="muted">None yet</span>}</td>
                  <td>{PROVIDER_NAMES[source.provider] ?? source.provider}</td>
                  <td>{connectionText(source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h2 id="connect">Connect a source</h2>
      <div class="grid-2">
        {connectables.map((connectable) => (
          <ConnectCard connectable={connectable} csrf={csrf} />
        ))}
      </div>
    </Layout>
  );
}
