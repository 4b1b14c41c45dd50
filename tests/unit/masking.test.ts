/**
 * Issue 19.6: free-text masking catches mobiles and ID numbers in every written form — fullwidth
 * digits, separators (space, dot, slash, dash; fullwidth and mixed), +86 / 86 / 0086, tel / 电话 /
 * 手机号 before them, inside Chinese text with no spaces around — and leaves ordinary numbers
 * (amounts, dates, short order numbers, case references) readable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskFreeText, maskPhone } from '../../src/privacy/masking.js';

const wide = (s: string) => s.replace(/[0-9Xx+\-./ ]/g, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xFEE0)));
/** The masked text read narrow, as a person reads ２ as 2. */
const narrow = (s: string) => s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0));

describe('masking in free text: the forms of issue 19', () => {
  const cases: [string, string][] = [
    ['１３９１２３４５６７８', '139****5678'],
    ['139.1234.5678', '139****5678'],
    ['139/1234/5678', '139****5678'],
    ['139-1234-5678', '139****5678'],
    ['139 1234 5678', '139****5678'],
    ['1 3 9 1 2 3 4 5 6 7 8', '139****5678'],
    ['139－1234／5678', '139****5678'],
    ['１３９．１２３４　５６７８', '139****5678'],
    ['139—1234·5678', '139****5678'],
    ['tel13912345678', 'tel139****5678'],
    ['tel:13912345678', 'tel:139****5678'],
    ['TEL 139 1234 5678', 'TEL 139****5678'],
    ['Tel：139-1234-5678', 'Tel：139****5678'],
    ['+8613912345678', '139****5678'],
    ['+86 139 1234 5678', '139****5678'],
    ['８６１３９１２３４５６７８', '139****5678'],
    ['0086-139-1234-5678', '139****5678'],
    ['(+86)139.1234.5678', '139****5678'],
    ['电话13912345678', '电话139****5678'],
    ['手机１３９１２３４５６７８', '手机139****5678'],
    ['手机号139/1234/5678', '手机号139****5678'],
    ['骑手说手机号是139 1234 5678请回电', '骑手说手机号是139****5678请回电'],
    ['联系方式——13912345678——谢谢', '联系方式——139****5678——谢谢'],
    ['身份证11010119900307123X', '身份证**************123X'],
    ['身份证号１１０１０１１９９００３０７１２３ｘ', '身份证号**************123x'],
    ['证件110101 19900307 123X已核对', '证件**************123X已核对'],
    ['110101-1990-0307-1234', '**************1234'],
    ['110101.19900307.123x', '**************123x'],
    ['老身份证110101900307123', '老身份证***********7123'],
    ['老身份证110101 900307 123', '老身份证***********7123'],
    ['座机 010 6234 5678', '座机 *******5678'],
  ];
  it.each(cases)('%s → %s', (written, shown) => {
    expect(maskFreeText(written)).toBe(shown);
  });

  it('a worker\'s phone given with 0086 shows as any mobile', () => {
    expect(maskPhone('0086 139 1234 5678')).toBe('139****5678');
  });

  it('keeps what the plain forms showed before', () => {
    expect(maskFreeText('骑手电话13912345678，身份证11010119900307123X，站点座机010-62345678，7月5日扣款1200元'))
      .toBe('骑手电话139****5678，身份证**************123X，站点座机*******5678，7月5日扣款1200元');
    expect(maskFreeText('已联系 138-1234-1234')).toBe('已联系 138****1234');
    expect(maskFreeText('本地电话6234567')).toBe('本地电话***4567');
    expect(maskPhone('+86 139 1234 5678')).toBe('139****5678');
    expect(maskPhone('123-4567')).toBe('***4567');
  });

  it('leaves ordinary numbers readable: amounts, dates, short order numbers, case references', () => {
    for (const text of [
      '扣款3000元', '罚款 1,200.50 元', '2026-12-01', '2026/12/01 至 2026/12/15', '2026.12.1-2026.12.15期间被扣款', '2026年12月1日 9:30',
      '订单MT20260037', '订单号 123456', '运单SF2026000123', 'SQ-2026-000123', 'SQ-2026-134567 12345元', '编号SQ-2026-000123，2026-12-01登记',
      '第 3 单 15 元', '139元', '100 200 300',
    ]) expect(maskFreeText(text), text).toBe(text);
    expect(maskFreeText('SQ-2026-000123 13912345678')).toBe('SQ-2026-000123 139****5678');
    expect(maskFreeText('2026-12-01 13912345678')).toBe('2026-12-01 139****5678');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: a number in any of the forms, inside random Chinese text, shows only what the mask allows.

const DIGIT = fc.constantFrom(...'0123456789');
const digitString = (n: number) => fc.array(DIGIT, { minLength: n, maxLength: n }).map((d) => d.join(''));
const chinese = fc.array(fc.integer({ min: 0x4E00, max: 0x9FA5 }).map((c) => String.fromCharCode(c)), { maxLength: 12 }).map((c) => c.join(''));
const mobile = fc.tuple(fc.constantFrom(...'3456789'), digitString(9)).map(([second, rest]) => `1${second}${rest}`);
const birthDate = fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));
const idNumber = fc.tuple(digitString(6), birthDate, digitString(3), fc.constantFrom(...'0123456789Xx')).map((p) => p.join(''));

const SEPARATORS = [' ', '.', '/', '-', '\u3000', '．', '／', '－', '—', ' - '];
/** The number written in groups (3-4-4, 6-8-4, one digit each), each gap its own separator. */
const separated = (groups: number[][]) => (n: string) => fc.tuple(fc.constantFrom(...groups), fc.array(fc.constantFrom(...SEPARATORS), { minLength: 18, maxLength: 18 }))
  .map(([sizes, seps]) => {
    const parts: string[] = [];
    let at = 0;
    for (const size of sizes) { parts.push(n.slice(at, at + size)); at += size; }
    return parts.map((p, i) => (i === 0 ? p : seps[i] + p)).join('');
  });
const written = (n: string, groups: number[][]) => fc.oneof(
  fc.constant(n), fc.constant(wide(n)), separated(groups)(n), separated(groups)(n).map(wide),
);

/** Prefixes that stay as written; +86 and its kind are part of the number and masked with it. */
const WORDS = ['', 'tel', 'tel:', 'TEL', 'Tel ', '电话', '手机', '手机号', '电话：'];
const COUNTRY = ['+86', '+86 ', '86', '0086', '(+86)', '＋８６'];

describe('masking in free text: properties', () => {
  it('a mobile in any form shows at most its first 3 and last 4 digits, and nothing else of it', () => {
    fc.assert(fc.property(
      mobile.chain((n) => fc.record({
        n: fc.constant(n), form: written(n, [[3, 4, 4], [3, 8], Array(11).fill(1)]),
        word: fc.constantFrom(...WORDS), country: fc.constantFrom('', ...COUNTRY), before: chinese, after: chinese,
      })),
      ({ n, form, word, country, before, after }) => {
        const out = maskFreeText(`${before}${word}${country}${form}${after}`);
        const shown = `${n.slice(0, 3)}****${n.slice(7)}`;
        expect(out).toBe(`${before}${word}${shown}${after}`);
        // Whatever the form, no other digit of the number is left around the mask.
        expect(narrow(out).replace(shown, '')).not.toMatch(/\d/);
      },
    ), { numRuns: 500 });
  });

  it('an 18-digit ID number in any form shows at most its last 4 characters', () => {
    fc.assert(fc.property(
      idNumber.chain((n) => fc.record({
        n: fc.constant(n), form: written(n, [[6, 8, 4], [6, 4, 4, 4], [6, 12], Array(18).fill(1)]),
        word: fc.constantFrom('', '身份证', '身份证号', '证件号码：'), before: chinese, after: chinese,
      })),
      ({ n, form, word, before, after }) => {
        const out = maskFreeText(`${before}${word}${form}${after}`);
        const shown = `${'*'.repeat(14)}${narrow(n).slice(14)}`;
        expect(out).toBe(`${before}${word}${shown}${after}`);
        expect(narrow(out).replace(shown, '')).not.toMatch(/\d/);
      },
    ), { numRuns: 500 });
  });

  it('a 15-digit old ID number, plain or separated, shows at most its last 4 digits', () => {
    const oldId = fc.tuple(digitString(6), birthDate.map((d) => d.slice(2)), digitString(3)).map((p) => p.join(''));
    fc.assert(fc.property(
      oldId.chain((n) => fc.record({ n: fc.constant(n), form: written(n, [[6, 6, 3], [6, 9]]), before: chinese, after: chinese })),
      ({ n, form, before, after }) => {
        expect(maskFreeText(`${before}${form}${after}`)).toBe(`${before}${'*'.repeat(11)}${n.slice(11)}${after}`);
      },
    ), { numRuns: 300 });
  });

  it('amounts, dates and case references in Chinese text stay as written', () => {
    const amount = fc.integer({ min: 1, max: 999_999 }).map((a) => `${a}元`);
    const date = birthDate.chain((d) => fc.constantFrom('-', '/', '.').map((s) => `${d.slice(0, 4)}${s}${d.slice(4, 6)}${s}${d.slice(6)}`));
    const reference = fc.tuple(fc.integer({ min: 2020, max: 2099 }), fc.integer({ min: 1, max: 999_999 }))
      .map(([y, n]) => `SQ-${y}-${String(n).padStart(6, '0')}`);
    // Words between the numbers: two numbers glued together are one longer number.
    const words = chinese.filter((w) => w.length > 0);
    fc.assert(fc.property(fc.array(fc.tuple(words, fc.oneof(amount, date, reference)), { minLength: 1, maxLength: 4 }), (parts) => {
      const text = parts.map(([before, number]) => `${before}${number}`).join('');
      expect(maskFreeText(text)).toBe(text);
    }), { numRuns: 500 });
  });
});
