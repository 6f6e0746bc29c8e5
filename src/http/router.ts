import Router from '@koa/router';

/**
 * Every router of the service: paths match case-sensitively, so a middleware mounted with `router.use()` (the API
 * key check) guards exactly the paths its routes answer. @koa/router matches routes without regard to case by
 * default while `use()` prefixes are compared as written: `/API/links` used to reach a handler unauthenticated.
 */
export function newRouter(prefix?: string): Router {
  return new Router({ sensitive: true, ...(prefix ? { prefix } : {}) });
}
