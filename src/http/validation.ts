import type { Middleware, ParameterizedContext } from 'koa';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { validationFailed, type ErrorDetail } from '../errors.js';
import { addSchemaFormats, FORMAT_MESSAGES } from '../schema-formats.js';
import type { ResponseSpec } from './responses.js';

/** What /openapi.json says of a route besides its request schemas: its answers. */
export interface ResponseSchemas {
  /** Each answer that is not an error (and any error whose body is not the error shape), by status. */
  responses?: Record<number, ResponseSpec>;
  /**
   * Error statuses this route answers beyond those openapi.ts derives from the rest (400 for validated input,
   * 401 and 503 for a keyed route, 404 for an `:id`, 408/413/415 for a JSON body), each saying when.
   */
  errors?: Record<number, string>;
  /** For a route that reads its body as bytes, not JSON (webhooks): what the body is. */
  rawBody?: { mediaType: string; description: string };
}

export interface RequestSchemas extends ResponseSchemas {
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
}

/** A middleware that validates a request, carrying its schemas so /openapi.json can describe the route. */
export type ValidatingMiddleware = Middleware & { schemas: RequestSchemas };

// Bodies are JSON and checked strictly; paths and query strings are text, so numbers are coerced.
const bodyAjv = addSchemaFormats(new Ajv({ allErrors: true, useDefaults: true }));
const textAjv = addSchemaFormats(new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true }));

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

/**
 * Declares what a route that takes no JSON input answers (`documented({ responses: { 200: Health } })`): it checks
 * nothing and only carries the declaration to /openapi.json.
 */
export function documented(schemas: ResponseSchemas): ValidatingMiddleware {
  const middleware = ((_ctx, next) => next()) as ValidatingMiddleware;
  middleware.schemas = schemas;
  return middleware;
}

/** At most this many problems are listed: enough to fix a request, never a megabyte of them. */
const MAX_DETAILS = 20;

function check(validator: ValidateFunction, value: unknown, where: 'path' | 'query' | 'body'): ErrorDetail[] {
  const valid = validator(value);
  // ajv takes Infinity (`1e309` in JSON, or coerced from a query string) for an integer within any bounds.
  const infinite = nonFinite(value);
  if (infinite !== null) return [{ in: where, pointer: infinite, message: 'must be a finite number' }];
  if (valid) return [];
  // A union (`url or null`) fails once per branch and once as a whole: one problem per field is what a person needs.
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const error of validator.errors ?? []) {
    if (error.keyword === 'anyOf' || (error.keyword === 'type' && error.params.type === 'null')) continue;
    const detail = describe(error, where);
    if (seen.has(detail.pointer)) continue;
    seen.add(detail.pointer);
    details.push(detail);
    if (details.length === MAX_DETAILS) break;
  }
  return details;
}

/** The JSON pointer of the first number that is not finite, or null. */
function nonFinite(value: unknown, pointer = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : pointer;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFinite(item, `${pointer}/${key}`);
    if (found !== null) return found;
  }
  return null;
}

function describe(error: ErrorObject, where: string): ErrorDetail {
  let pointer = error.instancePath;
  if (error.keyword === 'required') pointer += `/${error.params.missingProperty}`;
  if (error.keyword === 'additionalProperties') {
    return { in: where, pointer: `${pointer}/${error.params.additionalProperty}`, message: 'is not a known field' };
  }
  const formatMessage = error.keyword === 'format' ? FORMAT_MESSAGES[error.params.format as string] : undefined;
  const message = error.keyword === 'required' ? 'is required' : (formatMessage ?? error.message ?? 'is invalid');
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

const compiled = new WeakMap<TSchema, ValidateFunction>();

/**
 * Checks a value the dashboard built from a query string or a form against the API's own schema (text, so numbers
 * are coerced), throwing the same validation_failed error the API answers: one rule, whichever door it came in by.
 */
export function checkInput<T extends TSchema>(schema: T, value: Record<string, unknown>, where: 'query' | 'body'): Static<T> {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = textAjv.compile(schema);
    compiled.set(schema, validator);
  }
  const copy = { ...value };
  const details = check(validator, copy, where);
  if (details.length > 0) throw validationFailed(summary(details), details);
  return copy as Static<T>;
}
