/**
 * The registration draft on this device (IndexedDB, so a photo fits): the form's values, the photo,
 * the Idempotency-Key, and — after a submit whose answer never arrived — the exact body that was sent,
 * so the page can replay it and learn whether the case was registered.
 */
export type DraftValues = Record<string, string>;
export type Draft = {
  key: string;
  values: DraftValues;
  photo: Blob | null;
  photoName: string | null;
  /** The body of a submit with no answer yet (the same key must be replayed with exactly this). */
  pending: Record<string, unknown> | null;
};

const DB = 'grievance-engine';
const STORE = 'drafts';
const ID = 'register';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** Urgency and channel start on their usual values (visible); the choices that route a case start empty. */
export const emptyDraft = (): Draft => ({ key: crypto.randomUUID(), values: { urgency: 'normal', channel: 'station' }, photo: null, photoName: null, pending: null });

export async function loadDraft(): Promise<Draft> {
  const saved = await run<Draft | undefined>('readonly', (s) => s.get(ID)).catch(() => undefined);
  return saved ?? emptyDraft();
}
export const saveDraft = (draft: Draft) => run('readwrite', (s) => s.put(draft, ID)).catch(() => undefined);
export const clearDraft = () => run('readwrite', (s) => s.delete(ID)).catch(() => undefined);
