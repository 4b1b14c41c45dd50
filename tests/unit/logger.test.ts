import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/http/error-handler.js';
import { createLogger } from '../../src/logger.js';

describe('request log lines', () => {
  it('never carry a one-time feedback token, a receipt code, a phone\'s last digits or a search term', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk) => { text += chunk; });
    const log = createLogger('info', out);
    for (const url of [
      '/api/v1/public/feedback/Tok3nT0k3nT0k3n-_abc', '/feedback/Tok3nT0k3nT0k3n-_abc?lang=en',
      '/api/v1/public/cases/GR-2026-000001?code=K7PQ2M', '/api/v1/public/cases/GR-2026-000001?phoneLast4=4321', '/api/v1/cases?q=%E5%BC%A0%E4%B8%89&limit=5',
      '/api/v1/cases/open-for-worker?phone=13812348765',
    ]) log.info({ req: { method: 'GET', url } }, 'request');
    expect(text).not.toMatch(/Tok3n|K7PQ2M|4321|%E5%BC%A0|8765/);
    expect(text).toContain('/api/v1/public/feedback/***');
    expect(text).toContain('/feedback/***?lang=en');
    expect(text).toContain('GR-2026-000001?code=***');
  });
});

describe('the unhandled error line', () => {
  it('masks the personal numbers an error quotes, in its message and its stack', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk) => { text += chunk; });
    const app = Fastify({ loggerInstance: createLogger('info', out) });
    app.setErrorHandler(errorHandler);
    app.get('/boom', async () => { throw new Error('invalid input syntax for type uuid: "电话１３９ １２３４ ５６７８ 身份证110101199003071234"'); });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'internal' });
    expect(text).toContain('unhandled error');
    expect(text).toContain('139****5678');
    expect(text).not.toMatch(/１２３４|11010119900307|1990030/);
  });
});

describe('every line that logs an error', () => {
  it('masks the numbers an error or its text quotes (the background loops log `err: String(err)`)', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk) => { text += chunk; });
    const log = createLogger('info', out);
    log.warn({ err: 'error: duplicate key (worker_phone)=(13912345678)' }, 'outbox failed');
    log.warn({ err: new Error('value 110101199003071234 refused') }, 'export failed');
    expect(text).toContain('139****5678');
    expect(text).not.toMatch(/13912345678|11010119900307/);
    expect(text).toContain('"type":"Error"');
  });
});
