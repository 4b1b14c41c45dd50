/** The one place where errors become HTTP answers: `{statusCode, error, message}`. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Conflict, DomainError, TooManyRequests } from '../errors.js';
import { USER_ACTIONS } from '../../workflows/case-machine.js';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) {
    if (error instanceof TooManyRequests) reply.header('retry-after', String(Math.max(1, error.retryAfterSeconds)));
    const details = error instanceof Conflict ? error.details : {};
    return reply.status(error.statusCode).send({ statusCode: error.statusCode, error: error.error, message: error.message, ...details });
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
    return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.status(status).send({ statusCode: status, error: STATUS_NAMES[status] ?? 'Bad Request', message: error.message });
  }
  request.log.error({ err: { message: error.message, stack: error.stack, code: error.code } }, 'unhandled error');
  return reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: '服务器内部错误 / internal error' });
}
