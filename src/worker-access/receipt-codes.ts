/**
 * The worker's receipt code (回执码): 6 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), handed over by the liaison at registration. Only its HMAC-SHA256 under a
 * server secret is stored on the case, so a leaked database does not reveal the codes (and,
 * without the secret, cannot be searched for them). For the idempotent replay of a registration
 * the code is kept sealed (AES-256-GCM, same secret) beside the idempotency key.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RECEIPT_CODE_LENGTH = 6;
export const RECEIPT_CODE_PATTERN = `^[${ALPHABET}${ALPHABET.toLowerCase()}]{${RECEIPT_CODE_LENGTH}}$`;

export interface ReceiptCodes {
  /** A fresh random code. */
  issue(): string;
  /** What the case row keeps. */
  digest(code: string): string;
  /** Constant-time: does `code` (any letter case) match the stored digest? */
  matches(code: string, storedDigest: string | null): boolean;
  seal(code: string): string;
  unseal(sealed: string): string;
}

export function createReceiptCodes(secret: string): ReceiptCodes {
  const macKey = createHmac('sha256', secret).update('receipt-code:mac').digest();
  const sealKey = createHmac('sha256', secret).update('receipt-code:seal').digest();
  const digest = (code: string) => createHmac('sha256', macKey).update(code.toUpperCase()).digest('hex');
  return {
    issue: () => Array.from({ length: RECEIPT_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    digest,
    matches(code, storedDigest) {
      // The same work whether or not there is a digest to compare with: timing tells nothing.
      const given = Buffer.from(digest(code), 'hex');
      const stored = storedDigest && /^[0-9a-f]{64}$/.test(storedDigest) ? Buffer.from(storedDigest, 'hex') : Buffer.alloc(32);
      return timingSafeEqual(given, stored) && storedDigest !== null;
    },
    seal(code) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    },
    unseal(sealed) {
      const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', sealKey, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}
