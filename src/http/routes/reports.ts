import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { validate, validQuery } from '../validation.js';
import { Type } from '@sinclair/typebox';
import { GROUPS, MODELS, type Reports } from '../../reports/reports.js';
import { reportCsv, reportFilename } from '../../reports/csv.js';
import { ReportQuery } from '../../reports/schemas.js';

// The report's response schema; it belongs beside ReportQuery in src/reports/schemas.ts once that file takes it.
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Money = Type.Record(Currency, Type.Integer(), { additionalProperties: false, description: 'Per currency (never summed across them), integer minor units' });

export const ReportRowView = Type.Object(
  {
    key: Type.Union([Type.String(), Type.Null()], { description: 'The group: an id, a day, a country...; null for the total' }),
    label: Type.String(),
    clicks: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Human clicks by click time; null where clicks cannot be split (by source)' }),
    conversions: Type.Integer({ minimum: 0 }),
    revenue: Money,
    refunded: Money,
    disputed: Money,
    net: Money,
    spend: Type.Optional(Money),
    roi: Type.Optional(Type.Record(Currency, Type.Number(), { additionalProperties: false, description: '(net − spend) / spend, 4 decimals, where spend > 0' })),
    conversion_rate: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'conversions / clicks, 4 decimals; null without clicks' }),
    epc: Money,
    aov: Money,
  },
  { additionalProperties: false },
);

export const ReportView = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    timezone: Type.String(),
    model: literals(MODELS),
    group_by: literals(GROUPS),
    rows: Type.Array(ReportRowView),
    totals: ReportRowView,
  },
  { additionalProperties: false },
);

const REPORT = {
  description: 'The report: JSON, or with format=csv the same rows as text/csv (an attachment)',
  content: { 'application/json': ReportView, 'text/csv': Type.String() },
};

/** `GET /api/reports`: ROI by campaign, link, source, country, referrer or time, as JSON or CSV. */
export function reportRoutes(reports: Reports): Router {
  const router = newRouter('/api/reports');
  router.use(apiKeyAuth());
  router.get('/', validate({ query: ReportQuery, responses: { 200: REPORT } }), async (ctx) => {
    const { format, group_by: groupBy, ...query } = validQuery(ctx, ReportQuery);
    const report = await reports.report(ctx.state.workspaceId, { ...query, group_by: groupBy ?? 'total' });
    ctx.set('Cache-Control', 'no-store');
    if (format !== 'csv') {
      ctx.body = report;
      return;
    }
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${reportFilename(report)}"`);
    ctx.body = reportCsv(report);
  });
  return router;
}
