import type { Middleware, ParameterizedContext } from 'koa';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { validationFailed, type ErrorDetail } from '../errors.js';

export interface RequestSchemas {
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
}

/** A middleware that validates a request, carrying its schemas so /openapi.json can describe the route. */
export type ValidatingMiddleware = Middleware & { schemas: RequestSchemas };

// Bodies are JSON and checked strictly; paths and query strings are text, so numbers are coerced.
const bodyAjv = addFormats.default(new Ajv({ allErrors: true, useDefaults: true }));
const textAjv = addFormats.default(new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true }));

export function validate(schemas: RequestSchemas): ValidatingMiddleware {
  const checks = {
    params: schemas.params && textAjv.compile(schemas.params),
    query: schemas.query && textAjv.compile(schemas.query),
    body: schemas.body && bodyAjv.compile(schemas.body),
  };
  const middleware = (async (ctx, next) => {
    const details: ErrorDetail[] = [];
    if (checks.params) details.push(...check(checks.params, ctx.params, 'path'));
    if (checks.query) {
      const query = { ...ctx.query };
      details.push(...check(checks.query, query, 'query'));
      ctx.state.query = query;
    }
    if (checks.body) {
      if (ctx.request.body === undefined) {
        details.push({ pointer: '', message: 'a JSON body is required' });
      } else {
        details.push(...check(checks.body, ctx.request.body, 'body'));
      }
    }
    if (details.length > 0) throw validationFailed(summary(details), details);
    return next();
  }) as ValidatingMiddleware;
  middleware.schemas = schemas;
  return middleware;
}

function check(validator: ValidateFunction, value: unknown, where: 'path' | 'query' | 'body'): ErrorDetail[] {
  if (validator(value)) return [];
  return (validator.errors ?? []).map((error) => describe(error, where));
}

function describe(error: ErrorObject, where: string): ErrorDetail {
  let pointer = error.instancePath;
  if (error.keyword === 'required') pointer += `/${error.params.missingProperty}`;
  if (error.keyword === 'additionalProperties') {
    return { in: where, pointer: `${pointer}/${error.params.additionalProperty}`, message: 'is not a known field' };
  }
  const message = error.keyword === 'required' ? 'is required' : (error.message ?? 'is invalid');
  return { in: where, pointer, message };
}

function summary(details: ErrorDetail[]): string {
  const first = details[0];
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
  return `${first.pointer ? `${first.pointer.slice(1).replace(/\//g, '.')} ` : 'The request '}${first.message}${more}.`;
}

/** The validated query of a route (coerced and with defaults applied). */
export function validQuery<T extends TSchema>(ctx: ParameterizedContext, _schema: T): Static<T> {
  return ctx.state.query as Static<T>;
}

const pageProperties = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ pattern: '^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$', description: 'next_cursor of the previous page' })),
};

/** A list endpoint's query: `limit` (1..200, default 50), `cursor`, and the route's own filters; nothing else. */
export function listQuery<P extends Record<string, TSchema>>(filters: P) {
  return Type.Object({ ...pageProperties, ...filters }, { additionalProperties: false });
}
