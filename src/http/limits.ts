/**
 * Request limits (@fastify/rate-limit): failed sign-ins per client IP, registrations, searches and
 * uploads per user, one minute windows. The client IP is `request.ip`: the socket's address, or
 * X-Forwarded-For's entry before the trusted proxies (TRUST_PROXY) — never a header anyone may set.
 * With Redis the counts are shared by every replica; without, each process counts alone. If Redis
 * is down the API keeps answering, unlimited, rather than failing.
 */
import type { FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { TooManyRequests, Unauthorized } from '../errors.js';
import { DEFAULT_PUBLIC_PER_MINUTE, DEFAULT_UPLOADS_PER_MINUTE } from '../config.js';
import type { App, SecurityOptions } from './app.js';

export type Limiter = (request: FastifyRequest) => Promise<void>;
export interface Limits {
  registrations: Limiter;
  searches: Limiter;
  /** Attachment uploads per user (RATE_LIMIT_UPLOADS_PER_MINUTE). */
  uploads: Limiter;
  /** A public (no token) call about `target` (a case reference, a link): counted per client IP and per target. */
  publicCalls: (request: FastifyRequest, target: string) => Promise<void>;
  /** Runs a sign-in attempt; a failure counts against the caller's IP and, over the limit, answers 429. */
  guarded: <T>(request: FastifyRequest, attempt: () => Promise<T>) => Promise<T>;
}

export async function registerLimits(app: App, security: SecurityOptions, logger: Logger): Promise<Limits> {
  const redis = security.rateLimitRedisUrl ? new Redis(security.rateLimitRedisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 }) : null;
  if (redis) {
    redis.on('error', (err) => logger.warn({ err: String(err) }, 'rate-limit store (Redis) unavailable'));
    app.addHook('onClose', async () => { await redis.quit(); });
  }
  await app.register(rateLimit, { global: false, skipOnError: true, ...(redis ? { redis, nameSpace: `${security.rateLimitPrefix}:rl:` } : {}) });
  const limiter = (name: string, max: number, key: (r: FastifyRequest) => string) =>
    app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: (r) => `${name}:${key(r)}` });
  const tooMany = ([zh, en]: [string, string], seconds: number) =>
    new TooManyRequests(`${zh}过于频繁，请 ${seconds} 秒后再试 / too many ${en}: retry in ${seconds} s`, seconds);

  const perUser = (name: string, max: number, zh: string): Limiter => {
    const check = limiter(name, max, (r) => r.caller.userId ?? 'admin');
    return async (request) => {
      const status = await check(request);
      if (!status.isAllowed && status.isExceeded) throw tooMany([zh, name], status.ttlInSeconds);
    };
  };

  const failedAuth = limiter('failed-auth', security.limits.failedAuthPerMinute, (r) => r.ip);
  // Only failures count, and only a failure is refused: over the limit a wrong token or code answers
  // 429 instead of 401, while a valid one still signs in (a station behind one NAT is not locked out
  // by a neighbour's typos). Tokens and codes are 192 random bits: the limit slows guessers, it does
  // not have to hide which answer was right.
  const guarded = async <T>(request: FastifyRequest, attempt: () => Promise<T>): Promise<T> => {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof Unauthorized)) throw err;
      const status = await failedAuth(request);
      if (!status.isAllowed && status.isExceeded) throw tooMany(['登录失败', 'failed sign-ins'], status.ttlInSeconds);
      throw err;
    }
  };

  const publicPerMinute = security.limits.publicPerMinute ?? DEFAULT_PUBLIC_PER_MINUTE;
  const publicPerIp = limiter('public-ip', publicPerMinute, (r) => r.ip);
  const publicPerTarget = limiter('public-target', publicPerMinute, (r) => (r as FastifyRequest & { limitTarget: string }).limitTarget);
  // Every call counts, found or not: a guesser of receipt codes or phone digits is slowed either way.
  const publicCalls = async (request: FastifyRequest, target: string) => {
    Object.assign(request, { limitTarget: createHash('sha256').update(target).digest('hex').slice(0, 32) });
    for (const check of [publicPerIp, publicPerTarget]) {
      const status = await check(request);
      if (!status.isAllowed && status.isExceeded) throw tooMany(['查询', 'public lookups'], status.ttlInSeconds);
    }
  };

  return {
    publicCalls,
    registrations: perUser('registrations', security.limits.registrationsPerMinute, '登记'),
    searches: perUser('searches', security.limits.searchesPerMinute, '搜索'),
    uploads: perUser('uploads', security.limits.uploadsPerMinute ?? DEFAULT_UPLOADS_PER_MINUTE, '上传'),
    guarded,
  };
}
