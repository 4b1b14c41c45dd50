/**
 * This device's IndexedDB: the registration draft (`drafts`) and the PIN-locked sign-in token
 * (`device`). One database, opened at one version by everything that keeps something on the phone.
 */
const DB = 'grievance-engine';
export type DeviceStore = 'drafts' | 'device';
const STORES = ['drafts', 'device'] as const satisfies readonly DeviceStore[];

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 2);
    request.onupgradeneeded = () => {
      for (const name of STORES) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** One request in its own transaction; the database is closed after it. */
export async function inStore<T>(store: DeviceStore, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(store, mode).objectStore(store));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}
