import type { FormErrors, PageContext } from '../page-context.js';
import type { ProviderGuide } from '../provider-guides.js';
import { Layout } from '../components/layout.js';
import { Csrf, CopyField, ErrorSummary, Field } from '../components/ui.js';

export interface SourceFormProps {
  page: PageContext;
  provider: string;
  providerName: string;
  /** The id the source will have: its webhook URL is shown, and pasted at the provider, before it is saved. */
  sourceId: string;
  webhookUrl: string;
  /** Every event type to enable on the endpoint. */
  events: string[];
  guide: ProviderGuide;
  /** The secret may be left empty: Synaptyx then makes the endpoint with the key. */
  secretOptional: boolean;
  /** What the last submit sent, apart from secrets: those are never put back into a page. */
  values?: { name?: string };
  errors?: FormErrors | null;
}

/** API-key mode: where to make the webhook endpoint (URL and events, before anything is saved), then the key and secret. */
export function SourceFormPage({ page, provider, providerName, sourceId, webhookUrl, events, guide, secretOptional, values, errors }: SourceFormProps) {
  const title = `Connect ${providerName} with an API key`;
  return (
    <Layout page={page} title={title}>
      <p class="small">
        <a href="/app/sources">Revenue sources</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      {errors?.fields.id && (
        <p>
          <a href={`/app/sources/new/${provider}`}>Start again with a new webhook URL</a>
        </p>
      )}
      <section class="card" aria-labelledby="endpoint-title">
        <h2 id="endpoint-title">1. Create the webhook endpoint in {providerName}</h2>
        <ol class="steps">
          {guide.endpointSteps.map((step) => (
            <li>{step}</li>
          ))}
        </ol>
        <CopyField id="webhook-url" label="Webhook URL" value={webhookUrl} />
        <h3 id="events-title">Events to enable</h3>
        <ul class="event-list" aria-labelledby="events-title">
          {events.map((event) => (
            <li>
              <code>{event}</code>
            </li>
          ))}
        </ul>
        {secretOptional && (
          <p class="small muted">Or skip this step: leave the signing secret empty below, and Synaptyx creates this endpoint in {providerName} with your key.</p>
        )}
      </section>
      <section class="card" aria-labelledby="save-title">
        <h2 id="save-title">2. Save the source</h2>
        <p class="small muted">Synaptyx stores the key and the secret encrypted and never shows them again.</p>
        <form method="post" action={`/app/sources/new/${provider}/${sourceId}`} class="stack">
          <Csrf token={page.signedIn.csrfToken} />
          <Field label="API key" name="api_key" type="password" autocomplete="off" required hint={guide.apiKeyHint} errors={errors} />
          <Field
            label="Webhook signing secret"
            name="webhook_secret"
            type="password"
            autocomplete="off"
            required={!secretOptional}
            hint={secretOptional ? `${guide.secretHint} Optional: leave it empty and Synaptyx creates the endpoint.` : guide.secretHint}
            errors={errors}
          />
          <Field label="Name" name="name" value={values?.name} hint={`Optional: what the dashboard calls this source, e.g. "${providerName} shop".`} errors={errors} />
          <div>
            <button type="submit">Save source</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
