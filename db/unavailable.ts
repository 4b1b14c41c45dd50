/**
 * The one place that tells "the database is away" from every other database error: Postgres
 * stopped, restarting, refusing connections, or a connection that broke mid-query. Such an error
 * answers 503 with Retry-After (never 500), and the background loops log it in one line and try
 * again; any other error keeps its usual path.
 */

/** postgres.js's own codes for a connection that failed or broke. */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/**
 * Socket errors beneath them. Redis, the file storage and webhooks fail with the same codes, so
 * these count only on an error that postgres.js handed to a query (it names the query on it).
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that is away or not accepting work: class 08 (connection exception),
 * 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, shutting
 * down, in recovery), 53300 too many connections.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Seconds a client should wait before it tries again (the Retry-After of a 503). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Whether `err` says Postgres cannot be reached now (a later retry may succeed). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every(isDatabaseUnavailable);
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  if (SOCKET_CODES.has(code)) return 'query' in err;
  return DRIVER_CODES.has(code) || UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}

/** A short reason for logs and /readyz: the error's code, never its query or parameters (they may hold personal data). */
export function unavailableReason(err: unknown): string {
  const first = err instanceof AggregateError ? err.errors[0] : err;
  const code = first && typeof first === 'object' ? (first as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'unreachable';
}
