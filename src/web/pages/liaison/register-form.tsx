/**
 * The liaison's phone form. It renders from the draft on this device before anything loads, works
 * offline, never guesses a choice (category, platform, worker type start empty), and after a lost
 * answer finds out whether the case was registered before it lets anyone start again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, token } from '../../api/client.js';
import { Card, Choice, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { ENUMS, language, t, tEnum } from '../../i18n.js';
import type { Session } from '../../session.js';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type Draft } from './draft.js';
import { registrationBody, replayUntilAnswered, sendRegistration, uploadPhoto, type Registered } from './registration.js';
import { Receipt } from './receipt.js';

const FIELDS = ['category', 'subcategory', 'platform', 'area', 'workerType', 'urgency', 'channel', 'requestType', 'description', 'name', 'phone', 'file'];
type Phase = 'editing' | 'sending' | 'checking' | 'done';
const enumOptions = (kind: string): [string, string][] => Object.keys(ENUMS[kind]).map((v) => [v, tEnum(kind, v)]);

export function RegisterForm(props: { session: Session; onRegistered?: () => void }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [phase, setPhase] = useState<Phase>('editing');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [notice, setNotice] = useState<string | null>(null);
  const [registered, setRegistered] = useState<(Registered & { photo?: boolean }) | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    loadDraft().then((d) => { setDraft(d); if (d.pending) check(d); });
    return () => abort.current?.abort();
  }, []);
  if (!draft) return <Card><p class="muted">{t('loading')}</p></Card>;
  if (registered) return <Receipt registered={registered} notice={notice} onNext={async () => { setRegistered(null); setDraft(emptyDraft()); setNotice(null); }} />;

  const v = draft.values;
  const category = props.session.categories.find((c) => c.code === v.category);
  const territorial = category?.territorial ?? false;
  const update = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    void saveDraft(next);
  };
  const set = (name: string) => (value: string) => update({ values: { ...v, [name]: value } });
  const input = (name: string) => (e: Event) => set(name)((e.currentTarget as HTMLInputElement).value);

  async function finish(d: Draft, created: Registered, message: string | null) {
    const photo = d.photo ? await uploadPhoto(created.id, d.photo, d.photoName ?? 'photo.jpg', token.value ?? '') : undefined;
    await clearDraft();
    setNotice(message);
    setRegistered({ ...created, photo });
    setPhase('done');
    props.onRegistered?.();
  }

  /** After a lost answer: replay the same key and body until the server says what happened. */
  function check(d: Draft) {
    setPhase('checking');
    abort.current = new AbortController();
    replayUntilAnswered(d, abort.current.signal).then(
      (created) => finish(d, created, t('wasRegistered')),
      (error) => refused({ ...d, pending: null }, error, t('notRegistered')));
  }

  function refused(d: Draft, error: unknown, message: string | null) {
    const next = { ...d, pending: null };
    setDraft(next);
    void saveDraft(next);
    setErrors(formErrors(error, FIELDS));
    setNotice(message);
    setPhase('editing');
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    const required = ['category', 'workerType', 'description', ...(territorial ? ['area'] : ['platform'])];
    const missing = missingFields(v, required);
    setErrors(missing ?? noErrors);
    setNotice(null);
    if (missing) return;
    const sending = { ...draft, pending: registrationBody(v, territorial) };
    setDraft(sending);
    await saveDraft(sending);
    setPhase('sending');
    try {
      await finish(sending, await sendRegistration(sending), null);
    } catch (error) {
      if (error instanceof ApiError && error.offline) check(sending);
      else refused(sending, error, null);
    }
  };

  const platforms = props.session.orgs.filter((o) => o.type === 'platform' && o.platform).map((o): [string, string] => [o.platform!, o.platform!]);
  const categories = props.session.categories.map((c): [string, string] => [c.code, `${language.value === 'en' ? c.nameEn : c.nameZh}（${c.code}）`]);
  const locked = phase !== 'editing';
  const err = errors.fields;
  return (
    <form class="card" onSubmit={submit} noValidate aria-busy={locked}>
      <h1>{t('register')}</h1>
      {!navigator.onLine ? <p class="banner" role="status">{t('offlineNow')}</p> : null}
      {phase === 'checking' ? <p class="banner" role="status">{navigator.onLine ? t('checking') : t('checkingOffline')}</p> : null}
      {notice ? <p class="banner" role="status">{notice}</p> : null}
      <FormError message={errors.form} />
      <fieldset disabled={locked}>
        <legend class="sr-only">{t('register')}</legend>
        <div class="grid">
          <Field id="f-category" label={t('category')} required error={err.category}>
            <Choice name="category" value={v.category ?? ''} options={categories} onChange={set('category')} />
          </Field>
          {territorial ? (
            <Field id="f-area" label={t('area')} required error={err.area}>
              <input name="area" value={v.area ?? ''} onInput={input('area')} autocomplete="off" />
            </Field>
          ) : null}
          <Field id="f-platform" label={`${t('platform')}${territorial ? t('optional') : ''}`} required={!territorial} error={err.platform}>
            <Choice name="platform" value={v.platform ?? ''} options={platforms} onChange={set('platform')} />
          </Field>
          <Field id="f-workerType" label={t('workerType')} required error={err.workerType}>
            <Choice name="workerType" value={v.workerType ?? ''} options={enumOptions('workerType')} onChange={set('workerType')} />
          </Field>
          <Field id="f-urgency" label={t('urgency')} error={err.urgency}>
            <select name="urgency" value={v.urgency ?? 'normal'} onChange={input('urgency')}>
              {enumOptions('urgency').map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </Field>
          <Field id="f-channel" label={t('channel')} error={err.channel}>
            <select name="channel" value={v.channel ?? 'station'} onChange={input('channel')}>
              {enumOptions('channel').map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </Field>
          {!territorial ? (
            <Field id="f-area" label={`${t('area')}${t('optional')}`} error={err.area}>
              <input name="area" value={v.area ?? ''} onInput={input('area')} autocomplete="off" />
            </Field>
          ) : null}
        </div>
        <Field id="f-description" label={t('description')} required error={err.description}>
          <textarea name="description" value={v.description ?? ''} onInput={input('description')} />
        </Field>
        <div class="field">
          <label class="check"><input type="checkbox" name="anonymous" checked={v.anonymous === 'on'} onChange={(e) => set('anonymous')(e.currentTarget.checked ? 'on' : '')} /> {t('anonymous')}</label>
        </div>
        {v.anonymous !== 'on' ? (
          <div class="grid">
            <Field id="f-name" label={`${t('name')}${t('optional')}`} error={err.name}>
              <input name="name" value={v.name ?? ''} onInput={input('name')} autocomplete="off" />
            </Field>
            <Field id="f-phone" label={`${t('phone')}${t('optional')}`} error={err.phone}>
              <input name="phone" type="tel" inputMode="tel" value={v.phone ?? ''} onInput={input('phone')} autocomplete="off" />
            </Field>
          </div>
        ) : null}
        <PhotoField draft={draft} error={err.file} onChange={(photo, photoName) => update({ photo, photoName })} />
      </fieldset>
      <p class="muted">{t('draftSaved')}</p>
      <div class="actions">
        <button type="submit" disabled={locked}>{t('submit')}</button>
        <button type="button" class="secondary" disabled={locked} onClick={async () => { await clearDraft(); setDraft(emptyDraft()); setErrors(noErrors); setNotice(null); }}>{t('newDraft')}</button>
      </div>
    </form>
  );
}

/** A photo straight from the phone's camera, kept in the draft (IndexedDB) until the case exists. */
function PhotoField(props: { draft: Draft; error?: string; onChange: (photo: Blob | null, name: string | null) => void }) {
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (!props.draft.photo) return setPreview(null);
    const url = URL.createObjectURL(props.draft.photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [props.draft.photo]);
  return (
    <>
      <Field id="f-file" label={`${t('photo')}${t('optional')}`} hint={t('photoHelp')} error={props.error}>
        <input type="file" name="file" accept="image/*" capture="environment"
          onChange={(e) => { const file = e.currentTarget.files?.[0]; if (file) props.onChange(file, file.name); }} />
      </Field>
      {preview ? (
        <div class="photo-preview">
          <img src={preview} alt={props.draft.photoName ?? t('photo')} />
          <button type="button" class="secondary small" onClick={() => props.onChange(null, null)}>{t('removePhoto')}</button>
        </div>
      ) : null}
    </>
  );
}
