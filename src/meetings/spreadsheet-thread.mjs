// @ts-check
/**
 * The thread that renders an xlsx (exceljs's streaming writer): the export reads and shapes the
 * rows on the main thread and hands them here in batches; the file's bytes come back as chunks. So
 * the two halves of a large export run on two cores, and the API's event loop is not held by the
 * spreadsheet's XML (100,000 cases: ~3 s of exceljs). The main side is `spreadsheet.ts`.
 *
 * JavaScript, checked by `npm run typecheck` (the JSDoc types are spreadsheet.ts's): a thread does
 * not inherit the process's `--import tsx` (tsx issue #354), and registering tsx in it would cost
 * ~28 MB (tsx and its loader thread) and ~0.3 s every export.
 */
import { parentPort } from 'node:worker_threads';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

/** @typedef {import('./spreadsheet.js').ToThread} ToThread */
/** @typedef {import('./spreadsheet.js').FromThread} FromThread */
/** @typedef {import('./spreadsheet.js').Cell} Cell */

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
/** @param {FromThread} message @param {ArrayBuffer[]} [transfer] */
const post = (message, transfer = []) => port.postMessage(message, transfer);

const bytes = new Writable({
  write(chunk, _encoding, done) {
    // A copy the thread gives away: exceljs may reuse the buffer it handed over.
    const owned = new Uint8Array(chunk);
    post({ type: 'chunk', chunk: owned }, [owned.buffer]);
    done();
  },
});
const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: bytes, useStyles: false, useSharedStrings: false });
/** @type {ExcelJS.Worksheet | null} */
let sheet = null;

/** The sheet's XML not yet compressed, in bytes, above which a batch waits for the zip. */
const UNZIPPED = 1 << 18;

/**
 * Resolves once the zip has taken the current sheet's XML. exceljs's streaming writer hands the XML
 * on without backpressure (its StreamBuf ignores `write`'s answer): rows added faster than zlib
 * compresses pile up in the zip entry's PassThrough — ~80 MB of a 100,000-case export. So a batch
 * is acknowledged only when that buffer is under UNZIPPED bytes, which holds the main thread's
 * reading back (IN_FLIGHT). `stream.pipes` is exceljs's own (4.4.0, pinned); without it, no wait.
 */
async function zipCaughtUp() {
  const entry = /** @type {{ stream?: { pipes?: (import('node:stream').Writable & { _writableState?: { length: number } })[] } } | null} */ (
    /** @type {unknown} */ (sheet))?.stream?.pipes?.[0];
  if (!entry || (entry._writableState?.length ?? 0) <= UNZIPPED) return;
  await new Promise((resolve) => entry.once('drain', resolve));
}

/** @param {ToThread} message */
async function handle(message) {
  switch (message.type) {
    case 'sheet':
      sheet?.commit();
      sheet = workbook.addWorksheet(message.name);
      return;
    case 'rows':
      for (const row of /** @type {Cell[][]} */ (JSON.parse(message.rows))) sheet?.addRow(row).commit();
      await zipCaughtUp();
      post({ type: 'rendered' });
      return;
    case 'commit':
      sheet?.commit();
      await workbook.commit();
      if (!bytes.writableFinished) await new Promise((resolve) => bytes.once('finish', resolve));
      post({ type: 'done' });
  }
}

port.on('message', (/** @type {ToThread} */ message) => {
  handle(message).catch((error) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
