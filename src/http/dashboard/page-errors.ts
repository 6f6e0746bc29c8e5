import type { Middleware } from 'koa';
import { h } from 'preact';
import type { Logger } from '../../logger.js';
import type { DashboardAssets } from '../../dashboard/assets.js';
import { renderPage } from '../../dashboard/render.js';
import { ProblemPage } from '../../dashboard/pages/problem.js';
import { answerFor } from '../middleware/errors.js';

const TITLES: Record<number, string> = { 400: 'That did not work', 403: 'Not allowed', 404: 'Page not found', 405: 'Page not found', 408: 'Too slow', 413: 'Too large', 415: 'Not a form', 429: 'Too many attempts', 503: 'Try again shortly' };

/** Errors on dashboard routes answer a page, not JSON: the same status and message, and a way back. */
export function pageErrors(assets: DashboardAssets, logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && (ctx.body === undefined || ctx.body === null)) {
        renderPage(ctx, h(ProblemPage, { assets, title: TITLES[404], message: 'There is nothing at this address in your workspace.' }), 404);
      }
    } catch (thrown) {
      const answer = answerFor(thrown);
      if (answer.status >= 500 && answer.status !== 503) logger.error({ err: thrown, req_id: ctx.state.requestId, path: ctx.path }, 'page failed');
      const title = TITLES[answer.status] ?? 'Something went wrong';
      const message = answer.status === 404 ? 'There is nothing at this address in your workspace.' : answer.message;
      ctx.set(answer.headers ?? {});
      renderPage(ctx, h(ProblemPage, { assets, title, message }), answer.status);
    }
  };
}
