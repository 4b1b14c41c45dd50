/**
 * Evidence attachments (issue 10.2): type told by the bytes, image metadata (EXIF, GPS) gone,
 * size limits per kind naming the limit, the case's scope (404 outside it), an `attachment_added`
 * event with no personal data, downloads through the API only.
 */
import { createHash } from 'node:crypto';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCase, districtPerFile } from '../support/builders.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { AMR, EXE, HEIC, MP3, PDF, hasGpsIfd, noisyPng, photoWithGps, upload } from '../support/uploads.js';
import { serveHttp } from '../../src/http/serve.js';
import type { App } from '../../src/http/app.js';

const file = districtPerFile();
const download = async (token: string, id: string) => {
  const res = await file.engine.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, bytes: res.rawPayload, headers: res.headers };
};

describe('uploading evidence', () => {
  it('strips EXIF and GPS from a photo, records an attachment_added event without the name, serves it back', async () => {
    const { d, engine } = file;
    const c = await aCase(d);
    const original = await photoWithGps();
    expect(hasGpsIfd((await sharp(original).metadata()).exif!)).toBe(true);

    const res = await upload(engine.app, d.liaison.token, c.id, '张三 13812341234 现场.jpg', original);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ contentType: 'image/jpeg', name: '张三 138****1234 现场.jpg' });

    const got = await download(d.liaison.token, res.body.id);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(String(got.headers['content-disposition'])).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
    const meta = await sharp(got.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(16);
    expect(got.bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
    expect(got.bytes.length).toBe(res.body.size);

    const events = (await d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    const added = events.find((e: { action: string }) => e.action === 'attachment_added');
    expect(added.data).toMatchObject({ attachmentId: res.body.id, contentType: 'image/jpeg', size: res.body.size, sha256: createHash('sha256').update(got.bytes).digest('hex') });
    // The name is personal: the liaison who sees contacts reads it; a masked caller sees only its extension, the export only its keyed digest.
    expect(added.data.name).toMatch(/现场\.jpg$/);
    const masked = (await d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items.find((e: { action: string }) => e.action === 'attachment_added');
    expect(masked.data.name).toBe('***.jpg');
    expect(JSON.stringify(masked.data)).not.toMatch(/张三|1381234/);
    expect(added.toState).toBe(c.state);
    // The attachment does not make the holder's If-Match stale.
    expect((await d.liaison.get(`/api/v1/cases/${c.id}`)).body.version).toBe(c.version);
    expect((await d.admin.get(`/api/v1/audit/verify?caseId=${c.id}`)).body.ok).toBe(true);
  });

  it('tells the type by the bytes: an .exe named .jpg is refused (415), a PDF and voice notes are accepted', async () => {
    const { d, engine } = file;
    const c = await aCase(d);
    const exe = await upload(engine.app, d.liaison.token, c.id, 'photo.jpg', EXE);
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('unsupported_media_type');
    expect(exe.body.message).toContain('application/x-msdownload');

    const heic = await upload(engine.app, d.liaison.token, c.id, 'IMG_0001.HEIC', HEIC);
    expect(heic.status).toBe(415);
    expect(heic.body.message).toContain('JPEG');

    const pdf = await upload(engine.app, d.liaison.token, c.id, 'contract.png', PDF);
    expect(pdf.body).toMatchObject({ contentType: 'application/pdf', name: 'contract.pdf' });
    expect((await upload(engine.app, d.liaison.token, c.id, 'voice.bin', MP3)).body.contentType).toBe('audio/mpeg');
    expect((await upload(engine.app, d.liaison.token, c.id, 'voice.amr', AMR)).body.contentType).toBe('audio/amr');
    const list = await d.liaison.get(`/api/v1/cases/${c.id}/attachments`);
    expect(list.body.items.map((a: { contentType: string }) => a.contentType)).toEqual(['application/pdf', 'audio/mpeg', 'audio/amr']);
  });

  it('refuses a body without the `file` field (400), nothing stored', async () => {
    const { d, engine } = file;
    const c = await aCase(d);
    expect((await upload(engine.app, d.liaison.token, c.id, 'a.pdf', PDF, 'other')).status).toBe(400);
    const json = await d.liaison.post(`/api/v1/cases/${c.id}/attachments`, { file: 'x' });
    expect([400, 415]).toContain(json.status);
    expect((await d.liaison.get(`/api/v1/cases/${c.id}/attachments`)).body.items).toEqual([]);
  });
});

describe('size limits per kind', () => {
  let small: App;
  beforeAll(async () => {
    small = await serveHttp(file.engine.runtime, {
      adminToken: ADMIN_TOKEN, logger: pino({ level: 'silent' }),
      attachmentLimits: { imageBytes: 20_000, documentBytes: 20_000, audioBytes: 60_000 },
    });
  });
  afterAll(async () => small?.close());

  it('an image over the image limit is 413 naming it; audio of that size passes; over every limit stops reading', async () => {
    const { d } = file;
    const c = await aCase(d);
    const big = await upload(small, d.liaison.token, c.id, 'big.png', await noisyPng(100)); // ~30 KB
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/图片不能超过 0\.0?2 MB|images may be at most/);
    expect(big.body.code).toBe('payload_too_large');
    const voice = await upload(small, d.liaison.token, c.id, 'v.mp3', Buffer.concat([MP3, Buffer.alloc(30_000)]));
    expect(voice.status).toBe(201);
    const huge = await upload(small, d.liaison.token, c.id, 'v.mp3', Buffer.concat([MP3, Buffer.alloc(100_000)]));
    expect(huge.status).toBe(413);
    expect((await d.liaison.get(`/api/v1/cases/${c.id}/attachments`)).body.items).toHaveLength(1);
  });
});

describe('the case\'s scope', () => {
  it('outside it every attachment route answers 404; a convener reads but does not upload (403)', async () => {
    const { d, engine } = file;
    const c = await aCase(d, [['liaison', { action: 'forward' }]]);
    const ok = await upload(engine.app, d.meituan.token, c.id, 'screenshot.png', await noisyPng(8));
    expect(ok.status).toBe(201);

    expect((await upload(engine.app, d.otherLiaison.token, c.id, 'x.pdf', PDF)).status).toBe(404);
    expect((await d.otherLiaison.get(`/api/v1/cases/${c.id}/attachments`)).status).toBe(404);
    const outside = await download(d.eleme.token, ok.body.id);
    expect(outside.status).toBe(404);
    expect((await download(d.eleme.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);

    expect((await download(d.convener.token, ok.body.id)).status).toBe(200);
    expect((await upload(engine.app, d.convener.token, c.id, 'x.pdf', PDF)).status).toBe(403);
    expect((await download(d.liaison.token, ok.body.id)).status).toBe(200);
  });
});
