import type { Context } from 'koa';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Answers a page: a component rendered to a string (the renderer escapes every value). */
export function renderPage<P>(ctx: Context, page: VNode<P>, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `<!doctype html>${renderToString(page)}`;
}
