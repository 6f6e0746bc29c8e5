import type Router from '@koa/router';
import { newRouter } from '../router.js';
import type { DashboardAssets } from '../../dashboard/assets.js';

/** `/assets/<name>-<hash>.<ext>`: immutable, gzipped when the browser takes it. */
export function assetRoutes(assets: DashboardAssets): Router {
  return newRouter().get('/assets/:file', (ctx) => {
    const asset = assets.byPath.get(ctx.path);
    if (!asset) return; // 404
    const gzip = ctx.acceptsEncodings('gzip', 'identity') === 'gzip';
    ctx.set({ 'Cache-Control': 'public, max-age=31536000, immutable', Vary: 'Accept-Encoding', 'X-Content-Type-Options': 'nosniff' });
    ctx.type = asset.type;
    if (gzip) ctx.set('Content-Encoding', 'gzip');
    ctx.body = gzip ? asset.gzipped : asset.body;
  });
}
