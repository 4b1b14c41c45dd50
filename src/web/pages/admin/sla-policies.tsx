/** SLA policies as a table: step, category and urgency (blank = any), the time allowed, and the longest pause. */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { Loading, useLoad } from '../../components/load.js';
import { enumOptions, enumValues, tAmount, tEnum } from '../../i18n.js';
import { categoryName, session } from '../../session.js';
import { SelectCell, TextCell, type CellProps, type EditColumn } from './edit-table.js';
import { withCurrent } from './routing-rules.js';
import { SetEditor, type SetSpec } from './set-editor.js';
import { w } from './words.js';
import { POLICY_STEPS } from '../../../../workflows/case-rules.js';

type Duration = { amount: number; unit: string };
type Policy = { step: string; category?: string; urgency?: string; amount: number; unit: string; maxPause?: Duration };
type Row = { step: string; category: string; urgency: string; amount: string; unit: string; pauseAmount: string; pauseUnit: string };

const STEPS = POLICY_STEPS;
const UNITS = enumValues('unit');

const toRow = (p: Policy): Row => ({
  step: p.step, category: p.category ?? '', urgency: p.urgency ?? '', amount: String(p.amount), unit: p.unit,
  pauseAmount: p.maxPause ? String(p.maxPause.amount) : '', pauseUnit: p.maxPause?.unit ?? '',
});
/** Numbers as typed: a wrong one ("abc", "1.5") goes to the API as it is and comes back refused at its cell. */
const number = (text: string) => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : text as unknown as number);
const fromRow = (r: Row): Policy => ({
  step: r.step, amount: number(r.amount), unit: r.unit,
  ...(r.category ? { category: r.category } : {}), ...(r.urgency ? { urgency: r.urgency } : {}),
  ...(r.pauseAmount.trim() || r.pauseUnit ? { maxPause: { amount: number(r.pauseAmount), unit: r.pauseUnit } } : {}),
});

export function SlaSection() {
  const [saves, setSaves] = useState(0);
  const categories = (session.value?.categories ?? []).map((c): [string, string] => [c.code, `${categoryName(c.code)} · ${c.code}`]);
  const columns: EditColumn<Row>[] = [
    { key: 'step', label: w('step'), required: true, control: (r, set, p) => <SelectCell {...p} value={r.step} blank={w('choose')} options={enumOptions('step', STEPS)} onPick={(step) => set({ step })} /> },
    { key: 'category', label: w('category'), control: (r, set, p) => <SelectCell {...p} value={r.category} blank={w('any')} options={withCurrent(categories, r.category)} onPick={(category) => set({ category })} /> },
    { key: 'urgency', label: w('urgency'), control: (r, set, p) => <SelectCell {...p} value={r.urgency} blank={w('any')} options={enumOptions('urgency')} onPick={(urgency) => set({ urgency })} /> },
    { key: 'amount', label: w('amount'), required: true, control: (r, set, p) => <TextCell {...p} inputMode="numeric" value={r.amount} onText={(amount) => set({ amount })} /> },
    { key: 'unit', label: w('timeUnit'), required: true, control: (r, set, p) => <SelectCell {...p} value={r.unit} blank={w('choose')} options={enumOptions('unit', UNITS)} onPick={(unit) => set({ unit })} /> },
    { key: 'maxPause', label: w('maxPause'), empty: () => false, control: (r, set, p) => <PauseCell {...p} row={r} set={set} /> },
  ];
  const spec: SetSpec<Row, Policy> = {
    id: 'sla', caption: w('sla'), columns, toRow, fromRow,
    newRow: () => ({ step: '', category: '', urgency: '', amount: '', unit: '', pauseAmount: '', pauseUnit: '' }),
    load: async () => (await must(api.GET('/api/v1/sla-policies'))) as Policy[],
    save: async (policies) => (await must(api.PUT('/api/v1/sla-policies', { body: policies as never }))) as Policy[],
    onSaved: () => setSaves((n) => n + 1),
  };
  return (
    <>
      <OnDefaults key={saves} />
      <SetEditor spec={spec} />
    </>
  );
}

/** The longest pause: an amount and its unit in one cell (the API names both as `maxPause`). */
function PauseCell(props: CellProps & { row: Row; set: (patch: Partial<Row>) => void }) {
  const { row, set, id, name, ...rest } = props;
  const label = props['aria-label'];
  return (
    <div class="pair">
      <TextCell {...rest} id={id} name={`${name}.amount`} aria-label={`${label} · ${w('amount')}`} inputMode="numeric" value={row.pauseAmount} onText={(pauseAmount) => set({ pauseAmount })} />
      <SelectCell {...rest} id={`${id}-unit`} name={`${name}.unit`} aria-label={`${label} · ${w('timeUnit')}`} value={row.pauseUnit} blank="—" options={enumOptions('unit', UNITS)} onPick={(pauseUnit) => set({ pauseUnit })} />
    </div>
  );
}

/** Steps with no catch-all policy, timed by the defaults (so the admin sees what a removed row means). */
function OnDefaults() {
  const loaded = useLoad(() => must(api.GET('/api/v1/sla-policies/defaults')), []);
  return (
    <Loading loaded={loaded}>{(d) => (d.items.length ? (
      <p class="muted">{w('slaHelp')} {d.items.map((p) => `${tEnum('step', p.step)} ${tAmount(p.amount, p.unit)}`).join('；')}</p>
    ) : null)}</Loading>
  );
}
