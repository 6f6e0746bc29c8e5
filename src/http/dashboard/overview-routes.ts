import type Router from '@koa/router';
import { h } from 'preact';
import { Type } from '@sinclair/typebox';
import { renderPage } from '../../dashboard/render.js';
import { OverviewPage, type OverviewQuery } from '../../dashboard/pages/overview.js';
import { reportCsv, reportFilename } from '../../reports/csv.js';
import { INTERVALS } from '../../reports/range.js';
import { MODELS, type GroupBy, type Report } from '../../reports/reports.js';
import { ReportQuery } from '../../reports/schemas.js';
import { checkInput } from '../validation.js';
import { validationFailed } from '../../errors.js';
import { formErrorsOf } from './forms.js';
import type { DashboardDeps } from './deps.js';
import { pageOf } from './context.js';
import { signedIn } from './session.js';
import type { FormErrors } from '../../dashboard/page-context.js';

/** What the Overview's controls send: a preset interval or custom days, and the model. */
const OverviewParams = Type.Pick(ReportQuery, ['interval', 'from', 'to', 'model']);
const DAY_MS = 86_400_000;

/** The chart's bucket: days, or weeks and months when days would make a chart of hundreds of points. */
function seriesGroup(report: Report): GroupBy {
  const days = (new Date(report.to).getTime() - new Date(report.from).getTime()) / DAY_MS;
  if (days <= 120) return 'day';
  return days <= 730 ? 'week' : 'month';
}

/** Day buckets for every preset but a year to date or all time, whose length depends on the date or the data. */
function presetGroup(query: OverviewQuery): GroupBy | null {
  if (query.from || query.to) return null;
  return ['ytd', 'all'].includes(query.interval ?? '30d') ? null : 'day';
}

/** `/app`: the workspace's ROI for a range (presets or custom days) under either model, and its CSV. */
export function overviewRoutes(router: Router, deps: DashboardDeps): void {
  const { reports } = deps;

  /** The Overview's query from the address bar; one the report refuses is shown with its problem and the default range. */
  const queryOf = (raw: Record<string, unknown>): { query: OverviewQuery; errors: FormErrors | null } => {
    const given = Object.fromEntries(['interval', 'from', 'to', 'model'].filter((name) => typeof raw[name] === 'string' && raw[name] !== '').map((name) => [name, raw[name]]));
    if (given.from || given.to) delete given.interval;
    try {
      return { query: checkInput(OverviewParams, given, 'query'), errors: null };
    } catch (error) {
      const errors = formErrorsOf(error);
      if (!errors) throw error;
      return { query: {}, errors };
    }
  };

  router.get('/', async (ctx) => {
    const session = signedIn(ctx);
    let { query, errors } = queryOf(ctx.query);
    // The chart's buckets follow the range's length; for the presets it is known before the report resolves it.
    const known = presetGroup(query);
    const report = (group: GroupBy, range: OverviewQuery) => reports.report(session.workspaceId, { ...range, group_by: group });
    let campaigns: Report;
    let series: Report | null;
    try {
      [campaigns, series] = await Promise.all([report('campaign', query), known ? report(known, query) : null]);
    } catch (error) {
      errors = formErrorsOf(error);
      if (!errors) throw error;
      query = {};
      [campaigns, series] = await Promise.all([report('campaign', query), report('day', query)]);
    }
    // A workspace with attributed sales has done its first steps; only one without is asked what it has done so far.
    const started = campaigns.rows.some((row) => row.conversions > 0 && (row.clicks ?? 0) > 0);
    const [chart, setup] = await Promise.all([
      series ?? report(seriesGroup(campaigns), { from: campaigns.from, to: campaigns.to, model: campaigns.model }),
      started ? null : firstSteps(deps, session.workspaceId),
    ]);
    renderPage(ctx, h(OverviewPage, { page: pageOf(ctx), query, campaigns, series: chart, setup, errors, intervals: INTERVALS, models: MODELS }), errors ? 400 : 200);
  });

  router.get('/reports.csv', async (ctx) => {
    const session = signedIn(ctx);
    const { query, errors } = queryOf(ctx.query);
    if (errors) throw validationFailed(errors.message);
    const report = await reports.report(session.workspaceId, { ...query, group_by: 'campaign' });
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${reportFilename(report)}"`);
    ctx.body = reportCsv(report);
  });
}

/** What a new workspace has done of its first steps, for the Overview's empty state. */
async function firstSteps(deps: DashboardDeps, workspaceId: string) {
  const [campaigns, links, sources] = await Promise.all([
    deps.campaigns.list(workspaceId, { limit: 1 }),
    deps.links.list(workspaceId, { limit: 1 }),
    deps.sources.list(workspaceId, { limit: 1 }),
  ]);
  return { campaign: campaigns.data.length > 0, link: links.data.length > 0, source: sources.data[0]?.id ?? null };
}
