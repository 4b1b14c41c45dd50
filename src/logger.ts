import pino, { type Logger } from 'pino';

/** Workers' personal data never reaches a log: these paths are removed wherever they appear. */
const REDACT_PATHS = [
  'worker.name', 'worker.phone', '*.worker.name', '*.worker.phone', 'workerName', 'workerPhone', '*.workerName', '*.workerPhone',
  'req.headers.authorization', 'req.headers["idempotency-key"]', 'body', '*.body',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, remove: true } };
  return destination ? pino(options, destination) : pino(options);
}
