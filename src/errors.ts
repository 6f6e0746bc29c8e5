/**
 * Domain errors: thrown anywhere, turned into the API's error shape in one place (src/http/middleware/errors.ts).
 * Domain code never knows HTTP status codes; this small table does.
 */
export interface ErrorDetail {
  /** Where the field is: path, query or body. */
  in?: string;
  pointer: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export const validationFailed = (message: string, details: ErrorDetail[] = []) =>
  new AppError(400, 'validation_failed', message, details);
export const badRequest = (code: string, message: string) => new AppError(400, code, message);
export const unauthorized = (message = 'A valid API key is required: send "Authorization: Bearer <key>".') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `No such ${what}.`);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
export const gone = (message: string) => new AppError(410, 'gone', message);
export const payloadTooLarge = (limit: string) =>
  new AppError(413, 'payload_too_large', `The request body is larger than ${limit}.`);
export const unsupportedMediaType = (expected: string) =>
  new AppError(415, 'unsupported_media_type', `Send the body as ${expected}.`);
export const unprocessable = (code: string, message: string) => new AppError(422, code, message);
export const unavailable = (message: string) => new AppError(503, 'unavailable', message);
