/**
 * "Stay signed in on this phone": the sign-in token kept in IndexedDB, never in clear. A key is
 * derived from the liaison's 4–6 digit PIN (PBKDF2-SHA-256, 210 000 iterations, a random salt) and
 * only the AES-GCM-encrypted token is kept, with a count of wrong PINs beside it: the fifth wrong
 * PIN deletes it (the token must then be given again). The PIN itself is never stored.
 */
import { signal } from '../store.js';
import type { Session } from '../session.js';
import { inStore } from './device-db.js';

export const PIN_PATTERN = /^[0-9]{4,6}$/;
export const MAX_WRONG_PINS = 5;
const ITERATIONS = 210_000;
const ID = 'token';

type Kept = { salt: Uint8Array; iv: Uint8Array; sealed: ArrayBuffer; wrong: number };
type Opened = { token: string; session: Session | null };
export type Unlock = Opened | { wrongLeft: number } | { forgotten: true };

const read = () => inStore<Kept | undefined>('device', 'readonly', (s) => s.get(ID)).catch(() => undefined);
const write = (kept: Kept) => inStore('device', 'readwrite', (s) => s.put(kept, ID));

/** Whether this device keeps a locked token (known after the first look; null until then). */
export const deviceKept = signal<boolean | null>(null);
void read().then((kept) => { deviceKept.value = kept !== undefined; });

async function keyFrom(pin: string, salt: Uint8Array): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: ITERATIONS },
    material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** Locks the token (and the session) under a new PIN on this device, replacing any kept one. */
export async function keepToken(token: string, pin: string, session: Session | null): Promise<void> {
  if (!PIN_PATTERN.test(pin)) throw new Error('PIN: 4–6 digits');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyFrom(pin, salt), new TextEncoder().encode(JSON.stringify({ token, session } satisfies Opened)));
  await write({ salt, iv, sealed, wrong: 0 });
  deviceKept.value = true;
}

/** The kept token for the right PIN; a wrong one counts, and the fifth forgets the token. */
export async function unlockToken(pin: string): Promise<Unlock> {
  const kept = await read();
  if (!kept) { deviceKept.value = false; return { forgotten: true }; }
  try {
    const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: kept.iv as BufferSource }, await keyFrom(pin, kept.salt), kept.sealed);
    if (kept.wrong) await write({ ...kept, wrong: 0 });
    return JSON.parse(new TextDecoder().decode(opened)) as Opened;
  } catch {
    const wrong = kept.wrong + 1;
    if (wrong >= MAX_WRONG_PINS) { await forgetDevice(); return { forgotten: true }; }
    await write({ ...kept, wrong });
    return { wrongLeft: MAX_WRONG_PINS - wrong };
  }
}

/** "Forget this device": the locked token goes. */
export async function forgetDevice(): Promise<void> {
  await inStore('device', 'readwrite', (s) => s.delete(ID)).catch(() => undefined);
  deviceKept.value = false;
}

/** A phone (a coarse pointer or a narrow screen): where staying signed in behind a PIN is offered. */
export const onPhone = () => matchMedia('(pointer: coarse), (max-width: 700px)').matches;
