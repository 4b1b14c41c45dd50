import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

// src/meetings/spreadsheet-thread.mjs holds exceljs's rows back by the zip entry's buffer, which it
// reaches through exceljs's own fields: this fails when an upgrade moves them (the wait would stop).
describe("exceljs's streaming writer, as the spreadsheet thread reads it", () => {
  it('leaves rows added at once in the zip entry PassThrough, reached by sheet.stream.pipes[0]', async () => {
    let written = 0;
    const out = new Writable({ write(chunk: Buffer, _encoding, done) { written += chunk.length; done(); } });
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet('s');
    for (let i = 0; i < 5_000; i++) sheet.addRow([`案件 ${i}`, 'x'.repeat(40), i]).commit();
    const entry = (sheet as unknown as { stream: { pipes: (Writable & { _writableState: { length: number } })[] } }).stream.pipes[0];
    expect(entry._writableState.length).toBeGreaterThan(1 << 18);
    await new Promise((resolve) => entry.once('drain', resolve));
    expect(entry._writableState.length).toBe(0);
    sheet.commit();
    await workbook.commit();
    expect(written).toBeGreaterThan(0);
  });
});
