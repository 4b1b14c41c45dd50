/**
 * readAhead (db/client.ts) over an iterator shaped like postgres.js's cursor: once the query has
 * ended, `next()` answers `{ done: true }` at once, not a promise (postgres/src/query.js). That
 * happens when the last batch arrives with the query's end; it used to fail the export
 * ("next.then is not a function") after every row was written.
 */
import { describe, expect, it } from 'vitest';
import { readAhead } from '../../db/client.js';

/** Batches whose end is known with the last one, as when Postgres sends the last rows and CommandComplete together. */
function cursorLike<T>(batches: T[]): AsyncIterable<T> & { closed: boolean } {
  let i = 0;
  const cursor = {
    closed: false,
    [Symbol.asyncIterator]: () => ({
      next: () => (i >= batches.length ? { done: true as const, value: undefined } : Promise.resolve({ done: false as const, value: batches[i++] })),
      return: () => { cursor.closed = true; return { done: true as const, value: undefined }; },
    }),
  };
  return cursor as unknown as AsyncIterable<T> & { closed: boolean };
}

describe('readAhead', () => {
  it('hands out every batch when the cursor says it is done without a promise', async () => {
    const seen: number[][] = [];
    for await (const batch of readAhead(cursorLike([[1, 2], [3]]))) seen.push(batch);
    expect(seen).toEqual([[1, 2], [3]]);
  });

  it('closes the cursor when the reader stops early, and the reader\'s error is the one that surfaces', async () => {
    const cursor = cursorLike([[1], [2], [3]]);
    const reading = (async () => {
      for await (const batch of readAhead(cursor)) if (batch[0] === 2) throw new Error('the download closed');
    })();
    await expect(reading).rejects.toThrow('the download closed');
    expect(cursor.closed).toBe(true);
  });
});
