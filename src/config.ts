/** Configuration is read and checked once at start-up, then passed down. No secret has a default. */
import { isIP } from 'node:net';
import type { StorageConfig } from './storage/file-storage.js';
import type { ExportLimits } from './meetings/export-jobs.js';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from './attachments/attachment-kinds.js';
import { parseAllowHosts, type AllowedHost } from './notifications/outbound-guard.js';

const MB = 1024 * 1024;
/** The API process's metrics port (`npm run worker`: the next one). */
export const DEFAULT_METRICS_PORT = 9464;

export interface Config {
  databaseUrl: string | null;
  /** DATABASE_READ_URL: a streaming standby of DATABASE_URL for the heavy reads (README "Read replica"); null: all on the primary. */
  databaseReadUrl: string | null;
  /** READ_REPLICA_MAX_LAG_SECONDS: a standby further behind than this is not read from. */
  readReplicaMaxLagSeconds: number;
  redisUrl: string | null;
  adminToken: string | null;
  port: number;
  host: string;
  logLevel: string;
  workingHours: { start: string; end: string };
  runWorkers: boolean;
  /** Redis key prefix for BullMQ (several engines may share one Redis). */
  queuePrefix: string;
  /** Where export files and attachments go: a local folder (STORAGE_DIR) or S3-compatible storage (several machines). */
  storage: StorageConfig;
  /** Upload size limits per kind of attachment (ATTACHMENT_MAX_*_MB). */
  attachmentLimits: AttachmentLimits;
  /** RECEIPT_SECRET: key of the workers' receipt codes (HMAC); derived from ADMIN_TOKEN when unset. */
  receiptSecret: string | null;
  /** RECORD_PEPPER: key of the record's digests of personal fields (HMAC); required with DATABASE_URL, generated in embedded mode. */
  recordPepper: string | null;
  /** LINK_KEY: key of the consenting worker's linking digest (HMAC of the phone); required with DATABASE_URL, generated in embedded mode. */
  linkKey: string | null;
  /** PUBLIC_URL: where the pages are (e.g. https://grievance.example.org): the origin of the link in every message and of the worker's feedback links. */
  publicUrl: string;
  exportLimits: ExportLimits;
  /** How far ahead the sweeper re-adds wake-up jobs. */
  sweepHorizonMs: number;
  sweepIntervalMs: number;
  /** Limits and tokens (README "Security"). */
  security: SecuritySettings;
  /** PII_RETENTION_DAYS: a closed case's contact is erased this many days after closure. */
  piiRetentionDays: number;
  /** EMBEDDED_PG_PORT: a fixed port for the embedded Postgres; null lets it pick (54329 if free). */
  embeddedPgPort: number | null;
  /** Seed the demo district on an empty database (always in embedded mode). */
  demoData: boolean;
  /** Message channels: SMTP_URL + SMTP_FROM for e-mail (null: no e-mail). */
  notifications: { mail: { url: string; from: string } | null };
  /** OUTBOUND_ALLOW_HOSTS: the hosts webhooks, robots and SMS gateways may reach over http or at a non-public address. */
  outbound: { allowHosts: AllowedHost[] };
  /** PG_BIN_DIR: where `npm run backup`/`restore` find pg_dump and pg_restore of the server's major version (null: they look in the usual places). */
  pgBinDir: string | null;
  /**
   * Traces (README "Traces"): on when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and
   * OTEL_SDK_DISABLED is not `true`; `serviceName` is OTEL_SERVICE_NAME (null: the process's own name). Off: null.
   */
  tracing: { serviceName: string | null } | null;
  /**
   * `GET /metrics` on a listener of its own: METRICS_PORT (the API process's; `npm run worker` takes
   * the next one) and METRICS_HOST; `port` null when METRICS_PORT=0 (off).
   */
  metrics: { port: number | null; host: string };
  /** RECORD_VERIFY_INTERVAL_MINUTES: how often the workers verify a batch of case records and the anchors; 0 = never. */
  recordVerifyIntervalMs: number;
}

