/** /feedback/<token>: the worker rates the outcome through the one-time link (no sign-in; no default rating). */
import { useState } from 'preact/hooks';
import { Card, Choice, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { Loading, useLoad } from '../../components/load.js';
import { enumOptions, t } from '../../i18n.js';
import { feedbackSubject, sendFeedback } from './public-api.js';


export function FeedbackPage(props: { token: string }) {
  const subject = useLoad(() => feedbackSubject(props.token), [props.token]);
  const [v, setV] = useState({ rating: '', solved: '', comment: '' });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [sent, setSent] = useState(false);
  if (sent) return <Card><h1>{t('thanks')}</h1></Card>;
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['rating', 'solved']);
    if (missing) return setErrors(missing);
    try {
      await sendFeedback(props.token, { rating: v.rating, solved: v.solved, ...(v.comment.trim() ? { comment: v.comment.trim() } : {}) });
      setSent(true);
    } catch (error) { setErrors(formErrors(error, ['rating', 'solved', 'comment'])); }
  };
  return (
    <Loading loaded={subject}>{(s) => !s.open ? <Card><h1>{t('feedbackTitle')}</h1><p>{t('thanks')}</p></Card> : (
      <form class="card narrow" onSubmit={submit} noValidate>
        <h1>{t('feedbackTitle')}</h1>
        <p><strong>{t('reference')}：</strong>{s.reference}</p>
        {s.resolution ? <p><strong>{t('resolution')}：</strong>{s.resolution}</p> : null}
        <FormError message={errors.form} />
        <Field id="fb-rating" label={t('rating')} required error={errors.fields.rating}>
          <Choice name="rating" value={v.rating} options={enumOptions('rating')} onChange={(x) => setV({ ...v, rating: x })} />
        </Field>
        <Field id="fb-solved" label={t('solved')} required error={errors.fields.solved}>
          <Choice name="solved" value={v.solved} options={enumOptions('solved')} onChange={(x) => setV({ ...v, solved: x })} />
        </Field>
        <Field id="fb-comment" label={`${t('comment')}${t('optional')}`} error={errors.fields.comment}>
          <textarea name="comment" value={v.comment} onInput={(e) => setV({ ...v, comment: e.currentTarget.value })} />
        </Field>
        <div class="actions"><button type="submit">{t('sendFeedback')}</button></div>
      </form>
    )}</Loading>
  );
}
