/** The convener's page: measures by unit, hot spots, and the coordination meetings. */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { Card, Field, FormError } from '../../components/field.js';
import { DataTable } from '../../components/data-table.js';
import { formErrors, noErrors } from '../../components/errors.js';
import { Loading, useLoad } from '../../components/load.js';
import { RateChart } from '../../components/rate-chart.js';
import { fmtTime, shanghaiDate, shanghaiMidnight, t } from '../../i18n.js';
import { categoryName, type Session } from '../../session.js';

const percent = (x: number | null | undefined) => (x == null ? '—' : `${Math.round(x * 100)}%`);

export function ConvenerHome(_props: { session: Session }) {
  const loaded = useLoad(() => Promise.all([
    must(api.GET('/api/v1/metrics', { params: { query: { groupBy: 'org' } } })), must(api.GET('/api/v1/metrics/hotspots')),
    must(api.GET('/api/v1/meetings')), must(api.GET('/api/v1/calendar/status')),
  ]), []);
  return (
    <Loading loaded={loaded}>{([metrics, hot, meetings, calendar]) => {
      const provisional = calendar.years.filter((y) => y.source === 'provisional').map((y) => y.year);
      return (
        <>
          {provisional.length ? <p class="banner" role="status">{t('calendarProvisional', { years: provisional.join('、') })}</p> : null}
          <h1>{t('measures')}</h1>
          <Card><RateChart type="bar" label={t('measures')} rows={metrics.rows} labels={metrics.rows.map((r) => r.label)} /></Card>
          <DataTable rows={metrics.rows} rowKey={(r) => r.key ?? r.label} columns={[
            { label: t('holder'), cell: (r) => r.label, primary: true },
            { label: t('received'), cell: (r) => r.received },
            { label: t('overdue'), cell: (r) => r.overdue },
            { label: t('escalated'), cell: (r) => r.escalated },
            { label: t('reopened'), cell: (r) => r.reopened },
            { label: t('responseRate'), cell: (r) => percent(r.response_rate) },
            { label: t('rectificationRate'), cell: (r) => percent(r.rectification_rate) },
            { label: t('onTimeRate'), cell: (r) => percent(r.on_time_rate) },
            { label: t('satisfactionRate'), cell: (r) => percent(r.satisfaction_rate) },
          ]} />
          <h2>{t('hotSpots')}</h2>
          <DataTable rows={hot.items} rowKey={(x) => `${x.category}-${x.platform}-${x.area}`} columns={[
            { label: t('category'), cell: (x) => categoryName(x.category), primary: true },
            { label: t('platform'), cell: (x) => x.platform ?? '—' },
            { label: t('area'), cell: (x) => x.area ?? '—' },
            { label: t('growth'), cell: (x) => `+${x.growth}` },
          ]} />
          <h2>{t('meetings')}</h2>
          <NewMeeting />
          <DataTable rows={meetings.items} rowKey={(m) => m.id} columns={[
            { label: t('title'), cell: (m) => <a href={`#/meeting/${m.id}`}>{m.title}</a>, primary: true },
            { label: t('periodFrom'), cell: (m) => fmtTime(m.periodFrom) },
            { label: t('periodTo'), cell: (m) => fmtTime(m.periodTo) },
          ]} />
        </>
      );
    }}</Loading>
  );
}

function NewMeeting() {
  const now = Date.now();
  const today = shanghaiDate(now);
  const [v, setV] = useState({ title: `${today.slice(0, 4)}年${Number(today.slice(5, 7))}月诉求处理协调会`, periodFrom: shanghaiDate(now - 30 * 86_400_000), periodTo: shanghaiDate(now + 86_400_000) });
  const [errors, setErrors] = useState(noErrors);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const m = await must(api.POST('/api/v1/meetings', { body: { title: v.title, periodFrom: shanghaiMidnight(v.periodFrom), periodTo: shanghaiMidnight(v.periodTo) } }));
      location.hash = `#/meeting/${m.id}`;
    } catch (error) { setErrors(formErrors(error, ['title', 'periodFrom', 'periodTo'])); }
  };
  const onInput = (name: keyof typeof v) => (e: Event) => setV({ ...v, [name]: (e.currentTarget as HTMLInputElement).value });
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <div class="grid">
          <Field id="m-title" label={t('title')} required error={errors.fields.title}><input name="title" value={v.title} onInput={onInput('title')} /></Field>
          <Field id="m-from" label={t('periodFrom')} required error={errors.fields.periodFrom}><input name="periodFrom" type="date" value={v.periodFrom} onInput={onInput('periodFrom')} /></Field>
          <Field id="m-to" label={t('periodTo')} required error={errors.fields.periodTo}><input name="periodTo" type="date" value={v.periodTo} onInput={onInput('periodTo')} /></Field>
        </div>
        <div class="actions"><button type="submit">{t('newMeeting')}</button></div>
      </form>
    </Card>
  );
}
