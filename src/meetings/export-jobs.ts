/**
 * Large exports run as jobs: the API answers at once with the job, reports its progress in
 * percent, and serves the file when it is done. Files go to the export folder; a job interrupted
 * by a restart is marked failed at start-up, with a message asking to start it again.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Sql, Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { NotFound } from '../errors.js';
import { writeMeetingExport, type ExportFormat } from './meeting-export.js';

export interface ExportJob {
  id: string; meetingId: string; format: ExportFormat; status: 'running' | 'done' | 'failed'; progress: number;
  path: string | null; error: string | null; createdBy: string; createdAt: Date;
}

export async function startExportJob(
  deps: { sql: Sql; dir: string; log: Logger }, caller: Caller, meetingId: string, format: ExportFormat,
): Promise<ExportJob> {
  const [meeting] = await deps.sql`select id from meetings where id = ${meetingId}`;
  if (!meeting) throw new NotFound(`会议不存在 / no meeting '${meetingId}'`);
  const [job] = await deps.sql<ExportJob[]>`
    insert into export_jobs (meeting_id, format, status, created_by) values (${meetingId}, ${format}, 'running', ${caller.userId}) returning *`;
  void runExport(deps, job);
  return job;
}

async function runExport(deps: { sql: Sql; dir: string; log: Logger }, job: ExportJob) {
  const file = path.resolve(deps.dir, `${job.id}.${job.format}`);
  try {
    await mkdir(deps.dir, { recursive: true });
    const out = createWriteStream(file);
    const finished = new Promise<void>((resolve, reject) => { out.on('finish', () => resolve()); out.on('error', reject); });
    await writeMeetingExport(deps.sql, job.meetingId, job.format, out, (progress) => {
      deps.sql`update export_jobs set progress = ${progress} where id = ${job.id}`.catch(() => {});
    });
    await finished;
    await deps.sql`update export_jobs set status = 'done', progress = 100, path = ${file} where id = ${job.id}`;
  } catch (error) {
    deps.log.error({ exportId: job.id, err: String(error) }, 'export failed');
    await deps.sql`update export_jobs set status = 'failed', error = ${'导出失败，请重试 / the export failed; start it again'} where id = ${job.id}`;
  }
}

export async function findExportJob(tx: Tx, id: string): Promise<ExportJob> {
  const [job] = await tx<ExportJob[]>`select * from export_jobs where id = ${id}`;
  if (!job) throw new NotFound(`导出任务不存在 / no export '${id}'`);
  return job;
}

export async function failInterruptedExports(sql: Sql): Promise<void> {
  await sql`update export_jobs set status = 'failed', error = ${'服务重启中断了导出，请重试 / a restart interrupted the export; start it again'}
    where status = 'running'`;
}
