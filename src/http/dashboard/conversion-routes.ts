import type Router from '@koa/router';
import { h } from 'preact';
import { Type } from '@sinclair/typebox';
import { renderPage } from '../../dashboard/render.js';
import { ConversionsPage, type ConversionFilterValues } from '../../dashboard/pages/conversions.js';
import type { FormErrors } from '../../dashboard/page-context.js';
import { ConversionFilters } from '../../conversions/schemas.js';
import type { ConversionFilter } from '../../conversions/conversions.js';
import { PROVIDER_NAMES } from '../../providers/provider.js';
import { getWorkspace } from '../../workspaces/workspaces.js';
import { validationFailed } from '../../errors.js';
import { addDays, startOfLocalDay } from '../../time.js';
import { checkInput, listQuery } from '../validation.js';
import type { DashboardDeps } from './deps.js';
import { pageOf } from './context.js';
import { signedIn } from './session.js';
import { formErrorsOf } from './forms.js';

/** The filter form: the API's own campaign and source rules, days instead of instants, and the API's cursor. */
const FilterQuery = Type.Object({
  campaign_id: ConversionFilters.campaign_id,
  source_id: ConversionFilters.source_id,
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  cursor: listQuery({}).properties.cursor,
});
const FILTERS = ['campaign_id', 'source_id', 'from', 'to'] as const;
const PAGE_SIZE = 50;

/** The filters as the list takes them: `from` the start of its day, `to` the start of the day after (so it is included). */
function listFilter(query: { campaign_id?: string; source_id?: string; from?: string; to?: string; cursor?: string }, timeZone: string): ConversionFilter {
  if (query.from && query.to && query.to < query.from) throw validationFailed('The range ends before it starts.', [{ in: 'query', pointer: '/to', message: 'must be on or after the From day' }]);
  return {
    limit: PAGE_SIZE,
    cursor: query.cursor,
    campaign_id: query.campaign_id,
    source_id: query.source_id,
    from: query.from ? startOfLocalDay(query.from, timeZone).toISOString() : undefined,
    to: query.to ? startOfLocalDay(addDays(query.to, 1), timeZone).toISOString() : undefined,
  };
}

/** `/app/conversions`: the workspace's conversions, filtered by campaign, source and days, a page at a time. */
export function conversionPages(router: Router, deps: DashboardDeps): void {
  router.get('/conversions', async (ctx) => {
    const { workspaceId } = signedIn(ctx);
    const given = Object.fromEntries([...FILTERS, 'cursor'].filter((name) => typeof ctx.query[name] === 'string' && ctx.query[name] !== '').map((name) => [name, ctx.query[name] as string]));
    const [workspace, campaigns, sources] = await Promise.all([
      getWorkspace(workspaceId),
      deps.campaigns.list(workspaceId, { limit: 200, include_archived: true }),
      deps.sources.list(workspaceId, { limit: 200 }),
    ]);
    let query: Record<string, string | undefined> = {};
    let errors: FormErrors | null = null;
    let filter: ConversionFilter;
    try {
      query = checkInput(FilterQuery, given, 'query');
      filter = listFilter(query, workspace.timezone);
    } catch (error) {
      errors = formErrorsOf(error);
      if (!errors) throw error;
      filter = { limit: PAGE_SIZE };
    }
    const list = await deps.conversions.list(workspaceId, filter);
    const linkSlugs = await deps.links.slugsOf(workspaceId, list.data.flatMap((conversion) => (conversion.link_id ? [conversion.link_id] : [])));

    const filters: ConversionFilterValues = { campaign_id: given.campaign_id ?? '', source_id: given.source_id ?? '', from: given.from ?? '', to: given.to ?? '' };
    const kept = Object.fromEntries(FILTERS.filter((name) => !errors && query[name]).map((name) => [name, query[name]!]));
    const pageHref = (cursor?: string) => {
      const search = new URLSearchParams({ ...kept, ...(cursor ? { cursor } : {}) }).toString();
      return search ? `/app/conversions?${search}` : '/app/conversions';
    };
    renderPage(ctx, h(ConversionsPage, {
      page: pageOf(ctx),
      conversions: list.data,
      filters,
      errors,
      campaigns: campaigns.data.map((campaign) => ({ id: campaign.id, name: campaign.name, archived: campaign.archived_at !== null })),
      sources: sources.data.map((source) => ({ id: source.id, name: source.name ?? `${PROVIDER_NAMES[source.provider]} ${source.account_id ?? source.id}` })),
      linkSlugs,
      timezone: workspace.timezone,
      nextPage: list.next_cursor ? pageHref(list.next_cursor) : null,
      firstPage: filter.cursor ? pageHref() : null,
    }), errors ? 400 : 200);
  });
}
