/**
 * The grievance catalogue (GET|PUT /catalogue): categories with their sub-items, the territorial
 * flag and retirement. Saved codes are retired, never removed (cases keep them); rows not saved yet
 * can be removed. Save replaces the whole catalogue; a refused field is shown where it is.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, must } from '../../api/client.js';
import { FormError } from '../../components/field.js';
import { Loading, useLoad } from '../../components/load.js';
import { toast } from '../../components/toast.js';
import { language } from '../../i18n.js';
import { EditTable, emptyCells, TextCell, type EditColumn } from './edit-table.js';
import { refreshUnits } from './parts.js';
import { cellKey, cellText, type CellErrors } from './row-errors.js';
import { w } from './words.js';

type Sub = { code: string; name: string; nameEn: string; retired: boolean; saved?: boolean };
type Category = { code: string; name: string; nameEn: string; territorial: boolean; retired: boolean; subcategories: Sub[]; saved?: boolean };
/** Errors by `c<i>.<field>` (a category's) and `c<i>` + `<j>:<field>` (its sub-items' table). */
type Errors = { categories: Record<string, string>; subs: Record<number, CellErrors>; form: string | null };
const noErrors: Errors = { categories: {}, subs: {}, form: null };

const marked = (c: Category): Category => ({ ...c, saved: true, subcategories: c.subcategories.map((s) => ({ ...s, saved: true })) });
const unmarked = (c: Category) => ({
  code: c.code.trim(), name: c.name.trim(), nameEn: c.nameEn.trim(), territorial: c.territorial, retired: c.retired,
  subcategories: c.subcategories.map((s) => ({ code: s.code.trim(), name: s.name.trim(), nameEn: s.nameEn.trim(), retired: s.retired })),
});

export function CatalogueSection() {
  const loaded = useLoad(() => must(api.GET('/api/v1/catalogue')), []);
  return <Loading loaded={loaded}>{(data) => <CatalogueEditor data={data} onReload={loaded.reload} />}</Loading>;
}

