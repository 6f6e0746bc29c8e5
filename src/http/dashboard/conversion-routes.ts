import type Router from '@koa/router';
import type { DashboardDeps } from './deps.js';

export function conversionPages(_router: Router, _deps: DashboardDeps): void {}
