import type Router from '@koa/router';
import type { TSchema } from '@sinclair/typebox';
import type { ValidatingMiddleware } from './validation.js';

type Operation = Record<string, unknown>;

/** OpenAPI 3.1 built from the routes themselves and the very schemas that validate their requests. */
export function openApiDocument(routers: Router[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const router of routers) {
    for (const layer of router.stack) {
      const methods = layer.methods.filter((method) => method !== 'HEAD');
      if (methods.length === 0) continue;
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      const schemas = (layer.stack as Partial<ValidatingMiddleware>[]).find((m) => m.schemas)?.schemas ?? {};
      for (const method of methods) {
        (paths[path] ??= {})[method.toLowerCase()] = operation(path, schemas);
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Synaptyx', version: '1', description: 'Click-ID affiliate conversion tracking.' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

function operation(path: string, schemas: { params?: TSchema; query?: TSchema; body?: TSchema }): Operation {
  const parameters = [
    ...parametersOf(schemas.params, 'path'),
    ...parametersOf(schemas.query, 'query'),
  ];
  if (parameters.length === 0) {
    for (const [, name] of path.matchAll(/\{(\w+)\}/g)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return {
    ...(parameters.length ? { parameters } : {}),
    ...(schemas.body ? { requestBody: { required: true, content: { 'application/json': { schema: plain(schemas.body) } } } } : {}),
    responses: { default: { description: 'See the API reference; errors use {"error": {"code", "message", "details"}}.' } },
  };
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
