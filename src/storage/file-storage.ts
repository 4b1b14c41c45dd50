/**
 * One interface for files the engine keeps (export files; attachments later): a local folder
 * when one machine runs everything, S3-compatible object storage when several do — every API
 * and worker process must reach the same files. Bodies are streamed both ways, never held whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface FileStorage {
  readonly kind: 'local' | 's3';
  /** Stores the stream under `key`; the file is visible only once it is complete. */
  write(key: string, body: Readable, contentType: string): Promise<void>;
  /** The stored file; null when there is none. */
  read(key: string): Promise<Readable | null>;
  /** Removes the file; no error when it is already gone. */
  remove(key: string): Promise<void>;
  /**
   * Writes a small file only if none is there (a local `wx` open, S3 `If-None-Match: *`): what is
   * published once (the record's daily anchors) is never overwritten. `exists` when one was there.
   */
  create(key: string, body: string, contentType: string): Promise<'created' | 'exists'>;
  /**
   * Every complete file, in no promised order (a backup copies them all; a restore checks the
   * storage is empty). A local write still in progress (`*.partial`) is not a file yet.
   */
  list(): AsyncIterable<StoredFile>;
}

export interface StoredFile { key: string; size: number }

export type StorageConfig =
  | { kind: 'local'; dir: string }
  | { kind: 's3'; bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle?: boolean };

export function createFileStorage(config: StorageConfig): FileStorage {
  return config.kind === 'local' ? localStorage(config.dir) : s3Storage(config);
}

/** Keys are our own (`exports/<uuid>.<format>`); refuse anything that could leave the folder. */
function checkKey(key: string) {
  if (!/^[a-z0-9][a-z0-9/_.-]*$/i.test(key) || key.includes('..')) throw new Error(`invalid storage key '${key}'`);
}

function localStorage(dir: string): FileStorage {
  const root = path.resolve(dir);
  return {
    kind: 'local',
    async write(key, body) {
      checkKey(key);
      const file = path.join(root, key);
      const partial = `${file}.${process.pid}.partial`;
      await mkdir(path.dirname(file), { recursive: true });
      try {
        await pipeline(body, createWriteStream(partial));
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async read(key) {
      checkKey(key);
      const stream = createReadStream(path.join(root, key));
      // Open it first so a missing file is a null, not an error in the middle of a response.
      return new Promise((resolve, reject) => {
        stream.once('open', () => resolve(stream));
        stream.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve(null) : reject(err)));
      });
    },
    async remove(key) {
      checkKey(key);
      await rm(path.join(root, key), { force: true });
    },
    async create(key, body) {
      checkKey(key);
      const file = path.join(root, key);
      await mkdir(path.dirname(file), { recursive: true });
      try {
        await writeFile(file, body, { flag: 'wx' });
        return 'created';
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
        throw error;
      }
    },
    async *list() {
      const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      for (const entry of entries) {
        if (!entry.isFile() || entry.name.endsWith('.partial')) continue;
        const file = path.join(entry.parentPath, entry.name);
        const key = path.relative(root, file).split(path.sep).join('/');
        // Removed since the folder was read (an expired export): no longer a file.
        const size = await stat(file).then((s) => s.size, (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return null;
          throw error;
        });
        if (size !== null) yield { key, size };
      }
    },
  };
}

function s3Storage(config: Extract<StorageConfig, { kind: 's3' }>): FileStorage {
  // The SDK (~15 MB of a process's memory) is loaded at the first use: a process on local files never loads it.
  let loaded: Promise<{ s3: typeof import('@aws-sdk/client-s3'); Upload: typeof import('@aws-sdk/lib-storage').Upload; client: import('@aws-sdk/client-s3').S3Client }> | null = null;
  const sdk = () => (loaded ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(([s3, lib]) => ({
    s3, Upload: lib.Upload,
    client: new s3.S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } : undefined,
      // Checksums only where S3 requires them: MinIO and older S3-compatible servers reject the
      // SDK's default CRC32 trailers on streamed uploads.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  })));
  return {
    kind: 's3',
    async write(key, body, contentType) {
      const { Upload, client } = await sdk();
      checkKey(key);
      // Multipart upload of a stream of unknown length, 5 MB parts; S3 shows the object only when it completes.
      await new Upload({ client, params: { Bucket: config.bucket, Key: key, Body: body, ContentType: contentType } }).done();
    },
    async read(key) {
      const { s3, client } = await sdk();
      checkKey(key);
      try {
        const res = await client.send(new s3.GetObjectCommand({ Bucket: config.bucket, Key: key }));
        return res.Body as Readable;
      } catch (error) {
        if (error instanceof s3.NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async remove(key) {
      const { s3, client } = await sdk();
      checkKey(key);
      await client.send(new s3.DeleteObjectCommand({ Bucket: config.bucket, Key: key }));
    },
    async create(key, body, contentType) {
      const { s3, client } = await sdk();
      checkKey(key);
      try {
        await client.send(new s3.PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: '*' }));
        return 'created';
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 412 || (error as { name?: string }).name === 'PreconditionFailed') return 'exists';
        throw error;
      }
    },
    async *list() {
      const { s3, client } = await sdk();
      for await (const page of s3.paginateListObjectsV2({ client }, { Bucket: config.bucket })) {
        for (const object of page.Contents ?? []) {
          // A "folder" some S3 consoles make is an empty object named `…/`: no file of ours.
          if (object.Key && !object.Key.endsWith('/')) yield { key: object.Key, size: object.Size ?? 0 };
        }
      }
    },
  };
}
