/** A table on a wide screen; below 640 px each row becomes a card with its labels (CSS, data-label). */
import type { ComponentChildren } from 'preact';
import { t } from '../i18n.js';

export type Column<T> = { label: string; cell: (row: T) => ComponentChildren; primary?: boolean };

export function DataTable<T>(props: { columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; rowClass?: (row: T) => string; caption?: string }) {
  if (props.rows.length === 0) return <p class="muted">{t('none')}</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        {props.caption ? <caption class="sr-only">{props.caption}</caption> : null}
        <thead><tr>{props.columns.map((c) => <th scope="col" key={c.label}>{c.label}</th>)}</tr></thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} class={props.rowClass?.(row) ?? ''}>
              {props.columns.map((c) => <td key={c.label} data-label={c.label} class={c.primary ? 'primary' : ''}>{c.cell(row)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
