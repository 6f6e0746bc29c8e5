import { restCall } from '../rest-api.js';
import { object, text, type Json } from '../fields.js';

export const PADDLE_LIVE_API = 'https://api.paddle.com';
export const PADDLE_SANDBOX_API = 'https://sandbox-api.paddle.com';

/**
 * Paddle Billing's API with a merchant's key. With PADDLE_API_BASE unset, a sandbox key (`pdl_sdbx_...`) reaches
 * the sandbox and any other key the live API: one Synaptyx serves merchants testing and selling.
 */
export class PaddleApi {
  private readonly apiBase: string;

  constructor(configuredBase: string | null, private readonly apiKey: string) {
    this.apiBase = configuredBase ?? (apiKey.startsWith('pdl_sdbx_') ? PADDLE_SANDBOX_API : PADDLE_LIVE_API);
  }

  async get(what: string, path: string): Promise<Json> {
    return (await this.call(what, 'GET', path)).body;
  }

  async post(what: string, path: string, body: unknown): Promise<Json> {
    return (await this.call(what, 'POST', path, body)).body;
  }

  async delete(what: string, path: string): Promise<void> {
    await this.call(what, 'DELETE', path, undefined, [404]);
  }

  private call(what: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, accept: number[] = []) {
    return restCall({
      provider: 'Paddle', what, method, url: `${this.apiBase}${path}`, apiKey: this.apiKey, body, accept,
      errorDetail: (answer) => {
        const error = object(answer.error);
        return [text(error.code), text(error.detail)].filter(Boolean).join(': ') || null;
      },
    });
  }
}
