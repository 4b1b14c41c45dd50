/**
 * The registration draft on this device (IndexedDB, so a photo fits): the form's values, the photo, the voice note,
 * the Idempotency-Key, and — after a submit whose answer never arrived — the exact body that was sent,
 * so the page can replay it and learn whether the case was registered.
 */
import { inStore } from '../../device/device-db.js';

export type DraftValues = Record<string, string>;
export type Draft = {
  key: string;
  values: DraftValues;
  photo: Blob | null;
  photoName: string | null;
  /** A voice note recorded on the form (audio/webm or audio/mp4), uploaded like the photo. */
  voice: Blob | null;
  voiceName: string | null;
  /** The body of a submit with no answer yet (the same key must be replayed with exactly this). */
  pending: Record<string, unknown> | null;
};

const ID = 'register';
const run = <T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest) => inStore<T>('drafts', mode, work);

/** Urgency and channel start on their usual values (visible); the choices that route a case start empty. */
export const emptyDraft = (): Draft => ({ key: crypto.randomUUID(), values: { urgency: 'normal', channel: 'station' }, photo: null, photoName: null, voice: null, voiceName: null, pending: null });

export async function loadDraft(): Promise<Draft> {
  const saved = await run<Draft | undefined>('readonly', (s) => s.get(ID)).catch(() => undefined);
  return saved ? { ...emptyDraft(), ...saved } : emptyDraft();
}
export const saveDraft = (draft: Draft) => run('readwrite', (s) => s.put(draft, ID)).catch(() => undefined);
export const clearDraft = () => run('readwrite', (s) => s.delete(ID)).catch(() => undefined);
