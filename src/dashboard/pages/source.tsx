import type { FormErrors, PageContext } from '../page-context.js';
import type { SourceView } from '../../sources/sources.js';
import type { WebhookLogView } from '../../webhooks/logs.js';
import type { InstallStep, ProviderGuide } from '../provider-guides.js';
import { Layout } from '../components/layout.js';
import { Badge, CopyField, Csrf, formatDateTime } from '../components/ui.js';
import { ConnectButton, connectionText, type Connectable } from './sources.js';
import { sourceName } from '../../sources/sources.js';
import { EventMappingsForm, WebhookLogs, type MappingErrors, type MappingRow } from './source-sections.js';

export interface SourcePageProps {
  page: PageContext;
  source: SourceView;
  providerName: string;
  /** The tag to paste, or null when the source is disconnected (its script is not served then). */
  snippetTag: string | null;
  guide: ProviderGuide;
  /** Every event type to enable on an endpoint the merchant made. */
  events: string[];
  /** The one-click connection that can reconnect this source, if the platform app is configured and it is one. */
  reconnect: Connectable | null;
  mappings: MappingRow[];
  mappingErrors: MappingErrors | null;
  logs: { data: WebhookLogView[]; next_cursor: string | null };
  logFilter: { outcome: string | null; paged: boolean; errors: FormErrors | null };
  outcomes: readonly string[];
  timeZone: string;
}

/** A source: how it is doing and what to do, its webhook, the snippet and install steps, event mappings, its log. */
export function SourcePage(props: SourcePageProps) {
  const { page, source, providerName, snippetTag, guide, events, mappings, mappingErrors, logs, logFilter, outcomes, timeZone } = props;
  const name = sourceName(source);
  const csrf = page.signedIn.csrfToken;
  return (
    <Layout page={page} title={name}>
      <p class="small">
        <a href="/app/sources">Revenue sources</a>
      </p>
      <div class="page-head">
        <h1>{name}</h1>
        <Badge value={source.status} />
      </div>
      <Status {...props} />
      <Webhook source={source} providerName={providerName} events={events} />
      <section aria-labelledby="install">
        <h2 id="install">Install the snippet</h2>
        {snippetTag ? (
          <>
            <p>Paste this tag into every page of your site, in the <code>{'<head>'}</code> or before <code>{'</body>'}</code>. It keeps the click id of a visitor who came through a tracked link, and hands it to your checkout.</p>
            <CopyField id="snippet-tag" label="Snippet tag" value={snippetTag} />
            <h3>Then, for each way your customers check out</h3>
            {guide.install.map((step, index) => (
              <Install step={step} id={`install-${index}`} />
            ))}
            <h3>Check that it works</h3>
            <ol class="steps">
              <li>Open one of your tracked links: you land on your site with <code>?clickid=</code> in the address bar.</li>
              <li>In the browser console, <code>synaptyx.clickId()</code> returns that id, also on your other pages.</li>
              <li>Make a test purchase: the webhook log below shows <strong>attributed</strong>. <strong>orphan no clickid</strong> means the id did not reach the checkout.</li>
            </ol>
          </>
        ) : (
          <p>This source is disconnected, so its snippet is not served: connect the account again first.</p>
        )}
      </section>
      <EventMappingsForm sourceId={source.id} csrf={csrf} rows={mappings} errors={mappingErrors} />
      <WebhookLogs sourceId={source.id} logs={logs} outcome={logFilter.outcome} paged={logFilter.paged} outcomes={outcomes} errors={logFilter.errors} timeZone={timeZone} />
      {source.status !== 'disconnected' && (
        <section aria-labelledby="disconnect">
          <h2 id="disconnect">Disconnect</h2>
          <p class="small muted">Stops counting this account's sales. Conversions recorded so far stay.</p>
          <a class="button secondary" href={`/app/sources/${source.id}/disconnect`}>Disconnect this source</a>
        </section>
      )}
    </Layout>
  );
}

