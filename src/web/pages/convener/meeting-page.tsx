/** A coordination meeting: its agenda with one compact decision form per case, exports, and minutes. */
import { useState } from 'preact/hooks';
import { api, must, token } from '../../api/client.js';
import { Card, Choice, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors } from '../../components/errors.js';
import { Loading, useLoad } from '../../components/load.js';
import { DueBadge, StatePill } from '../../components/pills.js';
import { toast } from '../../components/toast.js';
import { enumValues, fmtDuration, fmtTime, language, t, tAmount, tEnum } from '../../i18n.js';
import { AGENDA_REASON_LABELS, LEAD_ORG_TYPES } from '../../../../workflows/case-rules.js';
import type { AgendaReasonName } from '../../api/unions.js';
import { categoryName, type Session } from '../../session.js';

type Meeting = Awaited<ReturnType<typeof loadMeeting>>;
type AgendaItem = Meeting['agenda'][number];
const loadMeeting = (id: string) => must(api.GET('/api/v1/meetings/{id}', { params: { path: { id } } }));

export function MeetingPage(props: { id: string; session: Session }) {
  const loaded = useLoad(() => loadMeeting(props.id), [props.id]);
  return <Loading loaded={loaded}>{(m) => <MeetingView meeting={m} session={props.session} reload={loaded.reload} />}</Loading>;
}

function MeetingView(props: { meeting: Meeting; session: Session; reload: () => void }) {
  const m = props.meeting;
  return (
    <>
      <p><a href="#/">← {t('back')}</a></p>
      <h1>{m.title}</h1>
      <p class="muted">{fmtTime(m.periodFrom)} — {fmtTime(m.periodTo)}</p>
      <Exports meetingId={m.id} title={m.title} />
      <h2>{t('agenda')}（{m.agenda.length}）</h2>
      <ol class="agenda">
        {m.agenda.map((item) => <AgendaEntry key={item.itemId} item={item} meetingId={m.id} session={props.session} onDone={props.reload} />)}
      </ol>
      <h2>{t('hotSpots')}</h2>
      <ul>{m.hotSpots.map((x) => <li key={`${x.category}-${x.platform}-${x.area}`}>{categoryName(x.category)} · {x.platform ?? '—'} · {x.area ?? '—'} · +{x.growth}</li>)}</ul>
      <Minutes meeting={m} />
    </>
  );
}

/** Why a case is on the agenda, in the case rules' words (the exports use the same). */
const REASON_NAMES = AGENDA_REASON_LABELS satisfies Record<AgendaReasonName, readonly [string, string]>;
const reasonName = (reason: AgendaReasonName) => REASON_NAMES[reason][language.value === 'en' ? 1 : 0];

function AgendaEntry(props: { item: AgendaItem; meetingId: string; session: Session; onDone: () => void }) {
  const { item } = props;
  const counts = [['returns', item.returns], ['transfers', item.transfers], ['reopenings', item.reopenings]] as const;
  return (
    <li class={`card agenda-item${item.overdue ? ' overdue' : ''}`}>
      <div class="agenda-head">
        <a href={`#/case/${item.caseId}`} class="ref">{item.reference}</a> <StatePill state={item.state} overdue={item.overdue} />
        {' '}<strong>{language.value === 'en' ? categoryName(item.category) : item.categoryName}</strong> · {item.holderName}
        {item.overdueMinutes !== null ? <> <span class="pill overdue">{t('overdueBy')} {fmtDuration(item.overdueMinutes * 60_000)}</span></> : <> <DueBadge dueAt={item.dueAt} /></>}
      </div>
      <p class="summary-line">{item.summary}</p>
      <p class="muted">
        {t('reasons')}：{item.reasons.map(reasonName).join('、')}
        {counts.filter(([, n]) => n > 0).map(([k, n]) => <span key={k}> · {t(k)} {n}</span>)}
      </p>
      {item.decision
        ? <p><strong>{t('decision')}：</strong>{item.decision.decision}（{tAmount(item.decision.amount, item.decision.unit)}）</p>
        : <DecisionForm item={item} meetingId={props.meetingId} session={props.session} onDone={props.onDone} />}
    </li>
  );
}

