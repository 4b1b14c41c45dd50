/** /status: the worker follows a case with its reference and the receipt code (or the phone's last 4 digits). */
import { useState } from 'preact/hooks';
import { Card, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { ApiError } from '../../api/client.js';
import { englishLabel, fmtTime, language, t } from '../../i18n.js';
import { publicCase, sendAppeal, type PublicCase } from './public-api.js';

export function StatusPage() {
  const params = new URLSearchParams(location.search);
  const [v, setV] = useState({ reference: params.get('reference') ?? '', code: '', phoneLast4: '' });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [found, setFound] = useState<PublicCase | null>(null);
  const [appealed, setAppealed] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['reference', ...(v.phoneLast4 ? [] : ['code'])]);
    if (missing) return setErrors(missing);
    try {
      setFound(await publicCase(v.reference.trim(), v.code ? { code: v.code.trim() } : { phoneLast4: v.phoneLast4.trim() }));
      setErrors(noErrors);
    } catch (error) {
      setFound(null);
      setErrors(error instanceof ApiError && error.status === 404 ? { fields: {}, form: t('notFound') } : formErrors(error, ['reference', 'code', 'phoneLast4']));
    }
  };
  const input = (name: keyof typeof v, extra: Record<string, string> = {}) =>
    <input name={name} value={v[name]} onInput={(e) => setV({ ...v, [name]: e.currentTarget.value })} autocomplete="off" {...extra} />;
  return (
    <>
      <form class="card narrow" onSubmit={submit} noValidate>
        <h1>{t('statusTitle')}</h1>
        <p class="muted">{t('statusHelp')}</p>
        <FormError message={errors.form} />
        <Field id="s-reference" label={t('reference')} required error={errors.fields.reference}>{input('reference')}</Field>
        <Field id="s-code" label={t('receiptCode')} error={errors.fields.code}>{input('code')}</Field>
        <Field id="s-phone" label={t('phoneLast4')} error={errors.fields.phoneLast4}>{input('phoneLast4', { inputMode: 'numeric', maxLength: '4' })}</Field>
        <div class="actions"><button type="submit">{t('lookUp')}</button></div>
      </form>
      {found ? <PublicCaseView found={found} /> : null}
      {appealed ? <Card><p role="status">{t('appealDone')}</p></Card>
        : found?.appealUntil ? <AppealForm found={found} code={v.code.trim()} onDone={(f) => { setAppealed(true); setFound(f); }} /> : null}
    </>
  );
}

/** A closing the worker did not rate: one appeal, with the receipt code, before `appealUntil`. */
function AppealForm(props: { found: PublicCase; code: string; onDone: (found: PublicCase) => void }) {
  const [v, setV] = useState({ code: props.code, reason: '' });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['code', 'reason']);
    if (missing) return setErrors(missing);
    try {
      await sendAppeal(props.found.reference, v.code.trim(), v.reason.trim());
      // Taken: the page says so, then shows the case as it stands now (reopened), if it can read it.
      props.onDone(await publicCase(props.found.reference, { code: v.code.trim() }).catch(() => props.found));
    } catch (error) {
      setErrors(error instanceof ApiError && error.status === 404 ? { fields: { code: t('notFound') }, form: '' } : formErrors(error, ['code', 'reason']));
    }
  };
  return (
    <form class="card narrow" onSubmit={submit} noValidate>
      <h2>{t('appealTitle')}</h2>
      <p class="muted">{t('appealHelp')}：{fmtTime(props.found.appealUntil!)}</p>
      <FormError message={errors.form} />
      <Field id="a-code" label={t('receiptCode')} required error={errors.fields.code}>
        <input name="code" value={v.code} onInput={(e) => setV({ ...v, code: e.currentTarget.value })} autocomplete="off" />
      </Field>
      <Field id="a-reason" label={t('appealReason')} required error={errors.fields.reason}>
        <textarea name="reason" rows={3} maxLength={2000} value={v.reason} onInput={(e) => setV({ ...v, reason: e.currentTarget.value })} />
      </Field>
      <div class="actions"><button type="submit">{t('appealSend')}</button></div>
    </form>
  );
}

/** The worker's view: the engine's own words for state, level and steps, in the page's language. */
function PublicCaseView(props: { found: PublicCase }) {
  const c = props.found;
  const en = language.value === 'en';
  return (
    <Card>
      <h2>{c.reference} <span class="pill">{en ? c.stateNameEn : c.stateName}</span></h2>
      <dl class="facts">
        <div><dt>{t('category')}</dt><dd>{en ? englishLabel(c.categoryNameEn) : c.categoryName}</dd></div>
        <div><dt>{t('holder')}</dt><dd>{en ? c.levelNameEn : c.levelName}</dd></div>
        <div><dt>{t('registeredAt')}</dt><dd>{fmtTime(c.registeredAt)}</dd></div>
        {c.dueAt ? <div><dt>{t('dueAt')}</dt><dd>{fmtTime(c.dueAt)}</dd></div> : null}
      </dl>
      <p><strong>{t('next')}：</strong>{en ? c.nextEn : c.next}</p>
      <ol class="timeline">{c.steps.map((s, i) => <li key={i}>{fmtTime(s.at)} · {en ? s.whatEn : s.what}</li>)}</ol>
    </Card>
  );
}
