/**
 * Masking of personal data (PIPL) for every role that does not need it in full: a mainland mobile
 * shows as 138****1234, any other number keeps at most its last 4 digits, and phone and ID numbers
 * written into free text (descriptions, resolutions, comments, answers) are masked the same way in
 * every written form: fullwidth digits, digits apart by spaces, dots, slashes or dashes, a +86, 86
 * or 0086 prefix, after tel / 电话 / 手机号, with or without spaces around.
 */

const MOBILE = /^(?:(?:00)?86)?(1[3-9]\d)(\d{4})(\d{4})$/;

/**
 * Fullwidth forms (１３９, ＋, －, ／, ．, ｔｅｌ), the ideographic space, other dashes and middle dots,
 * read as their ASCII selves. One UTF-16 unit becomes one, so a match in the narrowed text has the
 * same position in the text as written.
 */
function narrow(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000\u00A0\u2010-\u2015\u2212\uFE63\u00B7\u30FB]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0xFF01) return String.fromCharCode(code - 0xFEE0);
    if (c === '\u3000' || c === '\u00A0') return ' ';
    return c === '\u00B7' || c === '\u30FB' ? '.' : '-';
  });
}

/** A number of any form (digits with spaces, hyphens, a +86 prefix) as the caller may see it. */
function maskDigits(raw: string): string {
  const digits = narrow(raw).replace(/[^0-9Xx]/g, '');
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

/** Between two digits of a written number: spaces, or a dot, slash or dash (one or two) with spaces around. */
const SEP = String.raw`(?: {0,2}[./-]{1,2} {0,2}| {1,2})`;
/** Digit classes in a row, each pair perhaps apart by a separator (139 1234 5678, 1 3 9 …, 110101-1990…). */
const written = (classes: string[]) => classes.join(`${SEP}?`);
const digits = (n: number) => Array<string>(n).fill(String.raw`\d`);
/** A birth date's shape (YYYYMMDD, or YYMMDD in a 15-digit ID): what tells an ID from dates written in a row. */
const BIRTH_8 = ['[12]', ...digits(3), '[01]', String.raw`\d`, '[0-3]', String.raw`\d`];
const BIRTH_6 = [...digits(2), '[01]', String.raw`\d`, '[0-3]', String.raw`\d`];

/** A number right after one of these words (tel13912345678, TEL: 139…, Phone-139…) counts as standing alone. */
const AFTER_WORD = String.raw`(?<=(?:tel|phone|mobile|cell)[.:-]? ?)`;
/**
 * Mobiles and ID numbers start after anything but a letter, a digit or a letter or digit and a hyphen
 * (so never inside a case reference such as SQ-2026-134567), and end before anything but a letter
 * or a digit; the other numbers stand apart from letters, digits, `+` and hyphens on both sides.
 */
interface Edges { start: string; end: string }
const PERSONAL: Edges = { start: String.raw`(?:(?<![\dA-Z])(?<![\dA-Z]-)|${AFTER_WORD})`, end: String.raw`(?![\dA-Z])` };
const OTHER: Edges = { start: String.raw`(?:(?<![\dA-Z+-])|${AFTER_WORD})`, end: String.raw`(?![\dA-Z-])` };

/**
 * Numbers that identify a person inside free text, in the text read narrow (fullwidth digits and
 * separators as ASCII):
 * an 18-digit ID number (last character may be X), or a 15-digit one, written with separators;
 * any 18 digits in a row; a mobile, with or without +86, 86 or 0086 and separators; a landline with
 * its area code (010-62345678); a local number written 123-4567 or 1234-5678; and any other run of
 * 7 or more digits. Dates and amounts (2026-11-05, 1200) stay readable, and so do digits glued to
 * letters or hyphens (ids, case references such as SQ-2026-000123).
 */
const IN_TEXT_FORMS: [Edges, string][] = [
  [PERSONAL, written([...digits(6), ...BIRTH_8, ...digits(3), String.raw`[\dX]`])],
  [PERSONAL, String.raw`\d{17}[\dX]`],
  [PERSONAL, String.raw`(?:\(?(?:\+|00)?86\)?${SEP}?)?` + written(['1', '[3-9]', ...digits(9)])],
  [PERSONAL, written([...digits(6), ...BIRTH_6, ...digits(3)])],
  [OTHER, String.raw`0\d{2,3}${SEP}\d{3,4}${SEP}?\d{4}`],
  [OTHER, String.raw`\d{3,4}-\d{4}`],
  [OTHER, String.raw`\d{7,}`],
];
const IN_TEXT = new RegExp(IN_TEXT_FORMS.map(([edges, form]) => `${edges.start}${form}${edges.end}`).join('|'), 'gi');

export function maskFreeText(text: string): string;
export function maskFreeText(text: string | null): string | null;
export function maskFreeText(text: string | null): string | null {
  if (text === null) return null;
  const read = narrow(text);
  let masked = '';
  let from = 0;
  for (const match of read.matchAll(IN_TEXT)) {
    masked += text.slice(from, match.index) + maskDigits(match[0]);
    from = match.index + match[0].length;
  }
  return masked + text.slice(from);
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