function DecisionForm(props: { item: AgendaItem; meetingId: string; session: Session; onDone: () => void }) {
  const { item } = props;
  const [v, setV] = useState<Record<string, string>>({ leadOrgId: '', amount: '5', unit: 'working_days', decision: '' });
  const [errors, setErrors] = useState(noErrors);
  const leads = props.session.orgs.filter((o) => (LEAD_ORG_TYPES as readonly string[]).includes(o.type)).map((o): [string, string] => [o.id, o.name]);
  const id = (name: string) => `d-${item.itemId}-${name}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['leadOrgId', 'amount', 'decision']);
    if (missing) return setErrors(missing);
    try {
      await must(api.POST('/api/v1/meetings/{id}/decisions', { params: { path: { id: props.meetingId } },
        body: { caseId: item.caseId, leadOrgId: v.leadOrgId, amount: Number(v.amount), unit: v.unit as 'working_days', decision: v.decision } }));
      toast(t('done'));
      props.onDone();
    } catch (error) { setErrors(formErrors(error, ['leadOrgId', 'amount', 'unit', 'decision'])); }
  };
  return (
    <form class="decision" onSubmit={submit} noValidate>
      <FormError message={errors.form} />
      <div class="decision-grid">
        <Field id={id('lead')} label={t('lead')} required error={errors.fields.leadOrgId}>
          <Choice name="leadOrgId" value={v.leadOrgId} options={leads} onChange={(x) => setV({ ...v, leadOrgId: x })} />
        </Field>
        <Field id={id('amount')} label={t('amount')} required error={errors.fields.amount}>
          <input name="amount" type="number" min={1} value={v.amount} onInput={(e) => setV({ ...v, amount: e.currentTarget.value })} />
        </Field>
        <Field id={id('unit')} label={t('unit')} error={errors.fields.unit}>
          <select name="unit" value={v.unit} onChange={(e) => setV({ ...v, unit: e.currentTarget.value })}>
            {enumValues('unit').map((u) => <option key={u} value={u}>{tEnum('unit', u)}</option>)}
          </select>
        </Field>
      </div>
      <Field id={id('decision')} label={t('decision')} required error={errors.fields.decision}>
        <input name="decision" value={v.decision} onInput={(e) => setV({ ...v, decision: e.currentTarget.value })} />
      </Field>
      <div class="actions"><button type="submit">{t('recordDecision')}</button></div>
    </form>
  );
}

function Exports(props: { meetingId: string; title: string }) {
  const [progress, setProgress] = useState<number | null>(null);
  const run = async (format: 'xlsx' | 'csv' | 'md') => {
    setProgress(0);
    try {
      let job = await must(api.POST('/api/v1/meetings/{id}/exports', { params: { path: { id: props.meetingId } }, body: { format } }));
      while (job.status === 'queued' || job.status === 'running') {
        setProgress(job.progress);
        await new Promise((r) => setTimeout(r, 500));
        job = await must(api.GET('/api/v1/exports/{id}', { params: { path: { id: job.id } } }));
      }
      if (job.status !== 'done' || !job.downloadUrl) throw new Error(job.error ?? 'export failed');
      const file = await fetch(job.downloadUrl, { headers: { authorization: `Bearer ${token.value}` } });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await file.blob());
      link.download = `${props.title}.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
    } catch {
      toast(t('offlineError'));
    } finally {
      setProgress(null);
    }
  };
  return (
    <div class="actions">
      {(['xlsx', 'csv', 'md'] as const).map((f) => <button key={f} type="button" class="secondary" disabled={progress !== null} onClick={() => run(f)}>{t('exportAs')} {f}</button>)}
      {progress !== null ? <progress max={100} value={progress} aria-label={t('exportAs')} /> : null}
    </div>
  );
}

function Minutes(props: { meeting: Meeting }) {
  const [attendees, setAttendees] = useState(props.meeting.attendees.join('，'));
  const [minutes, setMinutes] = useState(props.meeting.minutes ?? '');
  const [errors, setErrors] = useState(noErrors);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await must(api.PUT('/api/v1/meetings/{id}/minutes', { params: { path: { id: props.meeting.id } },
        body: { attendees: attendees.split(/[,，、]/).map((s) => s.trim()).filter(Boolean), minutes } }));
      toast(t('done'));
    } catch (error) { setErrors(formErrors(error, ['attendees', 'minutes'])); }
  };
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <h2>{t('minutes')}</h2>
        <FormError message={errors.form} />
        <Field id="min-attendees" label={t('attendees')} error={errors.fields.attendees}><input name="attendees" value={attendees} onInput={(e) => setAttendees(e.currentTarget.value)} /></Field>
        <Field id="min-minutes" label={t('minutes')} error={errors.fields.minutes}><textarea name="minutes" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} /></Field>
        <div class="actions"><button type="submit">{t('save')}</button></div>
      </form>
    </Card>
  );
}
