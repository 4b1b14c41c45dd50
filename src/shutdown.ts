/**
 * Stopping on SIGINT (Ctrl-C) or SIGTERM: the parts close in the reverse order of their start —
 * HTTP first, so no new work arrives, then the runtime (workers, queue, pool), then the embedded
 * Postgres — one line each, and the process exits 0. A second signal while stopping is ignored
 * (a terminal's Ctrl-C reaches every process of the group, and tsx passes it on once more).
 */
import type { Logger } from 'pino';

export interface Shutdown {
  /** `what` names the step in the log; leave it out for a part that logs its own steps. */
  add(what: string | null, close: () => Promise<void>): void;
}

export function stopOnSignals(log: Logger): Shutdown {
  const steps: { what: string | null; close: () => Promise<void> }[] = [];
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info(`收到 ${signal}，正在停止 / ${signal}: stopping`);
    let failed = false;
    for (const { what, close } of steps.reverse()) {
      try {
        await close();
        if (what) log.info(`停止 / stopped: ${what}`);
      } catch (err) {
        failed = true;
        log.error(`停止时出错 / could not stop ${what ?? 'a part'}: ${describeError(err)}`);
      }
    }
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return { add: (what, close) => void steps.push({ what, close }) };
}

/** One line for any thrown value: never `undefined`. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  if (err instanceof Error) return err.message || (err as { code?: string }).code || err.name;
  if (err === undefined || err === null) return 'an error without a message';
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}
