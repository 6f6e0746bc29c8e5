import { Ajv, type ValidateFunction } from 'ajv';
import { addSchemaFormats } from '../../src/schema-formats.js';
import { ADMIN_TOKEN } from './service.js';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  key?: string;
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON-encoding the body. */
  raw?: string | Buffer;
  redirect?: RequestRedirect;
}

/** A small HTTP client for one service: JSON in, JSON (or text) out, nothing hidden. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let payload: string | Buffer | undefined = options.raw;
    if (body !== undefined && payload === undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body: payload as BodyInit | undefined, redirect: options.redirect ?? 'manual' });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json');
    const reply = { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text };
    // Every JSON answer the suite sees is held to the service's own /openapi.json.
    if (isJson && text) {
      const contract = await contractOf(this.baseUrl);
      const violation = contract && contract.violation({ method, path, status: reply.status, body: reply.body });
      if (violation) throw new Error(violation);
    }
    return reply;
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body, options);
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body, options);
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }

  /** A workspace of its own for one test, and its API key. */
  async workspace(name = 'Test workspace'): Promise<{ id: string; key: string }> {
    const reply = await this.post('/api/workspaces', { name }, { key: ADMIN_TOKEN });
    if (reply.status !== 201) throw new Error(`creating a workspace failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return { id: reply.body.workspace.id, key: reply.body.api_key };
  }

  async campaign(key: string, fields: Record<string, unknown> = {}): Promise<any> {
    const reply = await this.post('/api/campaigns', { name: 'Spring launch', destination_url: 'https://shop.example.com/pricing', ...fields }, { key });
    if (reply.status !== 201) throw new Error(`creating a campaign failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async link(key: string, campaignId: string, fields: Record<string, unknown> = {}): Promise<any> {
    const reply = await this.post('/api/links', { campaign_id: campaignId, ...fields }, { key });
    if (reply.status !== 201) throw new Error(`creating a link failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}

export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

type OpenApiDocument = {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components?: { schemas?: Record<string, unknown> };
};

/** Statuses Node's HTTP parser answers before any route runs (headers over 16 kB): no operation's, but still errors. */
const BEFORE_ROUTING = new Set([431]);

/**
 * A service's /openapi.json, compiled: `violation()` says how an answer breaks it (an undocumented status, or a body
 * its schema refuses), or null. Paths the document does not describe (`/c/:slug`) are not checked, except that a
 * JSON error there must still have the error shape.
 */
export class Contract {
  private readonly ajv = addSchemaFormats(new Ajv({ allErrors: true }));
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; pattern: RegExp; params: number }[];

  constructor(readonly document: OpenApiDocument) {
    this.templates = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.split(/\{\w+\}/).map(escapeRegExp).join('[^/]+')}/?$`),
      params: template.split('{').length - 1,
    }));
  }

  violation(answer: { method: string; path: string; status: number; body: unknown }): string | null {
    const { method, status, body } = answer;
    const path = answer.path.split('?')[0];
    const operation = this.operationOf(method, path);
    const said = `${method} ${path} answered ${status}`;
    if (!operation || BEFORE_ROUTING.has(status)) {
      if (status < 400) return null;
      return this.check('#/components/schemas/Error', body, `${said}, an error without the error shape`);
    }
    const { template, responses } = operation;
    const where = `${method} ${template}`;
    const documented = responses[String(status)];
    if (!documented) {
      return `${said} ${JSON.stringify(body).slice(0, 300)}: a status /openapi.json does not document for ${where} (it documents ${Object.keys(responses).join(', ')})`;
    }
    if (!documented.content?.['application/json']) return `${said} with a JSON body; /openapi.json documents ${status} of ${where} without one`;
    const pointer = `#/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
    return this.check(pointer, body, `${said}, a body that /openapi.json refuses for ${where}`);
  }

  private operationOf(method: string, path: string) {
    const candidates = this.templates
      .filter(({ template, pattern }) => pattern.test(path) && this.document.paths[template][method.toLowerCase()])
      .sort((a, b) => a.params - b.params);
    if (candidates.length === 0) return null;
    const { template } = candidates[0];
    return { template, responses: this.document.paths[template][method.toLowerCase()].responses ?? {} };
  }

  private check(pointer: string, body: unknown, said: string): string | null {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile(resolved(this.document, at(this.document, pointer)) as object);
      this.validators.set(pointer, validate);
    }
    if (validate(body)) return null;
    const errors = (validate.errors ?? []).map((error) => `  ${error.instancePath || '(the body)'} ${error.message} ${JSON.stringify(error.params)}`);
    return `${said}:\n${errors.join('\n')}\nbody: ${JSON.stringify(body).slice(0, 2000)}`;
  }
}

const contracts = new Map<string, Promise<Contract | null>>();

/**
 * The contract of the service at `baseUrl`, read once. A server without /openapi.json (a bare Koa app in a test of
 * one middleware) has none; test/http/openapi.test.ts proves the service itself has one, and that it is enforced.
 */
export function contractOf(baseUrl: string): Promise<Contract | null> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = fetch(`${baseUrl}/openapi.json`).then(async (response) => {
      if (response.status === 404) return null;
      const document = await response.json();
      if (response.status !== 200 || !document?.openapi) throw new Error(`${baseUrl}/openapi.json answered ${response.status}, not a document`);
      return new Contract(document);
    });
    contract.catch(() => contracts.delete(baseUrl)); // a service still starting is asked again
    contracts.set(baseUrl, contract);
  }
  return contract;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function at(document: unknown, pointer: string): unknown {
  return pointer
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: any, key) => node?.[key], document);
}

/** The schema with every `$ref` into the document replaced by what it points at. */
function resolved(document: unknown, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => resolved(document, item));
  if (typeof node !== 'object' || node === null) return node;
  const { $ref } = node as { $ref?: unknown };
  if (typeof $ref === 'string' && $ref.startsWith('#/')) return resolved(document, at(document, $ref));
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolved(document, value)]));
}