export interface SecuritySettings {
  tokenTtlDays: number | null;
  signInLinkMinutes: number;
  limits: {
    failedAuthPerMinute: number; registrationsPerMinute: number; searchesPerMinute: number;
    /** Public (no token) status lookups and feedback-link calls, per client IP and per case reference or link (default 10). */
    publicPerMinute?: number;
    /** RATE_LIMIT_UPLOADS_PER_MINUTE: attachment uploads per user (default 30). */
    uploadsPerMinute?: number;
  };
  searchTimeoutMs: number;
  /**
   * TRUST_PROXY: behind a reverse proxy (compose's Caddy), take the client's address from
   * X-Forwarded-For, so the per-IP limits count clients and not the proxy — but only from the
   * proxies named (their addresses or CIDRs) or the given number of hops in front of the engine,
   * never from everyone. Off (`false`) by default.
   */
  trustProxy: TrustProxy;
  /** Open live streams (`GET /api/v1/stream`): STREAMS_PER_USER per token, STREAMS_PER_PROCESS in all. */
  streams: StreamLimits;
}

/** Fastify's `trustProxy`: off, a hop count, or the proxies' addresses and CIDRs. */
export type TrustProxy = false | number | string[];

export interface StreamLimits { perToken: number; perProcess: number }

/** Strict: a worker looks up one case now and then; a guesser of codes or phone digits is slowed to a crawl. */
export const DEFAULT_PUBLIC_PER_MINUTE = 10;

/** Generous: a busy liaison or a hotline integration never meets them; a token-guessing script does. */
export const DEFAULT_SECURITY: SecuritySettings = {
  tokenTtlDays: null,
  signInLinkMinutes: 10,
  limits: { failedAuthPerMinute: 20, registrationsPerMinute: 120, searchesPerMinute: 300, publicPerMinute: DEFAULT_PUBLIC_PER_MINUTE },
  searchTimeoutMs: 3000,
  trustProxy: false,
  streams: { perToken: 5, perProcess: 2000 },
};

