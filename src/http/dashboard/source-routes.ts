import type Router from '@koa/router';
import type { DashboardDeps } from './deps.js';

export function sourcePages(_router: Router, _deps: DashboardDeps): void {}
