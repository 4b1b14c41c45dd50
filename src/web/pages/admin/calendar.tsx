/**
 * The working-day calendar: each year's source (official / loaded by an admin / provisional), loading
 * a year's published schedule (days off and make-up working days), and single-day corrections.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { formErrors, missingFields, noErrors } from '../../components/errors.js';
import { Card, Field, FormError } from '../../components/field.js';
import { Loading, useLoad } from '../../components/load.js';
import { toast } from '../../components/toast.js';
import { shanghaiDate } from '../../i18n.js';
import { SelectCell, TextCell, type EditColumn } from './edit-table.js';
import { splitList } from './parts.js';
import { cellText } from './row-errors.js';
import { SetEditor, type SetSpec } from './set-editor.js';
import { named, w } from './words.js';

export function CalendarSection() {
  const status = useLoad(() => must(api.GET('/api/v1/calendar/status')), []);
  return (
    <>
      <Loading loaded={status}>{(s) => (
        <DataTable caption={w('calendar')} rows={s.years} rowKey={(y) => String(y.year)} rowClass={(y) => (y.source === 'provisional' ? 'soon' : '')} columns={[
          { label: w('year'), cell: (y) => y.year, primary: true },
          { label: w('source'), cell: (y) => <span class={`pill${y.source === 'provisional' ? ' soon' : ' ok'}`}>{named('calendarSource', y.source)}</span> },
        ]} />
      )}</Loading>
      <LoadYear onLoaded={status.reload} />
      <h2>{w('overrides')}</h2>
      <Overrides />
    </>
  );
}

function LoadYear(props: { onLoaded: () => void }) {
  const [v, setV] = useState({ year: String(Number(shanghaiDate().slice(0, 4)) + 1), holidays: '', workdays: '' });
  const [errors, setErrors] = useState(noErrors);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['year', 'holidays']);
    if (missing) return setErrors(missing);
    setBusy(true);
    try {
      const body = { holidays: splitList(v.holidays), workdays: splitList(v.workdays) };
      const loaded = await must(api.PUT('/api/v1/calendar/years/{year}', { params: { path: { year: v.year.trim() } }, body }));
      setErrors(noErrors);
      toast(w('loadedYear', loaded));
      props.onLoaded();
    } catch (error) {
      // `body.holidays.3` (or `params.year`) names the list or the year: the error goes to that field.
      const path = (error instanceof ApiError ? error.field ?? '' : '').split(/[.[\]]/);
      const name = ['year', 'holidays', 'workdays'].find((n) => path.includes(n));
      setErrors(name ? { fields: { [name]: cellText(error) }, form: null } : formErrors(error, []));
    } finally { setBusy(false); }
  };
  const set = (name: keyof typeof v) => (e: Event) => setV({ ...v, [name]: (e.currentTarget as HTMLInputElement).value });
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <h2>{w('loadYear')}</h2>
        <FormError message={errors.form} />
        <div class="narrow-field">
          <Field id="cal-year" label={w('year')} required error={errors.fields.year}>
            <input name="year" inputMode="numeric" value={v.year} onInput={set('year')} />
          </Field>
        </div>
        <div class="grid">
          <Field id="cal-holidays" label={w('holidays')} required error={errors.fields.holidays}>
            <textarea name="holidays" value={v.holidays} onInput={set('holidays')} />
          </Field>
          <Field id="cal-workdays" label={w('workdays')} error={errors.fields.workdays}>
            <textarea name="workdays" value={v.workdays} onInput={set('workdays')} />
          </Field>
        </div>
        <div class="actions"><button type="submit" disabled={busy}>{w('load')}</button></div>
      </form>
    </Card>
  );
}

type Override = { day: string; kind: 'workday' | 'holiday'; note?: string };
type Row = { day: string; kind: string; note: string };

function Overrides() {
  const columns: EditColumn<Row>[] = [
    { key: 'day', label: w('day'), required: true, control: (r, set, p) => <TextCell {...p} type="date" value={r.day} onText={(day) => set({ day })} /> },
    { key: 'kind', label: w('kind'), required: true, control: (r, set, p) => <SelectCell {...p} value={r.kind} blank={w('choose')} options={['holiday', 'workday'].map((k) => [k, named('dayKind', k)])} onPick={(kind) => set({ kind })} /> },
    { key: 'note', label: w('note'), control: (r, set, p) => <TextCell {...p} value={r.note} onText={(note) => set({ note })} /> },
  ];
  const spec: SetSpec<Row, Override> = {
    id: 'override', caption: w('overrides'), columns,
    toRow: (o) => ({ day: o.day, kind: o.kind, note: o.note ?? '' }),
    fromRow: (r) => ({ day: r.day, kind: r.kind as Override['kind'], ...(r.note.trim() ? { note: r.note.trim() } : {}) }),
    newRow: () => ({ day: '', kind: '', note: '' }),
    load: () => must(api.GET('/api/v1/calendar-overrides')),
    save: (items) => must(api.PUT('/api/v1/calendar-overrides', { body: items })),
  };
  return <SetEditor spec={spec} />;
}
