/** /status: the worker follows a case with its reference and the receipt code (or the phone's last 4 digits). */
import { useState } from 'preact/hooks';
import { Card, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { ApiError } from '../../api/client.js';
import { fmtTime, language, t, tEnum, tState } from '../../i18n.js';
import { publicCase, type PublicCase } from './public-api.js';

export function StatusPage() {
  const params = new URLSearchParams(location.search);
  const [v, setV] = useState({ reference: params.get('reference') ?? '', code: '', phoneLast4: '' });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [found, setFound] = useState<PublicCase | null>(null);
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
    </>
  );
}

function PublicCaseView(props: { found: PublicCase }) {
  const c = props.found;
  const zh = language.value !== 'en';
  return (
    <Card>
      <h2>{c.reference} <span class="pill">{zh && c.stateName ? c.stateName : tState(c.state)}</span></h2>
      <p>{t('category')}：{zh && c.categoryName ? c.categoryName : c.category} · {t('holder')}：{zh && c.levelName ? c.levelName : tEnum('level', c.level)} · {t('registeredAt')}：{fmtTime(c.registeredAt)}</p>
      {c.next ? <p><strong>{t('next')}：</strong>{c.next}</p> : null}
      <ol class="timeline">{c.steps.map((s, i) => <li key={i}>{fmtTime(s.at)} · {s.what}</li>)}</ol>
    </Card>
  );
}
