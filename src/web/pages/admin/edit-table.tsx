/**
 * A set edited as a table (routing rules, SLA policies, calendar days): add and remove rows, one
 * control per cell named by its column and row, errors at their cell. Below 640 px each row is a
 * card with its labels (the shared `table.responsive` style).
 */
import type { ComponentChildren, VNode } from 'preact';
import { cellKey, type CellErrors } from './row-errors.js';
import { w } from './words.js';

/** What a cell's control gets: its id, accessible name and error wiring. */
export type CellProps = { id: string; 'aria-label': string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string; name: string };

export type EditColumn<R> = {
  key: string; label: string; required?: boolean;
  /** Empty for the required check (default: the row's value at `key` is '' or missing). */
  empty?: (row: R) => boolean;
  control: (row: R, set: (patch: Partial<R>) => void, props: CellProps) => VNode;
};

export function EditTable<R>(props: {
  id: string; caption: string; columns: EditColumn<R>[]; rows: R[]; errors: CellErrors;
  onChange: (rows: R[]) => void; newRow: () => R; children?: ComponentChildren;
}) {
  const { id, columns, rows, errors, onChange } = props;
  const set = (i: number) => (patch: Partial<R>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const remove = (i: number) => onChange(rows.filter((_, j) => j !== i));
  return (
    <>
      {rows.length === 0 ? <p class="muted">{w('none')}</p> : null}
      <div class={`table-wrap edit-table${rows.length === 0 ? ' empty' : ''}`}>
        <table class="responsive">
          <caption class="sr-only">{props.caption}</caption>
          <thead><tr>
            <th scope="col">#</th>
            {columns.map((c) => <th scope="col" key={c.key}>{c.label}{c.required ? <span class="req" aria-hidden="true"> *</span> : null}</th>)}
            <th scope="col"><span class="sr-only">{w('actions')}</span></th>
          </tr></thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                <td data-label="#" class="row-no">{i + 1}</td>
                {columns.map((c) => {
                  const cellId = `${id}-${i}-${c.key}`;
                  const error = errors[cellKey(i, c.key)];
                  const cell: CellProps = {
                    id: cellId, name: c.key, 'aria-label': `${c.label}（${w('row', { n: i + 1 })}）`,
                    ...(error ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${cellId}-error` } : {}),
                  };
                  return (
                    <td key={c.key} data-label={c.label} class={error ? 'invalid' : ''}>
                      <div class="cell">
                        {c.control(row, set(i), cell)}
                        {error ? <div class="error" id={`${cellId}-error`} role="alert">{error}</div> : null}
                      </div>
                    </td>
                  );
                })}
                <td data-label={w('actions')}>
                  <button type="button" class="secondary small" aria-label={`${w('removeRow')} ${w('row', { n: i + 1 })}`} onClick={() => remove(i)}>{w('removeRow')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => onChange([...rows, props.newRow()])}>{w('addRow')}</button>
        {props.children}
      </div>
    </>
  );
}

const isBlank = (v: unknown) => v == null || (typeof v === 'string' && v.trim() === '');

/** The required cells left empty, before anything is sent (the API checks again). */
export function emptyCells<R>(rows: R[], columns: EditColumn<R>[]): CellErrors {
  const cells: CellErrors = {};
  rows.forEach((row, i) => {
    for (const c of columns) {
      if (!c.required) continue;
      const empty = c.empty ? c.empty(row) : isBlank((row as Record<string, unknown>)[c.key]);
      if (empty) cells[cellKey(i, c.key)] = w('required');
    }
  });
  return cells;
}

/** A select for an enumeration, with an empty first choice (`blank`: 请选择 or （任意）). */
export function SelectCell(props: CellProps & { value: string; options: [string, string][]; blank: string; onPick: (value: string) => void }) {
  const { value, options, blank, onPick, ...cell } = props;
  return (
    <select {...cell} value={value} onChange={(e) => onPick(e.currentTarget.value)}>
      <option value="">{blank}</option>
      {options.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
    </select>
  );
}

/** A text cell; `list` names a <datalist> of suggestions (known areas). */
export function TextCell(props: CellProps & { value: string; onText: (value: string) => void; type?: 'text' | 'date'; inputMode?: 'numeric'; list?: string }) {
  const { value, onText, type = 'text', inputMode, list, ...cell } = props;
  return <input {...cell} type={type as 'text'} inputMode={inputMode} list={list} value={value} onInput={(e) => onText(e.currentTarget.value)} />;
}