function CatalogueEditor(props: { data: { categories: Category[] }; onReload: () => void }) {
  const [categories, setCategories] = useState(() => props.data.categories.map(marked));
  const [errors, setErrors] = useState<Errors>(noErrors);
  useEffect(() => { setCategories(props.data.categories.map(marked)); setErrors(noErrors); }, [props.data]);
  const [busy, setBusy] = useState(false);
  const change = (i: number, patch: Partial<Category>) => { setCategories(categories.map((c, j) => (j === i ? { ...c, ...patch } : c))); setErrors(noErrors); };
  const save = async (e: Event) => {
    e.preventDefault();
    const missing = requiredErrors(categories);
    if (missing) return setErrors(missing);
    setBusy(true);
    try {
      const saved = await must(api.PUT('/api/v1/catalogue', { body: { categories: categories.map(unmarked) } }));
      setCategories(saved.categories.map(marked));
      setErrors(noErrors);
      await refreshUnits(); // the session's category names
      toast(w('saved'));
    } catch (error) { setErrors(placed(error)); } finally { setBusy(false); }
  };
  const add = () => setCategories([...categories, { code: '', name: '', nameEn: '', territorial: false, retired: false, subcategories: [] }]);
  return (
    <form onSubmit={save} noValidate>
      <FormError message={errors.form} />
      <ul class="categories">
        {categories.map((c, i) => (
          <li key={i}><CategoryCard index={i} category={c} errors={errors} onChange={(patch) => change(i, patch)}
            onRemove={() => setCategories(categories.filter((_, j) => j !== i))} /></li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="secondary" onClick={add}>{w('addCategory')}</button>
        <button type="submit" disabled={busy}>{w('saveAll')}</button>
        <button type="button" class="secondary" onClick={props.onReload}>{w('reload')}</button>
      </div>
    </form>
  );
}

/** The sub-items' columns (a function: the labels follow the language). */
const subColumns = (): EditColumn<Sub>[] => [
  { key: 'code', label: w('code'), required: true, control: (s, set, p) => <TextCell {...p} value={s.code} onText={(code) => set({ code: code.toUpperCase() })} /> },
  { key: 'name', label: w('nameZh'), required: true, control: (s, set, p) => <TextCell {...p} value={s.name} onText={(name) => set({ name })} /> },
  { key: 'nameEn', label: w('nameEn'), required: true, control: (s, set, p) => <TextCell {...p} value={s.nameEn} onText={(nameEn) => set({ nameEn })} /> },
  { key: 'retired', label: w('retired'), empty: () => false, control: (s, set, p) => <input {...p} type="checkbox" checked={s.retired} onChange={(e) => set({ retired: e.currentTarget.checked })} /> },
];

function CategoryCard(props: { index: number; category: Category; errors: Errors; onChange: (patch: Partial<Category>) => void; onRemove: () => void }) {
  const { index: i, category: c, errors } = props;
  const id = (field: string) => `cat-${i}-${field}`;
  const text = (field: 'code' | 'name' | 'nameEn', label: string) => {
    const error = errors.categories[`c${i}.${field}`];
    return (
      <div class={`field${error ? ' invalid' : ''}`}>
        <label for={id(field)}>{label}<span class="req" aria-hidden="true"> *</span></label>
        <input id={id(field)} name={field} value={c[field]} required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id(field)}-error` : undefined}
          onInput={(e) => props.onChange({ [field]: field === 'code' ? e.currentTarget.value.toUpperCase() : e.currentTarget.value })} />
        {error ? <div class="error" id={`${id(field)}-error`} role="alert">{error}</div> : null}
      </div>
    );
  };
  const title = `${c.code || '—'} · ${(language.value === 'en' ? c.nameEn : c.name) || '—'}`;
  return (
    <details class={`card category-card${c.retired ? ' retired' : ''}`} open={!c.saved || hasErrors(errors, i)}>
      <summary>{title}{c.territorial ? ` · ${w('territorial')}` : ''}{c.retired ? ` · ${w('retired')}` : ''} <span class="muted">（{w('subItems')} {c.subcategories.length}）</span></summary>
      <div class="grid">
        {text('code', w('code'))}{text('name', w('nameZh'))}{text('nameEn', w('nameEn'))}
      </div>
      <div class="checks">
        <label class="check"><input type="checkbox" name="territorial" checked={c.territorial} onChange={(e) => props.onChange({ territorial: e.currentTarget.checked })} />{w('territorial')}</label>
        <label class="check"><input type="checkbox" name="retired" checked={c.retired} onChange={(e) => props.onChange({ retired: e.currentTarget.checked })} />{w('retired')}</label>
        {c.saved ? null : <button type="button" class="secondary small" onClick={props.onRemove}>{w('removeRow')}</button>}
      </div>
      <h3>{w('subItems')}</h3>
      <EditTable id={`cat-${i}-sub`} caption={`${title} · ${w('subItems')}`} columns={subColumns()} rows={c.subcategories} errors={errors.subs[i] ?? {}}
        onChange={(subcategories) => props.onChange({ subcategories })}
        newRow={() => ({ code: c.code, name: '', nameEn: '', retired: false })} />
    </details>
  );
}

const hasErrors = (errors: Errors, i: number) =>
  Object.keys(errors.categories).some((k) => k.startsWith(`c${i}.`)) || Object.keys(errors.subs[i] ?? {}).length > 0;

function requiredErrors(categories: Category[]): Errors | null {
  const found: Errors = { categories: {}, subs: {}, form: null };
  categories.forEach((c, i) => {
    for (const field of ['code', 'name', 'nameEn'] as const) if (!c[field].trim()) found.categories[`c${i}.${field}`] = w('required');
    const subs = emptyCells(c.subcategories, subColumns());
    if (Object.keys(subs).length) found.subs[i] = subs;
  });
  if (!Object.keys(found.categories).length && !Object.keys(found.subs).length) return null;
  return { ...found, form: w('fixRows') };
}

/** `body.categories.2.subcategories.1.code` → that sub-item's cell; `body.categories.2.name` → that category's field. */
function placed(error: unknown): Errors {
  const path = (error instanceof ApiError ? error.field ?? '' : '').replace(/\[(\d+)\]/g, '.$1').split('.');
  const at = path.indexOf('categories');
  const i = Number(path[at + 1]);
  if (at < 0 || !Number.isInteger(i)) return { ...noErrors, form: cellText(error) };
  if (path[at + 2] === 'subcategories' && Number.isInteger(Number(path[at + 3]))) {
    return { ...noErrors, subs: { [i]: { [cellKey(Number(path[at + 3]), path[at + 4] ?? 'code')]: cellText(error) } } };
  }
  return { ...noErrors, categories: { [`c${i}.${path[at + 2] ?? 'code'}`]: cellText(error) } };
}
