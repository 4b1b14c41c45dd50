/**
 * The liaison's 待核实 list: workers' own submissions waiting for the branch, oldest first, each on
 * its l0_verify clock. Register opens a form prefilled from the worker's words (every field
 * editable; what is left out the server takes from the submission); decline asks for the reason the
 * worker will see; a suggestion may go to the convener. Loaded only when something waits.
 */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { Card, Choice, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { go } from '../../router.js';
import { categoryName, type Session } from '../../session.js';
import { enumOptions, fmtTime, language, t } from '../../i18n.js';
import { w } from './words.js';

export type Submission = Awaited<ReturnType<typeof waitingSubmissions>>['items'][number];
export const waitingSubmissions = () => must(api.GET('/api/v1/submissions', { params: { query: { state: 'waiting' } } }));

export function VerifyList(props: { session: Session; items: Submission[]; onChange: () => void }) {
  return (
    <section aria-labelledby="to-verify">
      <h2 id="to-verify">{w('toVerify')}</h2>
      {props.items.map((s) => <SubmissionCard key={s.id} submission={s} session={props.session} onChange={props.onChange} />)}
    </section>
  );
}

type Open = 'register' | 'decline' | 'forward' | null;

function SubmissionCard(props: { submission: Submission; session: Session; onChange: () => void }) {
  const s = props.submission;
  const [open, setOpen] = useState<Open>(null);
  return (
    <Card class="submission">
      <p>
        <span class="pill">{w(s.kind)}</span> {s.overdue ? <span class="pill overdue">{w('overdue')}</span> : null}
        {' '}<span class="muted">{w('due')} {fmtTime(s.dueAt)}</span>
      </p>
      <p>{s.description}</p>
      <p class="muted">
        {s.category ? `${categoryName(s.category)} · ` : ''}{s.anonymous ? w('anonymousWorker') : s.phone ?? ''}
        {s.attachments.length ? ` · ${w('files')} ${s.attachments.length}` : ''}
      </p>
      <div class="actions">
        <button type="button" onClick={() => setOpen('register')}>{w('registerIt')}</button>
        <button type="button" class="secondary" onClick={() => setOpen('decline')}>{w('declineIt')}</button>
        {s.kind === 'suggestion' ? <button type="button" class="secondary" onClick={() => setOpen('forward')}>{w('forwardIt')}</button> : null}
      </div>
      {open === 'register' ? <RegisterSubmission submission={s} session={props.session} onCancel={() => setOpen(null)} /> : null}
      {open === 'decline' || open === 'forward' ? <Decide submission={s} kind={open} onCancel={() => setOpen(null)} onDone={props.onChange} /> : null}
    </Card>
  );
}

const REGISTER_FIELDS = ['category', 'platform', 'workerType', 'urgency', 'area', 'description'];

/** The registration, prefilled from the submission; on success the new case opens. */
function RegisterSubmission(props: { submission: Submission; session: Session; onCancel: () => void }) {
  const s = props.submission;
  const [v, setV] = useState<Record<string, string>>({
    category: s.category ?? '', platform: s.platform ?? '', workerType: s.workerType ?? '', urgency: 'normal', area: s.area ?? '', description: s.description,
  });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const set = (name: string) => (value: string) => setV({ ...v, [name]: value });
  const en = language.value === 'en';
  const categories = props.session.categories.filter((c) => !c.retired).map((c): [string, string] => [c.code, en ? c.nameEn : c.nameZh]);
  const platforms = props.session.orgs.filter((o) => o.type === 'platform' && o.platform).map((o): [string, string] => [o.platform!, o.platform!]);
  const send = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['category', 'workerType']);
    if (missing) return setErrors(missing);
    try {
      // The worker's own words are kept unless the liaison changed them (the list shows them masked).
      const body = {
        category: v.category, urgency: v.urgency as 'normal', worker: { workerType: v.workerType as 'delivery' },
        ...(v.platform ? { platform: v.platform } : {}), ...(v.area.trim() ? { area: v.area.trim() } : {}),
        ...(v.description !== s.description ? { description: v.description } : {}),
      };
      const created = await must(api.POST('/api/v1/submissions/{id}/register', { params: { path: { id: s.id } }, body }));
      go(`#/case/${created.id}`);
    } catch (error) {
      setErrors(formErrors(error, REGISTER_FIELDS));
    }
  };
  const id = (name: string) => `sr-${s.id}-${name}`;
  return (
    <form onSubmit={send} noValidate>
      <FormError message={errors.form} />
      <div class="grid">
        <Field id={id('category')} label={t('category')} required error={errors.fields.category}>
          <Choice name="category" value={v.category} options={categories} onChange={set('category')} />
        </Field>
        <Field id={id('platform')} label={t('platform')} error={errors.fields.platform}>
          <Choice name="platform" value={v.platform} options={platforms} onChange={set('platform')} />
        </Field>
        <Field id={id('workerType')} label={t('workerType')} required error={errors.fields.workerType}>
          <Choice name="workerType" value={v.workerType} options={enumOptions('workerType')} onChange={set('workerType')} />
        </Field>
        <Field id={id('urgency')} label={t('urgency')} error={errors.fields.urgency}>
          <select name="urgency" value={v.urgency} onChange={(e) => set('urgency')(e.currentTarget.value)}>
            {enumOptions('urgency').map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </Field>
        <Field id={id('area')} label={t('area')} error={errors.fields.area}>
          <input name="area" value={v.area} onInput={(e) => set('area')(e.currentTarget.value)} autocomplete="off" />
        </Field>
      </div>
      <Field id={id('description')} label={t('description')} error={errors.fields.description}>
        <textarea name="description" value={v.description} onInput={(e) => set('description')(e.currentTarget.value)} />
      </Field>
      <div class="actions">
        <button type="submit">{w('registerIt')}</button>
        <button type="button" class="secondary" onClick={props.onCancel}>{w('cancel')}</button>
      </div>
    </form>
  );
}

/** Decline (a reason, required) or forward a suggestion to the convener (a note, optional). */
function Decide(props: { submission: Submission; kind: 'decline' | 'forward'; onCancel: () => void; onDone: () => void }) {
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const declining = props.kind === 'decline';
  const send = async (e: Event) => {
    e.preventDefault();
    const path = { params: { path: { id: props.submission.id } } };
    try {
      if (declining) {
        const missing = missingFields({ reason: text }, ['reason']);
        if (missing) return setErrors(missing);
        await must(api.POST('/api/v1/submissions/{id}/decline', { ...path, body: { reason: text.trim() } }));
      } else {
        await must(api.POST('/api/v1/submissions/{id}/forward-to-convener', { ...path, body: text.trim() ? { note: text.trim() } : {} }));
      }
      props.onDone();
    } catch (error) {
      setErrors(formErrors(error, ['reason', 'note']));
    }
  };
  const name = declining ? 'reason' : 'note';
  return (
    <form onSubmit={send} noValidate>
      <FormError message={errors.form} />
      <Field id={`sd-${props.submission.id}`} label={w(declining ? 'reasonSeen' : 'note')} required={declining} error={errors.fields[name]}>
        <textarea name={name} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <div class="actions">
        <button type="submit">{w('confirm')}</button>
        <button type="button" class="secondary" onClick={props.onCancel}>{w('cancel')}</button>
      </div>
    </form>
  );
}
