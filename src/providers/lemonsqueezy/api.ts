import { restCall } from '../rest-api.js';
import { list, object, text, type Json } from '../fields.js';

/**
 * Lemon Squeezy's API (JSON:API) with a merchant's key. The official SDK reads its key and base from module-wide
 * settings, which many sources at once cannot share, so calls are plain fetch.
 */
export class LemonSqueezyApi {
  constructor(
    private readonly apiBase: string,
    private readonly apiKey: string,
  ) {}

  async get(what: string, path: string, accept: number[] = []): Promise<{ status: number; body: Json }> {
    return this.call(what, 'GET', path, undefined, accept);
  }

  async post(what: string, path: string, body: unknown): Promise<Json> {
    return (await this.call(what, 'POST', path, body)).body;
  }

  async delete(what: string, path: string): Promise<void> {
    await this.call(what, 'DELETE', path, undefined, [404]);
  }

  private call(what: string, method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, accept: number[] = []) {
    return restCall({
      provider: 'Lemon Squeezy', what, method, url: `${this.apiBase}${path}`, apiKey: this.apiKey, body, accept,
      mediaType: 'application/vnd.api+json',
      errorDetail: (answer) => list(answer.errors).map((error) => text(object(error).detail) ?? text(object(error).title)).filter(Boolean).join('; ') || null,
    });
  }
}

/** A JSON:API resource's id and attributes. */
export function resources(body: Json): { id: string; attributes: Json }[] {
  return list(body.data).map((item) => ({ id: String(object(item).id ?? ''), attributes: object(object(item).attributes) }));
}
