import type Router from '@koa/router';
import type { Context } from 'koa';
import { h } from 'preact';
import { Type, type Static } from '@sinclair/typebox';
import { renderPage } from '../../dashboard/render.js';
import { SourcesPage, type Connectable } from '../../dashboard/pages/sources.js';
import { sourceName } from '../../sources/sources.js';
import { DisconnectPage, SourcePage } from '../../dashboard/pages/source.js';
import { SourceFormPage, type SourceFormProps } from '../../dashboard/pages/source-form.js';
import type { MappingErrors, MappingRow } from '../../dashboard/pages/source-sections.js';
import { guideFor } from '../../dashboard/provider-guides.js';
import type { FormErrors } from '../../dashboard/page-context.js';
import { isProviderName, PROVIDER_NAMES, PROVIDERS, type EventMapping, type ProviderName } from '../../providers/provider.js';
import { CreateSourceBody, EventMappingsBody } from '../../sources/schemas.js';
import { webhookUrl } from '../../sources/sources.js';
import { listLogs, OUTCOMES } from '../../webhooks/logs.js';
import { Outcome } from '../../webhooks/schemas.js';
import { getWorkspace } from '../../workspaces/workspaces.js';
import { DomainError, notFound } from '../../errors.js';
import { idPattern, newId } from '../../ids.js';
import { checkInput, listQuery } from '../validation.js';
import { snippetTag } from '../routes/snippet.js';
import type { DashboardDeps } from './deps.js';
import { pageOf } from './context.js';
import { signedIn } from './session.js';
import { setFlash } from './cookies.js';
import { field, type FormFields } from './form-body.js';
import { formErrorsOf, submit } from './forms.js';
import { allowFormRedirectsTo } from './page-headers.js';

const SOURCE_ID = new RegExp(idPattern('src'));
/** The webhook log's filter: the API's own query schema for the same list. */
const LogFilter = listQuery({ outcome: Type.Optional(Outcome) });
/** The mappings form, checked by the API's schema of the same list. */
const MappingsForm = Type.Object({ mappings: EventMappingsBody });

/** An address naming no provider or no source id has nothing behind it. */
function providerOf(value: string): ProviderName {
  if (!isProviderName(value)) throw notFound('provider');
  return value;
}

function sourceIdOf(value: unknown): string {
  if (typeof value !== 'string' || !SOURCE_ID.test(value)) throw notFound('source');
  return value;
}

/** Every value of a repeated field, in order, trimmed. */
function values(form: FormFields | undefined, name: string): string[] {
  const value = form?.[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => item.trim());
}

function redirect(ctx: Context, to: string): void {
  ctx.status = 303;
  ctx.redirect(to);
}

