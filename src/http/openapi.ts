import { STATUS_CODES } from 'node:http';
import type Router from '@koa/router';
import type { TSchema } from '@sinclair/typebox';
import { ErrorBody, isSchema, type ResponseSpec } from './responses.js';
import type { RequestSchemas, ValidatingMiddleware } from './validation.js';

type Operation = Record<string, unknown>;

const ERROR = { $ref: '#/components/schemas/Error' };

/** What an error status means wherever the service answers it; a route's own `errors` say when it does there. */
const ERROR_MEANINGS: Record<number, string> = {
  400: 'validation_failed (details name each bad field by JSON pointer) or invalid_json',
  401: 'unauthorized: no valid key in "Authorization: Bearer <key>"',
  404: 'not_found: no such resource, or another workspace\'s',
  408: 'request_timeout: the body did not arrive in time',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large: the body is over 1 MB',
  415: 'unsupported_media_type: the body is not application/json',
  422: 'unprocessable',
  429: 'rate_limited, with Retry-After',
  502: 'provider_unavailable: the payment provider did not answer',
  503: 'unavailable, with Retry-After: the database is away or too slow',
};

interface Route {
  path: string;
  method: string;
  schemas: RequestSchemas;
  /** Behind an API key (or the admin token), whose check reads the database. */
  keyed: boolean;
}

/**
 * OpenAPI 3.1 built from the routes themselves: the very schemas that validate their requests, and the response
 * schemas each route declares (`validate({ ..., responses })` or `documented({ responses })`). The click path
 * `GET /c/:slug` (a 302 for browsers, mounted outside these routers) is left out; the snippet script and the OAuth
 * callback pages are described with their own media types.
 */
export function openApiDocument(apiRoutes: Router[], serverUrl: string, publicRoutes: Router[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of [...routesOf(publicRoutes, false), ...routesOf(apiRoutes, true)]) {
    (paths[route.path] ??= {})[route.method] = operation(route);
  }
  paths['/openapi.json'] = {
    get: { security: [], responses: { 200: { description: 'This document', content: { 'application/json': { schema: { type: 'object' } } } } } },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Synaptyx', version: '1', description: 'Click-ID affiliate conversion tracking.' },
    servers: [{ url: serverUrl }],
    components: {
      schemas: { Error: plain(ErrorBody) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A workspace API key (POST /api/workspaces: the admin token)' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

function* routesOf(routers: Router[], keyed: boolean): Generator<Route> {
  for (const router of routers) {
    for (const layer of router.stack) {
      const methods = layer.methods.filter((method) => method !== 'HEAD');
      if (methods.length === 0) continue;
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      const schemas = (layer.stack as Partial<ValidatingMiddleware>[]).find((m) => m.schemas)?.schemas ?? {};
      for (const method of methods) yield { path, method: method.toLowerCase(), schemas, keyed };
    }
  }
}

function operation(route: Route): Operation {
  const { path, schemas } = route;
  const parameters = [...parametersOf(schemas.params, 'path'), ...parametersOf(schemas.query, 'query')];
  if (!schemas.params) {
    for (const [, name] of path.matchAll(/\{(\w+)\}/g)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return {
    ...(route.keyed ? {} : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...requestBodyOf(schemas),
    responses: responsesOf(route),
  };
}

function requestBodyOf(schemas: RequestSchemas) {
  if (schemas.body) return { requestBody: { required: true, content: { 'application/json': { schema: plain(schemas.body) } } } };
  if (schemas.rawBody) {
    const { mediaType, description } = schemas.rawBody;
    return { requestBody: { required: true, description, content: { [mediaType]: { schema: {} } } } };
  }
  return {};
}

/** The route's declared answers, then every error it can give, each with the one error shape; ordered by status. */
function responsesOf(route: Route): Record<string, unknown> {
  const responses = new Map<number, unknown>();
  for (const [status, spec] of Object.entries(route.schemas.responses ?? {})) responses.set(Number(status), response(Number(status), spec));
  for (const [status, when] of errorsOf(route)) {
    if (!responses.has(status)) responses.set(status, { description: when, content: { 'application/json': { schema: ERROR } } });
  }
  return Object.fromEntries([...responses].sort(([a], [b]) => a - b).map(([status, answer]) => [String(status), answer]));
}

function response(status: number, spec: ResponseSpec) {
  if (isSchema(spec)) {
    return { description: spec.description ?? STATUS_CODES[status] ?? String(status), content: { 'application/json': { schema: plain(spec) } } };
  }
  const content = spec.content && Object.fromEntries(Object.entries(spec.content).map(([type, schema]) => [type, { schema: plain(schema) }]));
  return { description: spec.description, ...(content ? { content } : {}) };
}

/**
 * The error statuses a route can answer: those it declares, and those that follow from how it is built. Statuses
 * every request may get from Node's HTTP parser before any route runs (431, a malformed request's 400) are not
 * an operation's.
 */
function errorsOf({ path, schemas, keyed }: Route): Map<number, string> {
  const errors = new Map<number, string>(Object.entries(schemas.errors ?? {}).map(([status, when]) => [Number(status), when]));
  const add = (status: number, when = ERROR_MEANINGS[status]) => {
    if (!errors.has(status)) errors.set(status, when);
  };
  if (schemas.params || schemas.query || schemas.body) add(400);
  if (schemas.body) [408, 413, 415].forEach((status) => add(status));
  if (schemas.rawBody) {
    add(400, 'invalid_body: the body could not be read');
    [408, 413].forEach((status) => add(status));
  }
  if (keyed) [401, 503].forEach((status) => add(status));
  if (/\{(id|\w+_id)\}/.test(path)) add(404);
  return errors;
}

function parametersOf(schema: TSchema | undefined, where: 'path' | 'query') {
  if (!schema?.properties) return [];
  const required = new Set<string>(schema.required ?? []);
  return Object.entries(schema.properties as Record<string, TSchema>).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: plain(property),
  }));
}

/** TypeBox marks schemas with symbols; JSON.stringify drops them, which is all a plain copy needs. */
function plain(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema));
}
