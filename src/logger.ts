import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { maskFreeText } from './privacy/masking.js';

/** Workers' personal data never reaches a log: these paths are removed wherever they appear. */
const REDACT_PATHS = [
  'worker.name', 'worker.phone', '*.worker.name', '*.worker.phone', 'workerName', 'workerPhone', '*.workerName', '*.workerPhone',
  'req.headers.authorization', 'req.headers["idempotency-key"]', 'body', '*.body',
];

/** Query parameters that may carry a phone (or its last digits), a receipt code or free text: never in a request log line. */
const SECRET_QUERY = /([?&](?:q|phone|phoneLast4|code)=)[^&]*/g;

/** A worker's one-time feedback link carries its token in the path (`/feedback/<token>`, page and API): never logged either. */
const SECRET_PATH = /(\/feedback\/)[^/?#]+/g;

/** Fastify's request line, with those parameters' values and tokens dropped. */
function requestLine(req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  const url = req.url?.replace(SECRET_QUERY, '$1***').replace(SECRET_PATH, '$1***');
  return { method: req.method, url, host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/**
 * An error as a line shows it (`err`: an Error or its text, as background loops log them): a
 * driver's message may quote a value, so numbers are masked as in free text.
 */
function maskedError(err: unknown) {
  if (typeof err === 'string') return maskFreeText(err);
  if (!(err instanceof Error)) return err;
  const shown = pino.stdSerializers.err(err);
  return { ...shown, message: maskFreeText(shown.message), stack: maskFreeText(shown.stack ?? null) };
}

/**
 * JSON lines for machines; on a terminal, readable lines (pino-pretty as a synchronous stream, so
 * they keep their order with what the process writes to stdout itself, such as the banner).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, remove: true }, serializers: { req: requestLine, err: maskedError } };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) return pino(options, pretty({ colorize: true, sync: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }));
  return pino(options);
}
