/**
 * A configuration set that is read with GET and replaced as a whole with PUT (routing rules, SLA
 * policies, calendar corrections): edited as a table, required cells checked before sending, the
 * server's refusal shown at its row and column.
 */
import { useEffect, useState } from 'preact/hooks';
import { FormError } from '../../components/field.js';
import { Loading, useLoad } from '../../components/load.js';
import { toast } from '../../components/toast.js';
import { EditTable, emptyCells, type EditColumn } from './edit-table.js';
import { noTableErrors, tableErrors, type TableErrors } from './row-errors.js';
import { w } from './words.js';

export type SetSpec<R, A> = {
  id: string; caption: string; columns: EditColumn<R>[]; newRow: () => R;
  load: () => Promise<A[]>; save: (items: A[]) => Promise<A[]>;
  toRow: (item: A) => R; fromRow: (row: R) => A;
  /** The column a refused field belongs to (`['match', 'platform']` → `platform`). */
  columnOf?: (rest: string[]) => string;
  /** After a successful save (e.g. to reload what depends on the set). */
  onSaved?: () => void;
};

export function SetEditor<R, A>(props: { spec: SetSpec<R, A> }) {
  const loaded = useLoad(props.spec.load, []);
  return <Loading loaded={loaded}>{(items) => <Editor spec={props.spec} items={items} onReload={loaded.reload} />}</Loading>;
}

function Editor<R, A>(props: { spec: SetSpec<R, A>; items: A[]; onReload: () => void }) {
  const { spec } = props;
  const [rows, setRows] = useState(() => props.items.map(spec.toRow));
  const [errors, setErrors] = useState<TableErrors>(noTableErrors);
  const [busy, setBusy] = useState(false);
  useEffect(() => { setRows(props.items.map(spec.toRow)); setErrors(noTableErrors); }, [props.items]);
  const save = async (e: Event) => {
    e.preventDefault();
    const empty = emptyCells(rows, spec.columns);
    if (Object.keys(empty).length) return setErrors({ cells: empty, form: w('fixRows') });
    setBusy(true);
    try {
      const saved = await spec.save(rows.map(spec.fromRow));
      setRows(saved.map(spec.toRow));
      setErrors(noTableErrors);
      toast(w('saved'));
      spec.onSaved?.();
    } catch (error) {
      setErrors(tableErrors(error, spec.columns.map((c) => c.key), 'body', spec.columnOf));
    } finally { setBusy(false); }
  };
  return (
    <form onSubmit={save} noValidate class="set-editor">
      <FormError message={errors.form} />
      <EditTable id={spec.id} caption={spec.caption} columns={spec.columns} rows={rows} errors={errors.cells}
        onChange={(next) => { setRows(next); setErrors(noTableErrors); }} newRow={spec.newRow}>
        <button type="submit" disabled={busy}>{w('saveAll')}</button>
        <button type="button" class="secondary" onClick={props.onReload}>{w('reload')}</button>
      </EditTable>
    </form>
  );
}
