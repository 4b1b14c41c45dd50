/** Units: the list (type, parent, platform, sectors, areas, status), create, edit (PATCH), deactivate (DELETE) after a confirmation. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { formErrors, missingFields, noErrors } from '../../components/errors.js';
import { Card, Field, FormError } from '../../components/field.js';
import { toast } from '../../components/toast.js';
import { enumValues, tEnum } from '../../i18n.js';
import { ORG_TYPES } from '../../../../workflows/case-rules.js';
import type { Org } from '../../session.js';
import { ConfirmButton, orNone, refreshUnits, splitList, unitName, unitOptions, useUnits } from './parts.js';
import { w } from './words.js';

const UNIT_TYPES = ORG_TYPES;
const SECTORS = enumValues('workerType');

export function UnitsSection() {
  const units = useUnits();
  const [editing, setEditing] = useState<Org | 'new' | null>(null);
  return (
    <>
      <div class="actions">
        <button type="button" onClick={() => setEditing('new')}>{w('newUnit')}</button>
      </div>
      {editing ? <UnitForm key={editing === 'new' ? 'new' : editing.id} unit={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      <DataTable caption={w('units')} rows={[...units].sort((a, b) => Number(b.active) - Number(a.active))} rowKey={(u) => u.id} rowClass={(u) => (u.active ? '' : 'inactive')} columns={[
        { label: w('name'), cell: (u) => u.name, primary: true },
        { label: w('type'), cell: (u) => tEnum('orgType', u.type) },
        { label: w('parent'), cell: (u) => orNone(unitName(units, (u as Org & { parentId?: string | null }).parentId)) },
        { label: w('platform'), cell: (u) => orNone(u.platform) },
        { label: w('sectors'), cell: (u) => orNone(sectorsOf(u).map((s) => tEnum('workerType', s)).join('、')) },
        { label: w('areasShort'), cell: (u) => orNone(u.areas.join('、')) },
        { label: w('active'), cell: (u) => <span class={`pill${u.active ? ' ok' : ''}`}>{u.active ? w('isActive') : w('isInactive')}</span> },
        { label: w('actions'), cell: (u) => (u.active ? <UnitActions unit={u} onEdit={() => setEditing(u)} /> : orNone(null)) },
      ]} />
    </>
  );
}

const sectorsOf = (u: Org) => (u as Org & { sectors?: string[] }).sectors ?? [];

function UnitActions(props: { unit: Org; onEdit: () => void }) {
  const deactivate = async () => {
    const answer = await api.DELETE('/api/v1/orgs/{id}', { params: { path: { id: props.unit.id } } });
    if (answer.response.status === 409) {
      const body = answer.error as { openCases?: { reference: string }[]; routingRules?: number } | undefined;
      const cases = body?.openCases ?? [];
      return `${w('stillInUse', { cases: cases.length, rules: body?.routingRules ?? 0 })} ${cases.map((c) => c.reference).join('、')}`;
    }
    await must(Promise.resolve(answer));
    await refreshUnits();
    toast(w('deactivated'));
  };
  return (
    <div class="row-actions">
      <button type="button" class="secondary small" onClick={props.onEdit}>{w('edit')}</button>
      <ConfirmButton label={w('deactivate')} question={w('confirmDeactivate', { name: props.unit.name })} confirmLabel={w('confirm')} onConfirm={deactivate} />
    </div>
  );
}

type UnitValues = { name: string; type: string; parentId: string; platform: string; sectors: string[]; areas: string; defaultBranchId: string };

function UnitForm(props: { unit: Org | null; onDone: () => void }) {
  const u = props.unit;
  const [v, setV] = useState<UnitValues>({
    name: u?.name ?? '', type: u?.type ?? '', parentId: (u as Org & { parentId?: string | null } | null)?.parentId ?? '',
    platform: u?.platform ?? '', sectors: u ? sectorsOf(u) : [], areas: u?.areas.join('，') ?? '', defaultBranchId: (u as Org & { defaultBranchId?: string | null } | null)?.defaultBranchId ?? '',
  });
  const [errors, setErrors] = useState(noErrors);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // The form opens above the list: bring it into view with the cursor in its first field.
  useEffect(() => { form.current?.scrollIntoView({ block: 'start' }); form.current?.querySelector('input')?.focus({ preventScroll: true }); }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['name', 'type', ...(v.type === 'platform' && !u ? ['platform'] : []), ...(v.type === 'hotline' ? ['defaultBranchId'] : [])]);
    if (missing) return setErrors(missing);
    setBusy(true);
    try {
      await save(u, v);
      await refreshUnits();
      toast(u ? w('saved') : w('created'));
      props.onDone();
    } catch (error) {
      setErrors(formErrors(error, ['name', 'type', 'parentId', 'platform', 'sectors', 'areas', 'defaultBranchId']));
    } finally { setBusy(false); }
  };
  return (
    <Card class="unit-form">
      <form ref={form} onSubmit={submit} noValidate>
        <h2>{u ? `${w('editUnit')}：${u.name}` : w('newUnit')}</h2>
        <FormError message={errors.form} />
        <UnitFields unit={u} values={v} errors={errors.fields} onChange={(patch) => setV({ ...v, ...patch })} />
        <div class="actions">
          <button type="submit" disabled={busy}>{u ? w('save') : w('create')}</button>
          <button type="button" class="secondary" onClick={props.onDone}>{w('cancel')}</button>
        </div>
      </form>
    </Card>
  );
}

/** The unit's fields; type and platform are fixed once the unit exists (the API keeps them). */
function UnitFields(props: { unit: Org | null; values: UnitValues; errors: Record<string, string>; onChange: (patch: Partial<UnitValues>) => void }) {
  const { unit: u, values: v, errors, onChange: set } = props;
  const units = useUnits();
  const id = (name: string) => `unit-${name}`;
  return (
    <>
      <div class="grid">
        <Field id={id('name')} label={w('name')} required error={errors.name}>
          <input name="name" value={v.name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </Field>
        <Field id={id('type')} label={w('type')} required error={errors.type}>
          <select name="type" value={v.type} disabled={!!u} onChange={(e) => set({ type: e.currentTarget.value })}>
            <option value="">{w('choose')}</option>
            {UNIT_TYPES.map((t) => <option key={t} value={t}>{tEnum('orgType', t)}</option>)}
          </select>
        </Field>
        <Field id={id('parentId')} label={w('parent')} error={errors.parentId}>
          <select name="parentId" value={v.parentId} onChange={(e) => set({ parentId: e.currentTarget.value })}>
            <option value="">{w('noneOption')}</option>
            {unitOptions(units).filter(([uid]) => uid !== u?.id).map(([uid, label]) => <option key={uid} value={uid}>{label}</option>)}
          </select>
        </Field>
        {v.type === 'platform' ? (
          <Field id={id('platform')} label={w('platform')} required={!u} error={errors.platform}>
            <input name="platform" value={v.platform} disabled={!!u} onInput={(e) => set({ platform: e.currentTarget.value })} />
          </Field>
        ) : null}
        {v.type === 'hotline' ? (
          <Field id={id('defaultBranchId')} label={w('defaultBranch')} required error={errors.defaultBranchId}>
            <select name="defaultBranchId" value={v.defaultBranchId} onChange={(e) => set({ defaultBranchId: e.currentTarget.value })}>
              <option value="">{w('choose')}</option>
              {unitOptions(units, ['branch']).map(([uid, label]) => <option key={uid} value={uid}>{label}</option>)}
            </select>
          </Field>
        ) : null}
        <Field id={id('areas')} label={w('areas')} error={errors.areas}>
          <input name="areas" value={v.areas} onInput={(e) => set({ areas: e.currentTarget.value })} />
        </Field>
      </div>
      {v.type === 'department' ? <SectorChoice value={v.sectors} error={errors.sectors} onChange={(sectors) => set({ sectors })} /> : null}
    </>
  );
}

function SectorChoice(props: { value: string[]; error?: string; onChange: (value: string[]) => void }) {
  const toggle = (s: string, on: boolean) => props.onChange(on ? [...props.value, s] : props.value.filter((x) => x !== s));
  return (
    <fieldset class={`field sectors${props.error ? ' invalid' : ''}`} aria-describedby={props.error ? 'unit-sectors-error' : undefined}>
      <legend>{w('sectors')}</legend>
      <div class="checks">
        {SECTORS.map((s) => (
          <label class="check" key={s}>
            <input type="checkbox" name="sectors" value={s} checked={props.value.includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} />
            {tEnum('workerType', s)}
          </label>
        ))}
      </div>
      {props.error ? <div class="error" id="unit-sectors-error" role="alert">{props.error}</div> : null}
    </fieldset>
  );
}

async function save(unit: Org | null, v: UnitValues) {
  const common = {
    name: v.name.trim(), areas: splitList(v.areas),
    ...(v.parentId ? { parentId: v.parentId } : {}),
    ...(v.type === 'department' ? { sectors: v.sectors as never[] } : {}),
    ...(v.type === 'hotline' && v.defaultBranchId ? { defaultBranchId: v.defaultBranchId } : {}),
  };
  if (unit) return must(api.PATCH('/api/v1/orgs/{id}', { params: { path: { id: unit.id } }, body: common }));
  return must(api.POST('/api/v1/orgs', {
    body: { ...common, type: v.type as 'branch', ...(v.type === 'platform' ? { platform: v.platform.trim() } : {}) },
  }));
}
