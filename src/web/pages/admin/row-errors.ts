/**
 * Errors of a whole-set save (PUT of an array) placed at their row and column: the API names the
 * field as `body.3.amount` (validation) or `body[3].toOrgId` (rules); nested objects name their
 * parent column (`body.3.maxPause.amount` → row 3, `maxPause`).
 */
import { ApiError } from '../../api/client.js';
import { errorText } from '../../components/errors.js';
import { language, tError } from '../../i18n.js';
import { w } from './words.js';

export type CellErrors = Record<string, string>; // `${row}:${column}` → text
export type TableErrors = { cells: CellErrors; form: string | null };
export const noTableErrors: TableErrors = { cells: {}, form: null };
export const cellKey = (row: number, column: string) => `${row}:${column}`;

/** `body.3.amount` / `body[3].toOrgId` / `body.categories.2.code` → [3, ['amount']] (prefix names the array inside the body). */
export function rowOf(field: string | undefined, prefix = 'body'): [number, string[]] | null {
  if (!field) return null;
  const path = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  const base = prefix.split('.');
  if (base.some((part, i) => path[i] !== part)) return null;
  const index = Number(path[base.length]);
  if (!Number.isInteger(index)) return null;
  return [index, path.slice(base.length + 1)];
}

/** The error's sentence in the page's language (ajv's English limits like "must be >= 1" get words). */
export function cellText(error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(error);
  const own = errorText(error);
  if (/[\u4e00-\u9fff]/.test(own) || language.value === 'en') return own;
  const limit = /must be ([<>]=?) (\d+)/.exec(error.body.message);
  if (limit) return `${tError('field_invalid')}（须${limit[1].startsWith('>') ? '不小于' : '不大于'} ${limit[2]}）`;
  const length = /must NOT have (more|fewer) than (\d+) (characters|items)/.exec(error.body.message);
  if (length) return `${tError('field_invalid')}（${length[1] === 'more' ? '最多' : '至少'} ${length[2]} ${length[3] === 'items' ? '项' : '个字'}）`;
  return tError(error.code) ?? own;
}

/** Puts a save's error at its cell when the table has that column, else above the table. */
export function tableErrors(error: unknown, columns: string[], prefix = 'body', columnOf = (rest: string[]) => rest[0] ?? ''): TableErrors {
  const at = error instanceof ApiError ? rowOf(error.field, prefix) : null;
  const column = at ? columnOf(at[1]) : '';
  if (at && columns.includes(column)) return { cells: { [cellKey(at[0], column)]: cellText(error) }, form: null };
  return { cells: {}, form: at ? `${w('row', { n: at[0] + 1 })}：${cellText(error)}` : cellText(error) };
}
