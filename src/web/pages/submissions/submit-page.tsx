/**
 * /submit/<branchId> (the station's QR code or a link): a worker writes a grievance or a
 * suggestion on their phone, no sign-in, and gets a tracking code; /submission/<code> shows where
 * it stands (waiting, registered with the case's reference, declined with the reason, forwarded).
 */
import { useState } from 'preact/hooks';
import { api, must, uploadFile } from '../../api/client.js';
import { Card, Choice, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { Loading, useLoad } from '../../components/load.js';
import { englishLabel, enumOptions, language } from '../../i18n.js';
import { w, type WordKey } from './words.js';

const FIELDS = ['kind', 'description', 'category', 'phone', 'platform', 'workerType', 'file'];

export function SubmitPage(props: { branchId: string }) {
  const form = useLoad(() => must(api.GET('/api/v1/public/intake/{id}', { params: { path: { id: props.branchId } } })), [props.branchId]);
  const [sent, setSent] = useState<{ trackingCode: string; fileFailed: boolean } | null>(null);
  if (sent) return <Sent {...sent} />;
  return <Loading loaded={form}>{(f) => <SubmissionForm branchId={props.branchId} branchName={f.branchName} categories={f.categories} onSent={setSent} />}</Loading>;
}

function SubmissionForm(props: {
  branchId: string; branchName: string; categories: { code: string; name: string; nameEn: string }[];
  onSent: (sent: { trackingCode: string; fileFailed: boolean }) => void;
}) {
  const [v, setV] = useState<Record<string, string>>({ kind: 'grievance' });
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (value: string) => setV({ ...v, [name]: value });
  const en = language.value === 'en';
  const send = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['description']);
    if (missing) return setErrors(missing);
    setBusy(true);
    try {
      const anonymous = v.anonymous === 'on';
      const body = {
        branchId: props.branchId, kind: v.kind as 'grievance', description: v.description.trim(),
        ...(v.category ? { category: v.category } : {}), ...(v.workerType ? { workerType: v.workerType as 'delivery' } : {}),
        ...(v.platform?.trim() ? { platform: v.platform.trim() } : {}),
        ...(anonymous ? { anonymous: true } : v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      };
      const { trackingCode } = await must(api.POST('/api/v1/public/submissions', { body }));
      const fileFailed = file
        ? await uploadFile(`/api/v1/public/submissions/${trackingCode}/attachments`, file, file.name).then(() => false, () => true) : false;
      props.onSent({ trackingCode, fileFailed });
    } catch (error) {
      setErrors(formErrors(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const text = (name: string, extra: Record<string, string> = {}) =>
    <input name={name} value={v[name] ?? ''} onInput={(e) => set(name)(e.currentTarget.value)} autocomplete="off" {...extra} />;
  return (
    <form class="card narrow" onSubmit={send} noValidate aria-busy={busy}>
      <h1>{w('submitTitle')}</h1>
      <p><strong>{props.branchName}</strong></p>
      <p class="muted">{w('submitHelp')}</p>
      <FormError message={errors.form} />
      <fieldset disabled={busy}>
        <legend class="sr-only">{w('submitTitle')}</legend>
        <div class="field" role="radiogroup" aria-label={w('kind')}>
          {(['grievance', 'suggestion'] as const).map((kind) => (
            <label class="check" key={kind}><input type="radio" name="kind" value={kind} checked={v.kind === kind} onChange={() => set('kind')(kind)} /> {w(kind)}</label>
          ))}
        </div>
        <Field id="p-description" label={w('description')} required error={errors.fields.description}>
          <textarea name="description" rows={5} value={v.description ?? ''} onInput={(e) => set('description')(e.currentTarget.value)} />
        </Field>
        <Field id="p-category" label={w('category')} error={errors.fields.category}>
          <Choice name="category" value={v.category ?? ''} options={props.categories.map((c): [string, string] => [c.code, en ? englishLabel(c.nameEn) : c.name])} onChange={set('category')} />
        </Field>
        <Field id="p-workerType" label={w('work')} error={errors.fields.workerType}>
          <Choice name="workerType" value={v.workerType ?? ''} options={enumOptions('workerType')} onChange={set('workerType')} />
        </Field>
        <Field id="p-platform" label={w('platform')} error={errors.fields.platform}>{text('platform')}</Field>
        <div class="field">
          <label class="check"><input type="checkbox" name="anonymous" checked={v.anonymous === 'on'} onChange={(e) => set('anonymous')(e.currentTarget.checked ? 'on' : '')} /> {w('anonymous')}</label>
        </div>
        {v.anonymous !== 'on' ? <Field id="p-phone" label={w('phone')} error={errors.fields.phone}>{text('phone', { type: 'tel', inputMode: 'tel' })}</Field> : null}
        <Field id="p-file" label={w('file')} error={errors.fields.file}>
          <input type="file" name="file" accept="image/*,audio/*" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </Field>
      </fieldset>
      <div class="actions"><button type="submit" disabled={busy}>{w('send')}</button></div>
    </form>
  );
}

function Sent(props: { trackingCode: string; fileFailed: boolean }) {
  return (
    <Card class="narrow">
      <h1>{w('sent')}</h1>
      <p>{w('trackingCode')}：<strong class="code" data-tracking-code>{props.trackingCode}</strong></p>
      <p class="muted">{w('keepCode')}</p>
      {props.fileFailed ? <p class="banner" role="status">{w('fileFailed')}</p> : null}
      <p><a href={`/submission/${props.trackingCode}`}>{w('track')}</a></p>
    </Card>
  );
}

export function TrackPage(props: { code: string }) {
  const status = useLoad(() => must(api.GET('/api/v1/public/submissions/{trackingCode}', { params: { path: { trackingCode: props.code } } })), [props.code]);
  return (
    <Loading loaded={status}>{(s) => (
      <Card class="narrow">
        <h1>{w('track')}</h1>
        <p>{w('trackingCode')}：<strong class="code">{props.code.toUpperCase()}</strong></p>
        <p>{w('state')}：<span class="pill" data-state={s.state}>{w(s.state as WordKey)}</span></p>
        {s.reason ? <p>{w('reason')}：{s.reason}</p> : null}
        {s.reference ? <p>{w('reference')}：<a href={`/status?reference=${encodeURIComponent(s.reference)}`}>{s.reference}</a>（{w('followCase')}）</p> : null}
      </Card>
    )}</Loading>
  );
}
