/**
 * Issue 19.7: uploads that never 500 — an image that does not decode is 415, a pixel bomb 413,
 * both naming the rule, nothing stored for either (no object, no row); and at most
 * RATE_LIMIT_UPLOADS_PER_MINUTE uploads per user (default 30), then 429 with Retry-After.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, client, type District } from '../support/builders.js';
import { PDF, multipart, upload } from '../support/uploads.js';
import { uniqueName } from '../support/test-database.js';
import { DEFAULT_SECURITY } from '../../src/config.js';

const storageDir = path.join(os.tmpdir(), uniqueName('uploads'));
let engine: TestEngine;
let d: District;

beforeAll(async () => {
  engine = await startTestEngine({
    storage: { kind: 'local', dir: storageDir },
    // The default upload limit (30); registrations out of the way.
    security: { ...DEFAULT_SECURITY, limits: { ...DEFAULT_SECURITY.limits, registrationsPerMinute: 1_000_000 } },
  });
  d = await aDistrict(engine.app);
});
afterAll(async () => {
  await engine?.close();
  rmSync(storageDir, { recursive: true, force: true });
});

/** A PNG whose header says `width`×`height`, with a few bytes of compressed body: 30000×30000 in under 100 bytes. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))), chunk('IEND', Buffer.alloc(0))]);
}

/** What the case has: its rows, and the objects under its storage folder. */
async function stored(caseId: string) {
  const rows = (await d.liaison.get(`/api/v1/cases/${caseId}/attachments`)).body.items;
  const folder = path.join(storageDir, 'attachments', caseId);
  return { rows, files: existsSync(folder) ? readdirSync(folder) : [] };
}

describe('images that cannot be processed', () => {
  it('a truncated JPEG is 415 naming the rule; nothing stored', async () => {
    const c = await aCase(d);
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: 'blue' } }).jpeg().toBuffer();
    const res = await upload(engine.app, d.liaison.token, c.id, 'cut.jpg', photo.subarray(0, Math.floor(photo.length / 2)));
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type', code: 'unsupported_media_type' });
    expect(res.body.message).toMatch(/^file: 图片已损坏或不完整.*the image cannot be decoded/);
    expect(await stored(c.id)).toEqual({ rows: [], files: [] });
  });

  it('a PNG whose header says 30000×30000 is 413 naming the pixel limit, without decoding it; nothing stored', async () => {
    const c = await aCase(d);
    const bomb = pngClaiming(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200);
    const started = Date.now();
    const res = await upload(engine.app, d.liaison.token, c.id, 'bomb.png', bomb);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'payload_too_large' });
    expect(res.body.message).toContain('images may be at most 50 megapixels, this one is 30000×30000');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await stored(c.id)).toEqual({ rows: [], files: [] });
    // A real image of that kind still goes through, and is stored once.
    const fine = await sharp({ create: { width: 32, height: 32, channels: 3, background: 'green' } }).png().toBuffer();
    expect((await upload(engine.app, d.liaison.token, c.id, 'fine.png', fine)).status).toBe(201);
    const after = await stored(c.id);
    expect([after.rows.length, after.files.length]).toEqual([1, 1]);
  });
});

describe('uploads per user', () => {
  it('the 31st upload within a minute is 429 with Retry-After, nothing stored for it; another user still uploads', async () => {
    const busy = client(engine.app, (await d.admin.post('/api/v1/users', { name: '上传联络员', orgId: d.orgs.branch, role: 'liaison' })).body.token);
    const c = await aCase(d);
    for (let i = 0; i < 30; i++) expect((await upload(engine.app, busy.token, c.id, `p${i}.pdf`, PDF)).status).toBe(201);
    const body = multipart('file', 'p30.pdf', PDF);
    const refused = await engine.app.inject({
      method: 'POST', url: `/api/v1/cases/${c.id}/attachments`, payload: body.payload,
      headers: { authorization: `Bearer ${busy.token}`, 'content-type': body.contentType },
    });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 429, code: 'rate_limited', message: expect.stringContaining('too many uploads') });
    const { rows, files } = await stored(c.id);
    expect([rows.length, files.length]).toEqual([30, 30]);
    expect((await upload(engine.app, d.liaison.token, c.id, 'other.pdf', PDF)).status).toBe(201);
  });

  it('declares 413, 415 and 429 on the upload operation', async () => {
    const doc = JSON.parse((await engine.app.inject({ method: 'GET', url: '/docs/json' })).body);
    const responses = doc.paths['/api/v1/cases/{id}/attachments'].post.responses;
    for (const status of ['413', '415', '429']) expect(responses[status]).toBeDefined();
  });
});
