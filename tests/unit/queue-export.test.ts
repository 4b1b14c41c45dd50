/** The queue's CSV (src/web/pages/queue/queue-export.ts): Excel opens it as UTF-8, and no cell runs as a formula. */
import { describe, expect, it } from 'vitest';
import { csvOf } from '../../src/web/pages/queue/queue-export.js';

describe('csvOf', () => {
  it('starts with a BOM, ends lines with CRLF, quotes what needs quoting, and keeps formulas as text', () => {
    const csv = csvOf(['编号', '摘要'], [['SQ-2026-000001', '扣款 "50 元", 未说明'], ['SQ-2026-000002', '=HYPERLINK("x")'], ['SQ-2026-000003', '第一行\n第二行']]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '编号,摘要', 'SQ-2026-000001,"扣款 ""50 元"", 未说明"', `SQ-2026-000002,"'=HYPERLINK(""x"")"`, 'SQ-2026-000003,"第一行\n第二行"', '',
    ]);
  });
});
