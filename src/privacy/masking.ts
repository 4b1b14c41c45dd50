/**
 * Masking of personal data (PIPL) for every role that does not need it in full: a mainland mobile
 * shows as 138****1234, any other number keeps at most its last 4 digits, and phone and 18-digit
 * ID numbers written into free text (descriptions, resolutions, comments, answers) are masked the
 * same way.
 */

const MOBILE = /^(?:86)?(1[3-9]\d)(\d{4})(\d{4})$/;

/** A number of any form (digits with spaces, hyphens, a +86 prefix) as the caller may see it. */
function maskDigits(raw: string): string {
  const digits = raw.replace(/[^0-9Xx]/g, '');
  const mobile = MOBILE.exec(digits);
  if (mobile) return `${mobile[1]}****${mobile[3]}`;
  // Short numbers keep fewer digits, so that at least three stay hidden.
  const keep = Math.max(0, Math.min(4, digits.length - 3));
  return '*'.repeat(digits.length - keep) + digits.slice(digits.length - keep);
}

export function maskPhone(phone: string | null): string | null {
  return phone ? maskDigits(phone) : null;
}

export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/**
 * Numbers that identify a person inside free text. Not preceded or followed by another digit:
 * an 18-digit ID number (last character may be X); a mobile, with or without +86 and separators;
 * a landline with its area code (010-62345678); a local number written 123-4567 or 1234-5678;
 * and any other run of 7 or more digits. Dates and amounts (2026-11-05, 1200) stay readable, and so
 * do digits glued to letters or hyphens (ids, case references such as SQ-2026-1234567).
 */
const IN_TEXT = new RegExp([
  String.raw`\d{17}[\dXx](?![\dXx])`,
  String.raw`(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}`,
  String.raw`0\d{2,3}[- ]\d{7,8}`,
  String.raw`\d{3,4}-\d{4}`,
  String.raw`\d{7,}`,
].map((p) => `(?<![\\dA-Za-z+-])${p}(?![\\dA-Za-z-])`).join('|'), 'g');

export function maskFreeText(text: string): string;
export function maskFreeText(text: string | null): string | null;
export function maskFreeText(text: string | null): string | null {
  return text === null ? null : text.replace(IN_TEXT, maskDigits);
}

/** Every string inside an event's data, masked (the free text of comments, answers, reasons). */
export function maskStrings(value: unknown): unknown {
  if (typeof value === 'string') return maskFreeText(value);
  if (Array.isArray(value)) return value.map(maskStrings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v)]));
  }
  return value;
}
