/**
 * The entry points' switch: with traces configured (src/config.ts `tracing`) the SDK is loaded and
 * started; without, it is not even imported — no SDK code, no provider, the API's no-op tracer.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Tracing } from './tracing.js';

export async function startTracingIfSet(config: Pick<Config, 'tracing'>, processName: string, log?: Logger): Promise<Tracing | null> {
  if (!config.tracing) return null;
  const { startTracing } = await import('./tracing.js');
  return startTracing({ serviceName: config.tracing.serviceName ?? processName, log });
}
