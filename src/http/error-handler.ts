/** The one place where errors become HTTP answers: `{statusCode, error, message, code, field?}` (API.md). */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Conflict, DatabaseUnavailable, DomainError, TooManyRequests, codeFor } from '../errors.js';
import { maskFreeText } from '../privacy/masking.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, unavailableReason } from '../../db/unavailable.js';
import { USER_ACTIONS } from '../../workflows/case-machine.js';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
};

/** Messages name their field first ("toOrgId: …", "body.worker.phone 必填 …"): the answer's `field`. */
const FIELD_FIRST = /^((?:body|querystring|params|headers)(?:\.[\w[\]-]+)*|[A-Za-z][\w-]*(?:\.[\w[\]-]+)*)(?=: |\.?\s)/;

/** An error answer; `field` is taken from the message when not given. */
export function errorAnswer(statusCode: number, error: string, message: string, code = codeFor(statusCode), field?: string) {
  const named = field ?? (statusCode === 400 || statusCode === 422 ? FIELD_FIRST.exec(message)?.[1] : undefined);
  return { statusCode, error, message, code, ...(named ? { field: named } : {}) };
}

/** Postgres is away (stopped, restarting, refusing connections): 503, never 500. The log line names the error's code only. */
function databaseAway(error: unknown, request: FastifyRequest): DatabaseUnavailable {
  request.log.warn({ err: unavailableReason(error) }, 'database unavailable: answered 503');
  return new DatabaseUnavailable(DATABASE_RETRY_AFTER_SECONDS);
}

export function errorHandler(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const answer = answerFor(thrown, request, reply);
  return reply.status(answer.statusCode).send(answer);
}

/** The answer for an error (and its Retry-After header): for this API's shape, or another's (Open311's) built from it. */
export function answerFor(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply): ReturnType<typeof errorAnswer> & Record<string, unknown> {
  const error = isDatabaseUnavailable(thrown) ? databaseAway(thrown, request) : thrown;
  if (error instanceof DomainError) {
    if (error instanceof TooManyRequests || error instanceof DatabaseUnavailable) {
      reply.header('retry-after', String(Math.max(1, error.retryAfterSeconds)));
    }
    const details = error instanceof Conflict ? error.details : {};
    return { ...errorAnswer(error.statusCode, error.error, error.message, error.code), ...details };
  }
  if (error.validation) {
    const [first] = error.validation;
    const params = first.params as Record<string, unknown>;
    const field = `${error.validationContext ?? 'body'}${first.instancePath.replaceAll('/', '.')}`;
    const message = params.missingProperty ? `${field}.${String(params.missingProperty)} 必填 / is required`
      : params.additionalProperty ? `${field}.${String(params.additionalProperty)} 不是可用字段 / is not a known field`
        : params.allowedValues ? `${field} 取值无效 / must be one of: ${(params.allowedValues as string[]).join(', ')}`
          : first.keyword === 'discriminator' ? `${field}.${String(params.tag)} 取值无效 / must be one of: ${USER_ACTIONS.join(', ')}`
          : first.keyword === 'pattern' ? `${field} 格式不正确 / has the wrong format`
            : first.keyword === 'format' && params.format === 'date-time' ? `${field} 须为 0001–9999 年的 RFC 3339 时间 / must be an RFC 3339 date-time in the years 0001–9999`
              : `${field} ${first.message}`;
    const code = params.missingProperty ? 'field_required' : params.additionalProperty ? 'field_unknown' : 'field_invalid';
    const at = params.missingProperty ? `${field}.${String(params.missingProperty)}` : params.additionalProperty ? `${field}.${String(params.additionalProperty)}` : field;
    return errorAnswer(400, 'Bad Request', message, code, at);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return errorAnswer(status, STATUS_NAMES[status] ?? 'Bad Request', error.message);
  }
  // An unexpected error may quote what it was given (a driver's message, a value): numbers masked, as in free text.
  request.log.error({ err: { message: maskFreeText(error.message), stack: maskFreeText(error.stack ?? null), code: error.code } }, 'unhandled error');
  return errorAnswer(500, 'Internal Server Error', '服务器内部错误 / internal error');
}