/** How the source is doing, in facts and in what the merchant should do next. */
function Status({ source, providerName, reconnect, page, timeZone }: SourcePageProps) {
  const { health } = source;
  const when = (iso: string | null) => formatDateTime(iso, timeZone);
  return (
    <section class="card" aria-labelledby="status">
      <h2 id="status">Status</h2>
      <NextStep source={source} providerName={providerName} timeZone={timeZone} />
      {reconnect && source.status !== 'active' && <ConnectButton connectable={reconnect} csrf={page.signedIn.csrfToken} label={`Reconnect ${providerName}`} />}
      {!reconnect && source.mode === 'oauth' && source.status !== 'active' && (
        <p class="small">One-click {providerName} connections are off on this Synaptyx now: <a href={`/app/sources/new/${source.provider}`}>connect with an API key</a> instead.</p>
      )}
      <dl class="facts">
        <dt>Provider</dt>
        <dd>{providerName}</dd>
        <dt>Connection</dt>
        <dd>{connectionText(source)}</dd>
        {source.account_id && (
          <>
            <dt>Account</dt>
            <dd><code>{source.account_id}</code></dd>
          </>
        )}
        <dt>Last event</dt>
        <dd>{health.last_event_at ? when(health.last_event_at) : 'None yet'}</dd>
        <dt>Last reconciliation</dt>
        <dd>{health.last_synced_at ? when(health.last_synced_at) : 'Not yet'}</dd>
        {health.last_error && (
          <>
            <dt>Last error</dt>
            <dd>{health.last_error.message} ({when(health.last_error.at)})</dd>
          </>
        )}
        {health.token_expires_at && (
          <>
            <dt>Access expires</dt>
            <dd>{when(health.token_expires_at)} (renewed automatically)</dd>
          </>
        )}
        <dt>Connected</dt>
        <dd>{when(source.created_at)}</dd>
        <dt>Source id</dt>
        <dd><code>{source.id}</code></dd>
      </dl>
    </section>
  );
}

function NextStep({ source, providerName, timeZone }: { source: SourceView; providerName: string; timeZone: string }) {
  if (source.status === 'disconnected') {
    return (
      <p>
        Disconnected: Synaptyx refuses this source's webhooks and no longer serves its snippet; its conversions stay.{' '}
        {source.mode === 'api_key' && <a href="/app/sources#connect">Connect {providerName} again</a>}
      </p>
    );
  }
  if (source.status !== 'active') {
    return (
      <>
        <p><strong>{source.health.reason}</strong></p>
        {source.mode === 'api_key' && (
          <p class="small">
            Check the webhook endpoint in {providerName}: its URL must be exactly the one below, with the events below enabled, and its signing secret the one you
            saved. If the key or the secret changed, connect the account again as a new source, then disconnect this one.
          </p>
        )}
      </>
    );
  }
  if (!source.last_event_at) {
    return (
      <p>
        Waiting for the first event.{source.mode === 'api_key' ? ` Make sure the webhook endpoint below exists in ${providerName}, then install` : ' Install'} the
        snippet below and make a test purchase: the webhook log at the bottom shows what Synaptyx did with it.
      </p>
    );
  }
  return <p>Working: the last event arrived {formatDateTime(source.last_event_at, timeZone)}.</p>;
}

function Webhook({ source, providerName, events }: { source: SourceView; providerName: string; events: string[] }) {
  return (
    <section aria-labelledby="webhook">
      <h2 id="webhook">Webhook</h2>
      {source.mode === 'oauth' ? (
        <p>Synaptyx set up how {providerName} sends this account's events when you connected it: nothing to do.</p>
      ) : (
        <>
          <p>{providerName} sends each sale, refund and dispute to this endpoint. It must exist in {providerName} with the events below enabled.</p>
          <CopyField id="webhook-url" label="Webhook URL" value={source.webhook_url} />
          <details>
            <summary>Events to enable</summary>
            <ul class="event-list">
              {events.map((event) => (
                <li><code>{event}</code></li>
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  );
}

function Install({ step, id }: { step: InstallStep; id: string }) {
  return (
    <div class="install">
      <h4>{step.title}</h4>
      <p>{step.text}</p>
      {step.code && (
        <div class="code">
          <pre id={id}>{step.code}</pre>
          <button type="button" class="secondary small" data-copy={id} aria-label={`Copy the sample: ${step.title}`}>Copy</button>
        </div>
      )}
    </div>
  );
}

/** "Disconnect X?": what disconnecting does here and at the provider, and the button that does it. */
export function DisconnectPage({ page, source, providerName }: { page: PageContext; source: SourceView; providerName: string }) {
  const name = sourceName(source);
  return (
    <Layout page={page} title={`Disconnect ${name}?`}>
      <h1>Disconnect {name}?</h1>
      <ul>
        <li>Synaptyx refuses this source's webhooks from now on, and stops serving its snippet (browsers may keep a copy for up to a day).</li>
        <li>The conversions recorded so far stay in your reports.</li>
        <li>
          {source.mode === 'oauth'
            ? `Synaptyx also removes its access at ${providerName}, with any webhook endpoint it created there.`
            : `Nothing changes at ${providerName}: delete the webhook endpoint and the API key there if you no longer use them.`}
        </li>
      </ul>
      <form method="post" action={`/app/sources/${source.id}/disconnect`} class="inline">
        <Csrf token={page.signedIn.csrfToken} />
        <button type="submit" class="danger">Disconnect {name}</button>
        <a class="button secondary" href={`/app/sources/${source.id}`}>Cancel</a>
      </form>
    </Layout>
  );
}