/** `/app/sources`: sources and their health, one-click or API-key connections, a source's page, mappings, logs, disconnect. */
export function sourcePages(router: Router, deps: DashboardDeps): void {
  const { sources, connections } = deps;
  const connectables: Connectable[] = PROVIDERS.map((provider) => ({ provider, name: PROVIDER_NAMES[provider], oneClick: Boolean(deps.oauthApps[provider]) }));
  // Chrome checks form-action against every redirect a Connect form's answer leads to: the providers' consent pages,
  // then the callback on the public URL (another origin than the page's when the dashboard is opened by another name).
  const consentOrigins = PROVIDERS.flatMap((provider) => {
    const app = deps.oauthApps[provider];
    return app ? [new URL(app.authorizeUrl({ state: 'state', redirectUri: `${deps.publicUrl}/` })).origin] : [];
  });
  if (consentOrigins.length > 0) consentOrigins.push(new URL(deps.publicUrl).origin);
  // Where the API lets a provider go without a webhook secret (Synaptyx makes the endpoint), the form does too.
  const secretRequired = (CreateSourceBody.required as string[] | undefined)?.includes('webhook_secret') ?? true;
  const flash = (ctx: Context, message: string) => setFlash(ctx, message, deps.secureCookies);

  const showForm = (ctx: Context, provider: ProviderName, id: string, extra: Pick<SourceFormProps, 'values' | 'errors'> = {}, status = 200) => {
    const providerName = PROVIDER_NAMES[provider];
    const guide = guideFor(provider, providerName);
    renderPage(ctx, h(SourceFormPage, {
      page: pageOf(ctx),
      provider,
      providerName,
      sourceId: id,
      webhookUrl: webhookUrl(deps.publicUrl, { id, provider, mode: 'api_key' }),
      events: sources.providerEvents(provider).toEnable,
      guide,
      secretOptional: guide.createsEndpoint && !secretRequired,
      ...extra,
    }), status);
  };

  const showSource = async (ctx: Context, id: string, submitted: { rows: MappingRow[]; errors: MappingErrors } | null = null, status = 200) => {
    const { workspaceId } = signedIn(ctx);
    const source = await sources.get(workspaceId, id);
    const filter = logFilterOf(ctx.query);
    const [saved, logs, workspace] = await Promise.all([sources.eventMappings(workspaceId, id), listLogs(deps.db, id, filter.query), getWorkspace(workspaceId)]);
    const events = sources.providerEvents(source.provider);
    const reconnect = source.mode === 'oauth' ? (connectables.find((item) => item.provider === source.provider && item.oneClick) ?? null) : null;
    if (reconnect) allowFormRedirectsTo(ctx, consentOrigins);
    renderPage(ctx, h(SourcePage, {
      page: pageOf(ctx),
      source,
      providerName: PROVIDER_NAMES[source.provider],
      snippetTag: source.status === 'disconnected' ? null : snippetTag(source),
      guide: guideFor(source.provider, PROVIDER_NAMES[source.provider]),
      events: events.toEnable,
      reconnect,
      mappings: submitted?.rows ?? mappingRows(events.defaults, saved),
      mappingErrors: submitted?.errors ?? null,
      logs,
      logFilter: { outcome: filter.query.outcome ?? null, paged: Boolean(filter.query.cursor), errors: filter.errors },
      outcomes: OUTCOMES,
      timeZone: workspace.timezone,
    }), status);
  };

  router.get('/sources', async (ctx) => {
    const { workspaceId } = signedIn(ctx);
    const [list, workspace] = await Promise.all([sources.list(workspaceId, { limit: 200 }), getWorkspace(workspaceId)]);
    allowFormRedirectsTo(ctx, consentOrigins);
    renderPage(ctx, h(SourcesPage, { page: pageOf(ctx), sources: list.data, connectables, timeZone: workspace.timezone }));
  });

  // One click: the state is bound to this session, so the provider's answer connects only in this browser.
  router.post('/sources/connect/:provider', async (ctx) => {
    const session = signedIn(ctx);
    const provider = providerOf(ctx.params.provider);
    const { authorize_url } = await connections.start(session.workspaceId, provider, { return_url: `${deps.publicUrl}/app/sources/connected` }, session.sessionId);
    redirect(ctx, authorize_url);
  });

  // Where the OAuth callback sends the browser back, with ?source_id=&status=.
  router.get('/sources/connected', async (ctx) => {
    const source = await sources.get(signedIn(ctx).workspaceId, sourceIdOf(ctx.query.source_id));
    flash(ctx, `${ctx.query.status === 'reconnected' ? 'Reconnected' : 'Connected'} ${sourceName(source)}. Next: install the snippet below.`);
    redirect(ctx, `/app/sources/${source.id}`);
  });

  // The API-key form lives at an address holding the new source's id, so its webhook URL survives a reload.
  router.get('/sources/new/:provider', (ctx) => {
    redirect(ctx, `/app/sources/new/${providerOf(ctx.params.provider)}/${newId('src')}`);
  });

  router.get('/sources/new/:provider/:id', async (ctx) => {
    const provider = providerOf(ctx.params.provider);
    const id = sourceIdOf(ctx.params.id);
    // Saved already (the form sent, then Back): its page, not a form that can only answer "taken".
    if (await savedIn(sources, signedIn(ctx).workspaceId, id)) return redirect(ctx, `/app/sources/${id}`);
    showForm(ctx, provider, id);
  });

  router.post('/sources/new/:provider/:id', async (ctx) => {
    const { workspaceId } = signedIn(ctx);
    const provider = providerOf(ctx.params.provider);
    const id = sourceIdOf(ctx.params.id);
    const form = ctx.request.form;
    const name = field(form, 'name');
    const given = { provider, mode: 'api_key', api_key: field(form, 'api_key'), webhook_secret: field(form, 'webhook_secret'), name };
    // An empty field is one not given: the schema then says which are required.
    const body = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== ''));
    await submit(
      ctx,
      async () => {
        const source = await sources.create(workspaceId, checkInput(CreateSourceBody, body, 'body'), { id });
        flash(ctx, `Connected ${sourceName(source)}. Next: install the snippet below.`);
        redirect(ctx, `/app/sources/${source.id}`);
      },
      // The key and the secret are not put back into the page: the merchant pastes them again.
      (errors, status) => showForm(ctx, provider, id, { values: { name }, errors }, status),
    );
  });

  router.get('/sources/:id', (ctx) => showSource(ctx, sourceIdOf(ctx.params.id)));

  router.post('/sources/:id/event-mappings', async (ctx) => {
    const { workspaceId } = signedIn(ctx);
    const id = sourceIdOf(ctx.params.id);
    const form = ctx.request.form;
    const actions = values(form, 'action');
    const goals = values(form, 'goal');
    const rows: MappingRow[] = values(form, 'event_type').map((event_type, index) => ({ event_type, action: actions[index] ?? '', goal: goals[index] ?? '' }));
    const mappings = rows.map((row) => ({ event_type: row.event_type, action: row.action, ...(row.goal ? { goal: row.goal } : {}) }));
    try {
      await sources.replaceEventMappings(workspaceId, id, checkInput(MappingsForm, { mappings }, 'body').mappings);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return showSource(ctx, id, { rows, errors: mappingErrorsOf(error) }, 400);
    }
    flash(ctx, 'Event mappings saved.');
    redirect(ctx, `/app/sources/${id}#event-mappings`);
  });

  router.get('/sources/:id/disconnect', async (ctx) => {
    const source = await sources.get(signedIn(ctx).workspaceId, sourceIdOf(ctx.params.id));
    if (source.status === 'disconnected') {
      flash(ctx, `${sourceName(source)} is already disconnected.`);
      return redirect(ctx, `/app/sources/${source.id}`);
    }
    renderPage(ctx, h(DisconnectPage, { page: pageOf(ctx), source, providerName: PROVIDER_NAMES[source.provider] }));
  });

  router.post('/sources/:id/disconnect', async (ctx) => {
    const disconnected = await connections.disconnect(signedIn(ctx).workspaceId, sourceIdOf(ctx.params.id));
    const atProvider = disconnected.provider_disconnect;
    const providerName = PROVIDER_NAMES[disconnected.provider];
    flash(ctx, `Disconnected ${sourceName(disconnected)}. ${atProvider.status === 'done' ? `Synaptyx's access at ${providerName} is removed.` : atProvider.message}`);
    redirect(ctx, `/app/sources/${disconnected.id}`);
  });
}

