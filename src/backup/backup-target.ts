/**
 * What `npm run backup` and `npm run restore` work on, found as `npm start` finds it: DATABASE_URL
 * and the storage settings, or without DATABASE_URL the embedded database in `.data` — the one
 * running now (`npm start` in another terminal), else started for the command and stopped after.
 */
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { connectDatabase } from '../../db/client.js';
import {
  databaseDirFor, packagedBinDir, packagedMajorVersion, runningServerPort, startEmbeddedPostgres,
} from '../embedded/embedded-postgres.js';
import { localSecrets } from '../embedded/local-secrets.js';
import { createFileStorage, type FileStorage } from '../storage/file-storage.js';
import { BackupRefused, findPgTools, type PgTools } from './pg-tools.js';

export interface BackupTarget {
  /** For the summary: which database (never its password). */
  databaseLabel: string;
  storageLabel: string;
  url: string;
  storage: FileStorage;
  tools: PgTools;
  /** Tells whether two installations share RECORD_PEPPER (null: this one has none yet). */
  recordKeyId: string | null;
  /** Tells whether two installations share LINK_KEY (null: this one has none yet). */
  linkKeyId: string | null;
  /** Stops the embedded Postgres when this command started it. */
  close(): Promise<void>;
}

/** An HMAC of a fixed text under the key: tells two installations' keys apart, says nothing of the key. */
export function keyIdOf(key: string, of: 'record' | 'link'): string {
  return createHmac('sha256', key).update(`grievance-engine ${of} key id`).digest('hex').slice(0, 16);
}

/** `major * 10000 + minor` since Postgres 10. */
const majorOfVersionNum = (num: number) => Math.floor(num / 10000);

export async function openTarget(config: Config, opts: {
  dataDir: string;
  /** A restore may start a new embedded database; a backup has nothing to back up without one. */
  mayCreate: boolean;
  say: (line: string) => void;
}): Promise<BackupTarget> {
  const storage = createFileStorage(config.storage);
  const storageLabel = config.storage.kind === 'local'
    ? `local folder ${path.resolve(config.storage.dir)}`
    : `S3 bucket ${config.storage.bucket}${config.storage.endpoint ? ` at ${config.storage.endpoint}` : ''}`;
  // With DATABASE_URL the embedded package is only one place to look, and may be missing (an install without optional packages).
  const embeddedMajor = await packagedMajorVersion().catch(() => null);
  const embeddedBinDir = await packagedBinDir().catch(() => null);

  if (config.databaseUrl) {
    const url = config.databaseUrl;
    const major = majorOfVersionNum(await serverVersionNum(url));
    const tools = findPgTools(major, { pgBinDir: config.pgBinDir, embeddedBinDir: major === embeddedMajor ? embeddedBinDir : null });
    const u = new URL(url);
    return {
      databaseLabel: `DATABASE_URL (${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}:${u.port || 5432}${u.pathname})`,
      storageLabel, url, storage, tools,
      recordKeyId: config.recordPepper ? keyIdOf(config.recordPepper, 'record') : null,
      linkKeyId: config.linkKey ? keyIdOf(config.linkKey, 'link') : null,
      close: async () => {},
    };
  }

  const databaseDir = await databaseDirFor(opts.dataDir);
  const versionFile = path.join(databaseDir, 'PG_VERSION');
  if (!existsSync(versionFile) && !opts.mayCreate) {
    throw new BackupRefused(`${databaseDir} 中没有内置数据库，无可备份 / no embedded database in ${databaseDir}: nothing to back up (set DATABASE_URL to back up another server)`);
  }
  // Known before anything starts, so a missing pg_dump stops the command before it starts a server.
  if (embeddedMajor === null) throw new BackupRefused('没有内置数据库的二进制文件 / the embedded Postgres binaries are not installed (npm install): set DATABASE_URL, or install them');
  const major = existsSync(versionFile) ? Number((await readFile(versionFile, 'utf8')).trim()) : embeddedMajor;
  const tools = findPgTools(major, { pgBinDir: config.pgBinDir, embeddedBinDir: major === embeddedMajor ? embeddedBinDir : null });
  const secrets = await localSecrets(opts.dataDir);
  const pepper = config.recordPepper ?? secrets.recordPepper ?? null;
  const linkKey = config.linkKey ?? secrets.linkKey ?? null;
  const common = {
    storageLabel, storage, tools, recordKeyId: pepper ? keyIdOf(pepper, 'record') : null, linkKeyId: linkKey ? keyIdOf(linkKey, 'link') : null,
  };
  const running = await runningServerPort(databaseDir);
  if (running) {
    opts.say(`内置数据库正在运行 / the embedded Postgres is running (port ${running}): using it`);
    return {
      ...common, databaseLabel: `embedded Postgres in ${databaseDir} (port ${running}, running)`,
      url: `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${running}/grievance`,
      close: async () => {},
    };
  }
  opts.say(`启动内置数据库 / starting the embedded Postgres in ${databaseDir}`);
  const embedded = await startEmbeddedPostgres({ databaseDir, port: config.embeddedPgPort, password: secrets.password, database: 'grievance' });
  return {
    ...common, databaseLabel: `embedded Postgres in ${databaseDir} (started for this command)`,
    url: embedded.url,
    async close() {
      await embedded.stop();
      opts.say('内置数据库已停止 / the embedded Postgres stopped');
    },
  };
}

async function serverVersionNum(url: string): Promise<number> {
  const database = connectDatabase(url, { max: 1 });
  try {
    const [{ serverVersionNum: num }] = await database.sql<{ serverVersionNum: string }[]>`show server_version_num`;
    return Number(num);
  } finally {
    await database.close();
  }
}
