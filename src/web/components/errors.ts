/** An API error in words people read, at the field it names (API.md's `code` and `field`). */
import { ApiError } from '../api/client.js';
import { ENUMS, half, isAction, isState, language, pairIn, t, tAction, tEnum, tError, tField, tState } from '../i18n.js';

export type FormErrors = { fields: Record<string, string>; form: string | null };
export const noErrors: FormErrors = { fields: {}, form: null };

/** `body.worker.phone` → `phone`: the name of the control that shows it. */
export const fieldName = (path: string | undefined) => path?.split('.').filter((p) => !['body', 'querystring', 'params', 'headers'].includes(p)).pop();

/** Codes inside a server sentence become names: `return` → 退回, `handed_off` → 已移交主管部门待受理, `working_days` → 个工作日. */
export function nameCodes(text: string): string {
  const name = (word: string) =>
    isState(word) ? tState(word) : isAction(word) ? tAction(word) : pairIn<string>(ENUMS.unit, word) ? tEnum('unit', word)
      : pairIn<string>(ENUMS.step, word) ? tEnum('step', word) : null;
  // Chinese sentences hold codes bare; English ones quote them ('return'), and their other words stay.
  if (language.value === 'en') return text.replace(/'([a-z]+(?:_[a-z]+)*)'/g, (quoted, word: string) => name(word) ?? quoted);
  return text.replace(/\b[a-z]+(?:_[a-z]+)*\b/g, (word) => name(word) ?? word);
}

/** The sentence for one error, without the field's name (the field's label says it). */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return tError('internal')!;
  if (error.offline) return tError('offline')!;
  const { code, field, message } = error.body;
  if (code === 'field_required' || code === 'field_unknown') return tError(code)!;
  const own = half(message);
  const path = field ? [field, fieldName(field) ?? ''].find((f) => f && own.startsWith(f)) : undefined;
  const rest = path ? own.slice(path.length).replace(/^[:：]?\s*/, '') : own;
  if (['version_stale', 'feedback_link_used', 'feedback_link_expired', 'feedback_already_recorded', 'not_found', 'forbidden', 'unauthorized', 'rate_limited', 'internal', 'unavailable', 'payload_too_large', 'unsupported_media_type'].includes(code)) return tError(code)!;
  return nameCodes(rest) || tError(code) || own;
}

/** Places an error at its field when the form has that field, else at the top of the form (naming the field). */
export function formErrors(error: unknown, fieldsInForm: string[]): FormErrors {
  const text = errorText(error);
  const name = error instanceof ApiError ? fieldName(error.field) : undefined;
  if (name && fieldsInForm.includes(name)) return { fields: { [name]: text }, form: null };
  return { fields: {}, form: name ? `${tField(name)}：${text}` : text };
}

/** Required fields left empty, checked before sending (the API checks again). */
export function missingFields(values: Record<string, unknown>, required: string[]): FormErrors | null {
  const fields: Record<string, string> = {};
  for (const name of required) {
    const v = values[name];
    if (v == null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)) fields[name] = t('required');
  }
  return Object.keys(fields).length ? { fields, form: null } : null;
}
