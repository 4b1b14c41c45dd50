/**
 * Large exports run as BullMQ jobs that any worker process may run; Postgres holds each job's
 * status and progress, the file goes to the file storage (a local folder, or S3 with several
 * machines), so every API replica can report on it and serve it.
 *
 * - Limits: a worker process runs at most `perProcess` exports at once (its concurrency) and a
 *   user has at most `perUser` running across all processes; the rest wait queued.
 * - A worker killed mid-export loses its queue lock; BullMQ gives the job to another worker,
 *   which starts the file again. Nothing marks a job failed because some process started.
 * - `maintain()` (run by workers with the deadline sweep) re-queues jobs the queue lost (a Redis
 *   wipe), marks failed the ones the queue gave up on, and deletes files past the retention period.
 */
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { DelayedError, type Job, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import { inTransaction, type Sql } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import type { Caller } from '../access/callers.js';
import { Conflict, NotFound } from '../errors.js';
import type { FileStorage } from '../storage/file-storage.js';
import type { QueueBackend } from '../workers/queue-backend.js';
import { SpanKind, continuing, currentTraceparent, inSpan } from '../observability/spans.js';
import { CONTENT_TYPES, writeMeetingExport, type ExportFormat } from './meeting-export.js';

export interface ExportJob {
  id: string; meetingId: string; format: ExportFormat; status: 'queued' | 'running' | 'done' | 'failed' | 'expired'; progress: number;
  path: string | null; error: string | null; attempts: number; createdBy: string; createdAt: Date; finishedAt: Date | null;
}

export interface ExportLimits {
  /** Exports one worker process runs at once. */
  perProcess: number;
  /** Exports one user has running at once, over all processes. */
  perUser: number;
  /** Files are deleted this long after they are done. */
  retentionHours: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { perProcess: 2, perUser: 2, retentionHours: 24 };

/** `traceparent`: the trace of the request that started the export, continued by the run's span (none when maintain() re-queues). */
interface ExportTask { exportId: string; traceparent?: string }

const FAILED = '导出失败，请重试 / the export failed; start it again';
/** A killed worker's job comes back after the lock runs out; exports renew it while they write. */
const WORKER_LOCKS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 10 };
const JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 };
/** How soon a job that found its user at the limit looks again. */
const USER_LIMIT_RETRY_MS = 2000;

export interface ExportJobs {
  start(caller: Caller, meetingId: string, format: ExportFormat): Promise<ExportJob>;
  find(id: string): Promise<ExportJob>;
  /** The finished file, or a 409 saying why there is none. */
  file(job: ExportJob): Promise<Readable>;
  /** Runs exports in this process. */
  startWorker(): void;
  maintain(): Promise<{ requeued: number; failed: number; expired: number }>;
  queue: Queue<ExportTask>;
}

