/**
 * Domain errors: thrown anywhere, named by what went wrong in the domain's words. Domain code knows no HTTP
 * status codes: src/http/middleware/errors.ts maps each kind to one, in one table.
 */
export interface ErrorDetail {
  /** Where the field is: path, query or body. */
  in?: string;
  pointer: string;
  message: string;
}

export type ErrorKind =
  | 'invalid' // the request or a value in it cannot be used as it is
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict' // it contradicts something that already exists
  | 'gone'
  | 'unprocessable' // well-formed, but refers to something that cannot be accepted (a forged click id)
  | 'rate_limited'
  | 'unavailable' // ours, for a moment: the database is away
  | 'provider_failed'; // a payment provider did not answer

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** snake_case, stable: scripts branch on it. */
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** For rate_limited and unavailable: when trying again makes sense. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const validationFailed = (message: string, details: ErrorDetail[] = []) =>
  new DomainError('invalid', 'validation_failed', message, details);
/** An invalid request with a code of its own (`oauth_state_expired`...). */
export const refused = (code: string, message: string) => new DomainError('invalid', code, message);
export const unauthorized = (message = 'A valid API key is required: send "Authorization: Bearer <key>".') =>
  new DomainError('unauthorized', 'unauthorized', message);
export const forbidden = (message: string) => new DomainError('forbidden', 'forbidden', message);
export const notFound = (what: string) => new DomainError('not_found', 'not_found', `No such ${what}.`);
export const conflict = (message: string, details: ErrorDetail[] = []) => new DomainError('conflict', 'conflict', message, details);
export const gone = (message: string) => new DomainError('gone', 'gone', message);
export const unprocessable = (code: string, message: string) => new DomainError('unprocessable', code, message);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', 'rate_limited', message, [], retryAfterSeconds);
export const unavailable = (message: string, retryAfterSeconds = 5) =>
  new DomainError('unavailable', 'unavailable', message, [], retryAfterSeconds);
export const providerFailed = (message: string) => new DomainError('provider_failed', 'provider_unavailable', message);