/** Whether the workspace has a source with this id (another workspace's is none of this one's business). */
async function savedIn(sources: DashboardDeps['sources'], workspaceId: string, id: string): Promise<boolean> {
  try {
    await sources.get(workspaceId, id);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return false;
    throw error;
  }
}

/** The webhook log's outcome and page from the address bar; one the API would refuse is said, and the newest are shown. */
function logFilterOf(raw: Record<string, unknown>): { query: Static<typeof LogFilter>; errors: FormErrors | null } {
  const given = Object.fromEntries(['outcome', 'cursor'].filter((name) => typeof raw[name] === 'string' && raw[name] !== '').map((name) => [name, raw[name]]));
  try {
    return { query: checkInput(LogFilter, given, 'query'), errors: null };
  } catch (error) {
    const errors = formErrorsOf(error);
    if (!errors) throw error;
    return { query: checkInput(LogFilter, {}, 'query'), errors };
  }
}

/** The form's rows: the provider's sales events first (each as saved, else ignored), then any other saved one. */
function mappingRows(defaults: EventMapping[], saved: EventMapping[]): MappingRow[] {
  const types = [...new Set([...defaults.map((mapping) => mapping.event_type), ...saved.map((mapping) => mapping.event_type)])];
  return types.map((type) => {
    const mapping = saved.find((item) => item.event_type === type);
    return { event_type: type, action: mapping?.action ?? 'ignore', goal: mapping?.goal ?? '' };
  });
}

/** Each refused row's problem by its index (`/mappings/2/goal` from the schema, `/2/event_type` from the domain). */
function mappingErrorsOf(error: DomainError): MappingErrors {
  const rows: Record<number, string> = {};
  for (const detail of error.details) {
    const [first, second, third] = detail.pointer.split('/').slice(1);
    const [index, name] = first === 'mappings' ? [Number(second), third] : [Number(first), second];
    if (Number.isInteger(index) && rows[index] === undefined) rows[index] = `${(name ?? 'row').replace('_', ' ')} ${detail.message}.`;
  }
  return { message: Object.keys(rows).length > 0 ? 'Some event mappings cannot be used: see the rows marked below.' : error.message, rows };
}
