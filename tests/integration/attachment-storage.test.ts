/**
 * Attachments on both storage backends (a local folder; S3 via s3rver, the local S3 server from
 * npm): upload, list, download through the API; and never a partial write — a failed storage
 * leaves no row, a failed transaction leaves no file.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { PDF, photoWithGps, upload } from '../support/uploads.js';
import type { StorageConfig } from '../../src/storage/file-storage.js';

let s3: S3rver;
let s3Dir: string;
let localDir: string;
let s3Port: number;
const s3Config = (bucket: string): StorageConfig => ({
  kind: 's3', bucket, endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true,
});

beforeAll(async () => {
  s3Dir = await mkdtemp(path.join(os.tmpdir(), 's3rver-att-'));
  localDir = await mkdtemp(path.join(os.tmpdir(), 'attachments-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'evidence', configs: [] }] });
  s3Port = ((await s3.run()) as unknown as { port: number }).port;
});
afterAll(async () => {
  await s3?.close();
  await rm(s3Dir, { recursive: true, force: true });
  await rm(localDir, { recursive: true, force: true });
});

const filesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);

describe.each(['local', 's3'] as const)('attachments on the %s backend', (kind) => {
  let engine: TestEngine;
  let d: District;
  let sql: postgres.Sql;
  beforeAll(async () => {
    engine = await startTestEngine({ storage: kind === 'local' ? { kind, dir: localDir } : s3Config('evidence') });
    d = await aDistrict(engine.app);
    sql = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await engine?.close();
  });

  it('stores, lists and serves the cleaned photo and a PDF', async () => {
    const c = await aCase(d);
    const photo = await upload(engine.app, d.liaison.token, c.id, 'site.jpg', await photoWithGps(32));
    const pdf = await upload(engine.app, d.liaison.token, c.id, 'receipt.pdf', PDF);
    expect([photo.status, pdf.status]).toEqual([201, 201]);
    const list = await d.liaison.get(`/api/v1/cases/${c.id}/attachments`);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([photo.body.id, pdf.body.id]);

    const res = await engine.app.inject({ method: 'GET', url: `/api/v1/attachments/${photo.body.id}`, headers: { authorization: `Bearer ${d.liaison.token}` } });
    expect(res.statusCode).toBe(200);
    expect((await sharp(res.rawPayload).metadata()).exif).toBeUndefined();
    const back = await engine.app.inject({ method: 'GET', url: `/api/v1/attachments/${pdf.body.id}`, headers: { authorization: `Bearer ${d.liaison.token}` } });
    expect(back.rawPayload.equals(PDF)).toBe(true);

    const [row] = await sql`select storage_key from attachments where id = ${pdf.body.id}`;
    expect(row.storage_key).toBe(`attachments/${c.id}/${pdf.body.id}.pdf`);
    if (kind === 's3') expect(await filesUnder(s3Dir)).toEqual(expect.arrayContaining([expect.stringContaining(pdf.body.id)]));
    else expect(await filesUnder(localDir)).toEqual(expect.arrayContaining([`${pdf.body.id}.pdf`]));
  });

  it('a transaction that fails after the file was stored removes the file: no file without a row', async () => {
    const c = await aCase(d);
    await sql`create or replace function refuse_attachment() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`;
    await sql`create trigger refuse_attachment before insert on attachments for each row execute function refuse_attachment()`;
    try {
      const res = await upload(engine.app, d.liaison.token, c.id, 'x.pdf', PDF);
      expect(res.status).toBe(500);
    } finally {
      await sql`drop trigger refuse_attachment on attachments`;
    }
    const keys = kind === 's3' ? await filesUnder(s3Dir) : await filesUnder(localDir);
    expect(keys.join(' ')).not.toContain(c.id);
    expect(await sql`select 1 from attachments where case_id = ${c.id}`).toHaveLength(0);
    const events = (await d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['register']);
  });
});

describe('a storage that fails', () => {
  it('leaves no row and no event (the bucket does not exist)', async () => {
    const engine = await startTestEngine({ storage: s3Config('no-such-bucket') });
    try {
      const d = await aDistrict(engine.app);
      const c = await aCase(d);
      const res = await upload(engine.app, d.liaison.token, c.id, 'x.pdf', PDF);
      expect(res.status).toBe(500);
      expect((await d.liaison.get(`/api/v1/cases/${c.id}/attachments`)).body.items).toEqual([]);
      expect((await d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });
});