/** Uploads per user per minute: a station photographing a pile of pay slips never meets it. */
export const DEFAULT_UPLOADS_PER_MINUTE = 30;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const time = (name: string, fallback: string) => {
    const value = env[name] || fallback;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) problems.push(`${name} must be HH:MM, got '${value}'`);
    return value;
  };
  const int = (name: string, fallback: number) => {
    const value = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(value) || value < 0) problems.push(`${name} must be a whole number, got '${env[name]}'`);
    return value;
  };
  const allowHosts = parseAllowHosts(env.OUTBOUND_ALLOW_HOSTS ?? '');
  problems.push(...allowHosts.problems);
  const config: Config = {
    databaseUrl: env.DATABASE_URL || null,
    databaseReadUrl: env.DATABASE_READ_URL || null,
    readReplicaMaxLagSeconds: int('READ_REPLICA_MAX_LAG_SECONDS', 30),
    redisUrl: env.REDIS_URL || null,
    adminToken: env.ADMIN_TOKEN || null,
    port: int('PORT', 3000),
    host: env.HOST || '127.0.0.1',
    logLevel: env.LOG_LEVEL || 'info',
    workingHours: { start: time('WORKDAY_START', '09:00'), end: time('WORKDAY_END', '18:00') },
    runWorkers: (env.RUN_WORKERS ?? 'true') !== 'false',
    queuePrefix: env.QUEUE_PREFIX || 'bull',
    storage: env.STORAGE_BACKEND === 's3'
      ? {
        kind: 's3', bucket: env.S3_BUCKET ?? '', endpoint: env.S3_ENDPOINT || undefined, region: env.S3_REGION || 'us-east-1',
        accessKeyId: env.S3_ACCESS_KEY_ID || undefined, secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
        forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
      }
      : { kind: 'local', dir: env.STORAGE_DIR || env.EXPORT_DIR || '.data/files' },
    attachmentLimits: {
      imageBytes: int('ATTACHMENT_MAX_IMAGE_MB', DEFAULT_ATTACHMENT_LIMITS.imageBytes / MB) * MB,
      documentBytes: int('ATTACHMENT_MAX_PDF_MB', DEFAULT_ATTACHMENT_LIMITS.documentBytes / MB) * MB,
      audioBytes: int('ATTACHMENT_MAX_AUDIO_MB', DEFAULT_ATTACHMENT_LIMITS.audioBytes / MB) * MB,
    },
    receiptSecret: env.RECEIPT_SECRET || null,
    recordPepper: env.RECORD_PEPPER || null,
    linkKey: env.LINK_KEY || null,
    publicUrl: (env.PUBLIC_URL || `http://127.0.0.1:${env.PORT || 3000}`).replace(/\/+$/, ''),
    exportLimits: {
      perProcess: int('EXPORT_MAX_RUNNING_PER_PROCESS', 2), perUser: int('EXPORT_MAX_RUNNING_PER_USER', 2),
      retentionHours: int('EXPORT_RETENTION_HOURS', 24),
    },
    sweepHorizonMs: int('SWEEP_HORIZON_SECONDS', 3600) * 1000,
    sweepIntervalMs: int('SWEEP_INTERVAL_SECONDS', 60) * 1000,
    security: {
      tokenTtlDays: env.TOKEN_TTL_DAYS ? int('TOKEN_TTL_DAYS', 0) || null : null,
      signInLinkMinutes: int('SIGN_IN_LINK_MINUTES', DEFAULT_SECURITY.signInLinkMinutes),
      limits: {
        failedAuthPerMinute: int('RATE_LIMIT_FAILED_AUTH_PER_MINUTE', DEFAULT_SECURITY.limits.failedAuthPerMinute),
        registrationsPerMinute: int('RATE_LIMIT_REGISTRATIONS_PER_MINUTE', DEFAULT_SECURITY.limits.registrationsPerMinute),
        searchesPerMinute: int('RATE_LIMIT_SEARCHES_PER_MINUTE', DEFAULT_SECURITY.limits.searchesPerMinute),
        publicPerMinute: int('RATE_LIMIT_PUBLIC_PER_MINUTE', DEFAULT_PUBLIC_PER_MINUTE),
        uploadsPerMinute: int('RATE_LIMIT_UPLOADS_PER_MINUTE', DEFAULT_UPLOADS_PER_MINUTE),
      },
      searchTimeoutMs: int('SEARCH_TIMEOUT_MS', DEFAULT_SECURITY.searchTimeoutMs),
      trustProxy: trustProxyFrom(env.TRUST_PROXY, problems),
      streams: {
        perToken: int('STREAMS_PER_USER', DEFAULT_SECURITY.streams.perToken),
        perProcess: int('STREAMS_PER_PROCESS', DEFAULT_SECURITY.streams.perProcess),
      },
    },
    piiRetentionDays: int('PII_RETENTION_DAYS', 1095),
    embeddedPgPort: env.EMBEDDED_PG_PORT ? int('EMBEDDED_PG_PORT', 0) : null,
    demoData: !env.DATABASE_URL || env.DEMO_DATA === 'true',
    notifications: {
      mail: env.SMTP_URL ? { url: env.SMTP_URL, from: env.SMTP_FROM || 'grievance-engine <noreply@localhost>' } : null,
    },
    outbound: { allowHosts: allowHosts.hosts },
    pgBinDir: env.PG_BIN_DIR || null,
    tracing: tracingFrom(env, problems),
    metrics: { port: int('METRICS_PORT', DEFAULT_METRICS_PORT) || null, host: env.METRICS_HOST || '127.0.0.1' },
    recordVerifyIntervalMs: int('RECORD_VERIFY_INTERVAL_MINUTES', 60) * 60_000,
  };
  if (config.metrics.port !== null && config.metrics.port > 65534) problems.push(`METRICS_PORT must be 0 (off) or a port up to 65534 (npm run worker takes the next one), got '${env.METRICS_PORT}'`);
  if (config.embeddedPgPort !== null && (config.embeddedPgPort < 1 || config.embeddedPgPort > 65535)) problems.push(`EMBEDDED_PG_PORT must be a port (1–65535), got '${env.EMBEDDED_PG_PORT}'`);
  if (config.sweepIntervalMs >= config.sweepHorizonMs) problems.push('SWEEP_INTERVAL_SECONDS must be shorter than SWEEP_HORIZON_SECONDS');
  if (!['local', 's3', undefined, ''].includes(env.STORAGE_BACKEND)) problems.push(`STORAGE_BACKEND must be local or s3, got '${env.STORAGE_BACKEND}'`);
  if (env.SMTP_URL && !/^smtps?:\/\/[^/]+/.test(env.SMTP_URL)) problems.push('SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…');
  if (config.storage.kind === 's3' && !config.storage.bucket) problems.push('S3_BUCKET is required when STORAGE_BACKEND=s3');
  if (config.exportLimits.perProcess < 1 || config.exportLimits.perUser < 1) problems.push('EXPORT_MAX_RUNNING_PER_PROCESS and EXPORT_MAX_RUNNING_PER_USER must be at least 1');
  if (config.security.streams.perToken < 1 || config.security.streams.perProcess < 1) problems.push('STREAMS_PER_USER and STREAMS_PER_PROCESS must be at least 1');
  if (config.security.limits.uploadsPerMinute! < 1) problems.push('RATE_LIMIT_UPLOADS_PER_MINUTE must be at least 1');
  if (config.databaseReadUrl && !config.databaseUrl) problems.push('DATABASE_READ_URL needs DATABASE_URL: it names a standby of that primary');
  if (config.databaseReadUrl && !/^postgres(ql)?:\/\//.test(config.databaseReadUrl)) problems.push('DATABASE_READ_URL must be a postgres:// connection string');
  if (config.readReplicaMaxLagSeconds < 1) problems.push('READ_REPLICA_MAX_LAG_SECONDS must be at least 1');
  if (config.databaseUrl && !config.adminToken) problems.push('ADMIN_TOKEN is required when DATABASE_URL is set');
  if (config.databaseUrl && !config.recordPepper) problems.push('RECORD_PEPPER is required when DATABASE_URL is set (at least 32 characters, e.g. `openssl rand -base64 32`): it keys the record\'s digests of personal data');
  if (config.recordPepper && config.recordPepper.length < 32) problems.push('RECORD_PEPPER must be at least 32 characters');
  if (config.databaseUrl && !config.linkKey) problems.push('LINK_KEY is required when DATABASE_URL is set (at least 32 characters, e.g. `openssl rand -base64 32`): it keys the digest that recognises a consenting worker across cases');
  if (config.linkKey && config.linkKey.length < 32) problems.push('LINK_KEY must be at least 32 characters');
  if (config.receiptSecret && config.receiptSecret.length < 16) problems.push('RECEIPT_SECRET must be at least 16 characters');
  if (config.adminToken && config.adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters');
  if (problems.length > 0) throw new Error(`配置错误 / invalid configuration:\n- ${problems.join('\n- ')}`);
  return config;
}

/** The collector's address is the OTel SDK's to read; checked here so that a typo stops the start with one line, not a span lost per request. */
function tracingFrom(env: NodeJS.ProcessEnv, problems: string[]): Config['tracing'] {
  const endpoints = (['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] as const).filter((name) => env[name]?.trim());
  if (endpoints.length === 0 || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  for (const name of endpoints) {
    if (!/^https?:\/\/[^/\s]+/.test(env[name]!.trim())) problems.push(`${name} must be the collector's OTLP/HTTP address, http(s)://host[:port] (e.g. http://otel-collector:4318)`);
  }
  return { serviceName: env.OTEL_SERVICE_NAME?.trim() || null };
}

/**
 * TRUST_PROXY: unset or `false` (off), a hop count (`1`: the one proxy in front of the engine), or
 * the proxies' addresses and CIDRs, comma-separated (`172.30.0.10`, `10.0.0.0/24`). "Trust every
 * sender" (`true`, `all`, `*`) is refused: anyone could then choose their address by a header.
 */
function trustProxyFrom(value: string | undefined, problems: string[]): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false') return false;
  if (['true', 'all', '*'].includes(text.toLowerCase())) {
    problems.push(`TRUST_PROXY=${text} would let any client choose its address (X-Forwarded-For): give the proxy's address or CIDR (e.g. 172.30.0.10) or the number of proxies in front of the engine (e.g. 1)`);
    return false;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) problems.push(`TRUST_PROXY as a hop count must be 1–10, got '${text}'`);
    return hops;
  }
  const proxies = text.split(',').map((part) => part.trim());
  const wrong = proxies.filter((part) => !isAddressOrCidr(part));
  if (wrong.length > 0) problems.push(`TRUST_PROXY must be a hop count or comma-separated IP addresses/CIDRs of the proxies, got '${wrong.join("', '")}'`);
  return proxies;
}

/** An IPv4 or IPv6 address, with an optional prefix length that is not 0 (a /0 would be everyone again). */
function isAddressOrCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128);
}
