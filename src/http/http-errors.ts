/** Errors of HTTP itself (the body, the method, the clock), raised by the middleware in src/http only. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const payloadTooLarge = (limit: string) => new HttpError(413, 'payload_too_large', `The request body is larger than ${limit}.`);
export const unsupportedMediaType = (expected: string) => new HttpError(415, 'unsupported_media_type', `Send the body as ${expected}.`);
export const invalidJson = () => new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
export const tooComplex = () =>
  new HttpError(400, 'invalid_json', 'The request body nests too deeply (over 16 levels) or holds too many objects and arrays (over 5,000).');
export const unreadableBody = () => new HttpError(400, 'invalid_body', 'The request body could not be read.');
export const requestTimeout = (seconds: number) =>
  new HttpError(408, 'request_timeout', `The request body did not arrive within ${seconds} seconds.`, { Connection: 'close' });
export const routeNotFound = (method: string, path: string) => new HttpError(404, 'not_found', `Nothing answers ${method} ${path}.`);
export const methodNotAllowed = (method: string, path: string, allow: string) =>
  new HttpError(405, 'method_not_allowed', `${path} does not answer ${method}; it answers ${allow}.`, { Allow: allow });
