import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { validate, validQuery } from '../validation.js';
import { Type } from '@sinclair/typebox';
import type { Reports } from '../../reports/reports.js';
import { reportCsv, reportFilename } from '../../reports/csv.js';
import { ReportQuery, ReportView } from '../../reports/schemas.js';

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