export function createExportJobs(deps: {
  sql: Sql;
  /** The export's reads: on the read replica when there is one, once it has replayed the job's claim. */
  read: ReadDatabase;
  storage: FileStorage; backend: QueueBackend; log: Logger; limits?: Partial<ExportLimits>; queueName?: string;
}): ExportJobs {
  const { sql, storage, log } = deps;
  const limits = { ...DEFAULT_EXPORT_LIMITS, ...deps.limits };
  const name = deps.queueName ?? 'exports';
  const queue = deps.backend.queue<ExportTask>(name);
  const jobId = (exportId: string) => `export-${exportId}`;
  const enqueue = (exportId: string) => {
    const traceparent = currentTraceparent();
    return queue.add('export', { exportId, ...(traceparent ? { traceparent } : {}) }, { ...JOB_OPTIONS, jobId: jobId(exportId) });
  };

  async function markFailed(exportId: string) {
    await sql`update export_jobs set status = 'failed', error = ${FAILED}, finished_at = now()
      where id = ${exportId} and status in ('queued', 'running')`;
  }

  /** Takes one of the user's running slots; the advisory lock makes the count and the claim one step. */
  async function claim(exportId: string): Promise<ExportJob | 'wait' | 'gone'> {
    return inTransaction(sql, async (tx) => {
      const [job] = await tx<ExportJob[]>`select * from export_jobs where id = ${exportId}`;
      if (!job || !['queued', 'running'].includes(job.status)) return 'gone';
      await tx`select pg_advisory_xact_lock(hashtext(${`export-user:${job.createdBy}`}))`;
      const [{ running }] = await tx<{ running: number }[]>`
        select count(*)::int as running from export_jobs where created_by = ${job.createdBy} and status = 'running' and id <> ${exportId}`;
      if (running >= limits.perUser) return 'wait';
      const [claimed] = await tx<ExportJob[]>`
        update export_jobs set status = 'running', progress = 0, attempts = attempts + 1
        where id = ${exportId} and status in ('queued', 'running') returning *`;
      return claimed ?? 'gone';
    });
  }

  async function run(job: ExportJob) {
    const key = `exports/${job.id}.${job.format}`;
    // After the claim's commit: a standby that has replayed this position has the meeting and its cases.
    const source = await deps.read.client({ after: await deps.read.primaryLsn() });
    const body = new PassThrough();
    const stored = storage.write(key, body, CONTENT_TYPES[job.format]).catch((err) => { body.destroy(err); throw err; });
    const written = writeMeetingExport(source, job.meetingId, job.format, body, (progress) => {
      sql`update export_jobs set progress = ${progress} where id = ${job.id} and status = 'running'`
        .catch((err) => log.warn({ exportId: job.id, err: String(err) }, 'could not record export progress'));
    }).catch((err) => { body.destroy(err); throw err; });
    await Promise.all([written, stored]);
    await sql`update export_jobs set status = 'done', progress = 100, path = ${key}, finished_at = now()
      where id = ${job.id} and status = 'running'`;
  }

  return {
    queue,
    async start(caller, meetingId, format) {
      const [meeting] = await sql`select id from meetings where id = ${meetingId}`;
      if (!meeting) throw new NotFound(`会议不存在 / no meeting '${meetingId}'`);
      const [job] = await sql<ExportJob[]>`
        insert into export_jobs (meeting_id, format, status, created_by) values (${meetingId}, ${format}, 'queued', ${caller.userId}) returning *`;
      // The row is the truth: if the queue is down now, a worker's maintain() queues it later.
      await enqueue(job.id).catch((err) => log.warn({ exportId: job.id, err: String(err) }, 'could not queue the export; a worker will'));
      return job;
    },

    async find(id) {
      const [job] = await sql<ExportJob[]>`select * from export_jobs where id = ${id}`;
      if (!job) throw new NotFound(`导出任务不存在 / no export '${id}'`);
      return job;
    },

    async file(job) {
      if (job.status === 'expired') {
        throw new Conflict(`导出文件已过保存期（${limits.retentionHours} 小时），请重新导出 / the file was deleted after ${limits.retentionHours} h; start the export again`);
      }
      if (job.status !== 'done' || !job.path) throw new Conflict(`导出尚未完成（${job.progress}%）/ the export is ${job.status} (${job.progress}%)`);
      const stream = await storage.read(job.path);
      if (!stream) throw new Conflict('导出文件不存在，请重新导出 / the file is gone; start the export again');
      return stream;
    },

    startWorker() {
      const worker = deps.backend.worker<ExportTask>(name, async (task: Job<ExportTask>, token?: string) => {
        const attributes = { 'grievance.export_id': task.data.exportId, 'grievance.attempt': task.attemptsMade + 1 };
        const outcome = await inSpan('export.run', attributes, async (span) => {
          const job = await claim(task.data.exportId);
          if (job === 'gone' || job === 'wait') {
            span.setAttribute('grievance.outcome', job);
            return job;
          }
          span.setAttribute('grievance.export_format', job.format);
          try {
            await run(job);
          } catch (error) {
            log.error({ exportId: job.id, attempt: task.attemptsMade + 1, err: String(error) }, 'export failed');
            if (task.attemptsMade + 1 >= (task.opts.attempts ?? 1)) await markFailed(job.id);
            else await sql`update export_jobs set status = 'queued' where id = ${job.id} and status = 'running'`;
            throw error;
          }
          span.setAttribute('grievance.outcome', 'done');
          return 'done';
        }, { kind: SpanKind.CONSUMER, parent: continuing(task.data.traceparent) });
        if (outcome === 'wait') {
          await task.moveToDelayed(Date.now() + USER_LIMIT_RETRY_MS, token);
          throw new DelayedError();
        }
      }, { concurrency: limits.perProcess, ...WORKER_LOCKS });
      worker.on('error', (err) => log.warn({ err: err.message }, 'export worker error'));
    },

    async maintain() {
      let requeued = 0;
      let failed = 0;
      const open = await sql<{ id: string }[]>`select id from export_jobs where status in ('queued', 'running') order by created_at limit 1000`;
      for (const { id } of open) {
        const state = await queue.getJobState(jobId(id));
        if (state === 'unknown') {
          await enqueue(id);
          requeued++;
        } else if (state === 'failed') {
          // The queue gave up on it (too many stalls): say so instead of leaving it running.
          await markFailed(id);
          failed++;
        }
      }
      const expired = await sql<{ id: string; path: string | null }[]>`
        select id, path from export_jobs
        where status = 'done' and finished_at < now() - make_interval(hours => ${limits.retentionHours}) limit 1000`;
      for (const job of expired) {
        if (job.path) await storage.remove(job.path);
        await sql`update export_jobs set status = 'expired', path = null where id = ${job.id}`;
      }
      if (requeued + failed + expired.length > 0) log.info({ requeued, failed, expired: expired.length }, 'export jobs maintained');
      return { requeued, failed, expired: expired.length };
    },
  };
}
