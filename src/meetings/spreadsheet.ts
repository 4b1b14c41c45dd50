/**
 * An xlsx written by a thread of its own (spreadsheet-thread.mjs): sheets and rows go in from here,
 * the file's bytes come out into `out`. At most `IN_FLIGHT` batches of rows wait for the thread, and
 * none is sent while `out` is full, so a slow download holds the reading back instead of memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';

/** A cell's value; null leaves the cell out. */
export type Cell = string | number | null;
/** Rows go as one JSON text a batch: cheaper to pass than the arrays themselves (structured clone). */
export type ToThread = { type: 'sheet'; name: string } | { type: 'rows'; rows: string } | { type: 'commit' };
export type FromThread = { type: 'chunk'; chunk: Uint8Array } | { type: 'rendered' } | { type: 'done' } | { type: 'failed'; message: string };

const IN_FLIGHT = 4;

export interface Spreadsheet {
  /** Starts a sheet; the rows added next go in it. */
  sheet(name: string): void;
  /** Adds rows to the current sheet; resolves when more may be sent. */
  rows(rows: Cell[][]): Promise<void>;
  /** Finishes the file: resolves once `out` has all of it (and is ended). */
  commit(): Promise<void>;
  /** Stops the thread without finishing the file (the export failed). */
  abort(): Promise<void>;
}

export function openSpreadsheet(out: Writable): Spreadsheet {
  // Without the process's flags (`--import tsx`, the worker's `--max-semi-space-size=4`): the thread is JavaScript.
  // A small young generation: exceljs's garbage is short-lived (100,000 cases: ~25 MB less at peak, ~0.2 s slower).
  const thread = new Worker(new URL('./spreadsheet-thread.mjs', import.meta.url), { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  let inFlight = 0;
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const settle = () => { const w = wake; wake = null; w?.(); };
  const fail = (error: Error) => { failure ??= error; void thread.terminate(); };
  thread.on('message', (message: FromThread) => {
    if (message.type === 'chunk') { if (!out.destroyed) out.write(message.chunk); }
    else if (message.type === 'rendered') inFlight--;
    else if (message.type === 'done') finished = true;
    else fail(new Error(`xlsx: ${message.message}`));
    settle();
  });
  thread.on('error', (error) => { fail(error); settle(); });
  thread.on('exit', (code) => { if (!finished) failure ??= new Error(`xlsx: the spreadsheet thread exited with ${code}`); settle(); });
  const waitUntil = async (ready: () => boolean) => {
    for (;;) {
      if (failure) throw failure;
      if (ready()) return;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  };
  const send = (message: ToThread) => thread.postMessage(message);
  return {
    sheet: (name) => send({ type: 'sheet', name }),
    async rows(rows) {
      send({ type: 'rows', rows: JSON.stringify(rows) });
      inFlight++;
      await waitUntil(() => inFlight < IN_FLIGHT);
      await drained(out);
    },
    async commit() {
      send({ type: 'commit' });
      try {
        await waitUntil(() => finished);
        out.end();
        if (!out.writableFinished) await once(out, 'finish');
      } finally {
        await thread.terminate();
      }
    },
    async abort() {
      await thread.terminate();
    },
  };
}

/** Resolves when `out` takes more; fails if it was closed meanwhile (the download went away). Every export format waits with it. */
export function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off('drain', done).off('close', done);
      if (out.destroyed) reject(new Error('export: the download was closed'));
      else resolve();
    };
    out.on('drain', done).on('close', done);
  });
}
