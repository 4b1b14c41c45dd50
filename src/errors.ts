/** Domain errors. Exactly one place (src/http/error-handler.ts) maps them to HTTP. */
export class DomainError extends Error {
  /** A stable name of the rule at fault (API.md's `code`), for pages that show their own words. */
  code: string;
  constructor(message: string, readonly statusCode: number, readonly error: string, code?: string) {
    super(message);
    this.code = code ?? CODES[statusCode] ?? 'error';
  }
}
const CODES: Record<number, string> = {
  400: 'field_invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict',
  413: 'payload_too_large', 414: 'uri_too_long', 415: 'unsupported_media_type', 422: 'action_not_allowed', 429: 'rate_limited',
  500: 'internal', 503: 'unavailable',
};
/** The stable `code` of an answer with this status (API.md): the rule at fault, by kind. */
export function codeFor(status: number): string {
  return CODES[status] ?? 'error';
}
export class BadRequest extends DomainError {
  constructor(message: string) { super(message, 400, 'Bad Request'); }
}
export class Unauthorized extends DomainError {
  constructor(message = '缺少或无效的令牌 / missing or invalid bearer token') { super(message, 401, 'Unauthorized'); }
}
export class Forbidden extends DomainError {
  constructor(message: string) { super(message, 403, 'Forbidden'); }
}
export class NotFound extends DomainError {
  constructor(message: string) { super(message, 404, 'Not Found'); }
}
export class Conflict extends DomainError {
  /** `details` are extra answer fields (e.g. the open cases that block a unit's deactivation). */
  constructor(message: string, readonly details: Record<string, unknown> = {}) { super(message, 409, 'Conflict'); }
}
/** A limit was reached; the caller may retry after `retryAfterSeconds`. */
export class TooManyRequests extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number) { super(message, 429, 'Too Many Requests'); }
}
/** A service the answer needs (the queue backend) does not answer now. */
export class Unavailable extends DomainError {
  constructor(message: string) { super(message, 503, 'Service Unavailable'); }
}
/** Postgres cannot be reached now (stopped, restarting, refusing connections): the caller retries after `retryAfterSeconds`. */
export class DatabaseUnavailable extends Unavailable {
  constructor(readonly retryAfterSeconds: number) {
    super('数据库暂不可用，请稍后重试 / the database is unavailable: retry after the Retry-After header (seconds)');
    this.code = 'database_unavailable';
  }
}
/** A query ran into its statement timeout: the caller should narrow it. */
export class QueryTooSlow extends Unavailable {}
export class StaleVersion extends Conflict {
  constructor(current: number, given: number) {
    super(`版本已过期 / version is stale: If-Match ${given}, current version ${current}`);
    this.code = 'version_stale';
  }
}
/** The request is well-formed but a rule refuses it (state, role, routing, calendar, idempotency). */
export class NotAllowed extends DomainError {
  /** `code` names the rule when it is more than "not allowed here" (e.g. `referral_pending`). */
  constructor(message: string, code?: string) { super(message, 422, 'Unprocessable Entity', code); }
}
/** An upload over its kind's size limit. */
export class PayloadTooLarge extends DomainError {
  constructor(message: string) { super(message, 413, 'Payload Too Large'); }
}
/** A file whose content is not one of the accepted kinds (checked by its bytes, not its name). */
export class UnsupportedMediaType extends DomainError {
  constructor(message: string) { super(message, 415, 'Unsupported Media Type'); }
}
/** A one-time link that was used or has expired. */
export class Gone extends DomainError {
  constructor(message: string, code: string) { super(message, 410, 'Gone', code); }
}
