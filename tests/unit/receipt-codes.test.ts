import { describe, expect, it } from 'vitest';
import { createReceiptCodes } from '../../src/worker-access/receipt-codes.js';

describe('receipt codes', () => {
  const codes = createReceiptCodes('a-server-secret-of-some-length');

  it('are 6 characters without look-alikes, matched in any letter case, and only by the same secret', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => codes.issue()));
    for (const code of seen) expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(seen.size).toBeGreaterThan(1990);
    const code = codes.issue();
    const digest = codes.digest(code);
    expect(codes.matches(code.toLowerCase(), digest)).toBe(true);
    expect(codes.matches(code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA', digest)).toBe(false);
    expect(codes.matches(code, null)).toBe(false);
    expect(createReceiptCodes('another-server-secret-entirely').matches(code, digest)).toBe(false);
  });

  it('seal and unseal for the idempotent replay; a tampered seal is refused', () => {
    const sealed = codes.seal('K7M2QX');
    expect(sealed).not.toContain('K7M2QX');
    expect(codes.unseal(sealed)).toBe('K7M2QX');
    const [iv, tag, body] = sealed.split('.');
    expect(() => codes.unseal([iv, tag, body.slice(0, -1) + (body.endsWith('A') ? 'B' : 'A')].join('.'))).toThrow();
  });
});
