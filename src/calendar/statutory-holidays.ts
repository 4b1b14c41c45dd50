/**
 * The statutory public holidays of a year (《全国年节及纪念日放假办法》, as amended for 2025), for a
 * year whose official schedule (with its make-up working days 调休) is not published yet. Lunar and
 * solar-term dates come from `chinese-days`; no date is typed by hand here.
 *   元旦 Jan 1 · 春节 eve + lunar 1/1–1/3 · 清明 the 清明 solar term · 劳动节 May 1–2 ·
 *   端午 lunar 5/5 · 中秋 lunar 8/15 · 国庆 Oct 1–3
 */
import chineseDays from 'chinese-days';

// The package's `main` is a UMD bundle: Node's ESM loader sees no named exports, only the default.
const { getSolarDateFromLunar, getSolarTermDate } = chineseDays;

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' shifted by `days` (pure date arithmetic in UTC, no time zone involved). */
function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The Gregorian day of a lunar month/day in the lunar year that starts in `year`. */
function lunar(year: number, month: number, day: number): string {
  return getSolarDateFromLunar(`${year}-${pad(month)}-${pad(day)}`).date;
}

/** The statutory holidays of `year`, sorted, as 'YYYY-MM-DD'. */
export function statutoryHolidays(year: number): string[] {
  const springFestival = lunar(year, 1, 1);
  const days = new Set([
    `${year}-01-01`,
    plusDays(springFestival, -1), springFestival, plusDays(springFestival, 1), plusDays(springFestival, 2),
    getSolarTermDate(year, 4, 'pure_brightness'),
    `${year}-05-01`, `${year}-05-02`,
    lunar(year, 5, 5),
    lunar(year, 8, 15),
    `${year}-10-01`, `${year}-10-02`, `${year}-10-03`,
  ]);
  return [...days].sort();
}
