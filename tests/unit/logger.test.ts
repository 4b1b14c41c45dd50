import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
    ]) log.info({ req: { method: 'GET', url } }, 'request');
    expect(text).not.toMatch(/Tok3n|K7PQ2M|4321|%E5%BC%A0/);
    expect(text).toContain('/api/v1/public/feedback/***');
    expect(text).toContain('/feedback/***?lang=en');
    expect(text).toContain('GR-2026-000001?code=***');
  });
});
