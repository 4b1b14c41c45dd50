/**
 * The liaison's phone form. It renders from the draft on this device before anything loads, works
 * offline, never guesses a choice (category, platform, worker type start empty), and after a lost
 * answer finds out whether the case was registered before it lets anyone start again.
 */
import { useEffect, useState } from 'preact/hooks';
import { Card, Choice, Field, FormError } from '../../components/field.js';
import { enumOptions, language, t, tField } from '../../i18n.js';
import type { Session } from '../../session.js';
import type { Draft } from './draft.js';
import { OpenCasesHint } from './open-cases-hint.js';
import { Receipt } from './receipt.js';
import { VoiceNote } from './voice-note.js';
import { useRegistration } from './use-registration.js';

type Edit = { v: Draft['values']; err: Record<string, string | undefined>; set: (name: string) => (value: string) => void; input: (name: string) => (e: Event) => void };

export function RegisterForm(props: { session: Session; onRegistered?: () => void }) {
  const r = useRegistration(props.session.categories, props.onRegistered);
  if (!r.draft) return <Card><p class="muted">{t('loading')}</p></Card>;
  if (r.registered) return <Receipt registered={r.registered} notice={r.notice} onNext={r.startOver} />;
  const v = r.draft.values;
  const set = (name: string) => (value: string) => r.update({ values: { ...v, [name]: value } });
  const edit: Edit = { v, err: r.errors.fields, set, input: (name) => (e) => set(name)((e.currentTarget as HTMLInputElement).value) };
  const locked = r.phase !== 'editing';
  return (
    <form class="card" onSubmit={(e) => { e.preventDefault(); void r.submit(); }} noValidate aria-busy={locked}>
      <h1>{t('register')}</h1>
      {!navigator.onLine ? <p class="banner" role="status">{t('offlineNow')}</p> : null}
      {r.phase === 'checking' ? <p class="banner" role="status">{navigator.onLine ? t('checking') : t('checkingOffline')}</p> : null}
      {r.notice ? <p class="banner" role="status">{r.notice}</p> : null}
      <FormError message={r.errors.form} />
      <fieldset disabled={locked}>
        <legend class="sr-only">{t('register')}</legend>
        <CaseFields session={props.session} territorial={r.territorial} edit={edit} />
        {v.category === 'ALG' ? <AlgorithmFields edit={edit} /> : null}
        <ContactFields edit={edit} />
        <PhotoField draft={r.draft} error={edit.err.file} onChange={(photo, photoName) => r.update({ photo, photoName })} />
        <VoiceNote voice={r.draft.voice} onChange={(voice, voiceName) => r.update({ voice, voiceName })} />
      </fieldset>
      <p class="muted">{t('draftSaved')}</p>
      <div class="actions">
        <button type="submit" disabled={locked}>{t('submit')}</button>
        <button type="button" class="secondary" disabled={locked} onClick={r.startOver}>{t('newDraft')}</button>
      </div>
    </form>
  );
}

/** What the grievance is and where it goes: a territorial category asks for the area instead of a platform. */
function CaseFields(props: { session: Session; territorial: boolean; edit: Edit }) {
  const { v, err, set, input } = props.edit;
  const { territorial, session } = props;
  const en = language.value === 'en';
  const category = session.categories.find((c) => c.code === v.category);
  const categories = session.categories.filter((c) => !c.retired).map((c): [string, string] => [c.code, en ? c.nameEn : c.nameZh]);
  const subcategories = (category?.subcategories ?? []).filter((x) => !x.retired).map((x): [string, string] => [x.code, en ? x.nameEn : x.nameZh]);
  const platforms = session.orgs.filter((o) => o.type === 'platform' && o.platform).map((o): [string, string] => [o.platform!, o.platform!]);
  const area = <input name="area" value={v.area ?? ''} onInput={input('area')} autocomplete="off" />;
  return (
    <>
      <div class="grid">
        <Field id="f-category" label={t('category')} required error={err.category}>
          <Choice name="category" value={v.category ?? ''} options={categories} onChange={set('category')} />
        </Field>
        {subcategories.length ? (
          <Field id="f-subcategory" label={`${t('subcategory')}${t('optional')}`} error={err.subcategory}>
            <Choice name="subcategory" value={v.subcategory ?? ''} options={subcategories} onChange={set('subcategory')} />
          </Field>
        ) : null}
        {territorial ? <Field id="f-area" label={t('area')} required error={err.area}>{area}</Field> : null}
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
        {!territorial ? <Field id="f-area" label={`${t('area')}${t('optional')}`} error={err.area}>{area}</Field> : null}
        <Field id="f-requestType" label={`${t('requestType')}${t('optional')}`} error={err.requestType}>
          <Choice name="requestType" value={v.requestType ?? ''} options={enumOptions('requestType')} onChange={set('requestType')} />
        </Field>
      </div>
      <Field id="f-description" label={t('description')} required error={err.description}>
        <textarea name="description" value={v.description ?? ''} onInput={input('description')} />
      </Field>
    </>
  );
}

/** An ALG case records the platform's decision: order, rule or model version, time, amount. */
function AlgorithmFields(props: { edit: Edit }) {
  const { v, err, input } = props.edit;
  return (
    <fieldset class="algorithm">
      <legend>{t('algorithm')}</legend>
      <div class="grid">
        <Field id="f-orderId" label={tField('orderId')} required error={err.orderId}>
          <input name="orderId" value={v.orderId ?? ''} onInput={input('orderId')} autocomplete="off" />
        </Field>
        <Field id="f-ruleVersion" label={tField('ruleVersion')} required error={err.ruleVersion}>
          <input name="ruleVersion" value={v.ruleVersion ?? ''} onInput={input('ruleVersion')} autocomplete="off" />
        </Field>
        <Field id="f-decidedAt" label={tField('decidedAt')} required error={err.decidedAt}>
          <input name="decidedAt" type="datetime-local" value={v.decidedAt ?? ''} onInput={input('decidedAt')} />
        </Field>
        <Field id="f-amount" label={`${t('amountYuan')}${t('optional')}`} error={err.amount}>
          <input name="amount" type="number" min={0} step="0.01" inputMode="decimal" value={v.amount ?? ''} onInput={input('amount')} />
        </Field>
      </div>
    </fieldset>
  );
}

/** The worker's contact and their consent to be recognised across cases, or anonymous (then nothing is kept). */
function ContactFields(props: { edit: Edit }) {
  const { v, err, set, input } = props.edit;
  return (
    <>
      <div class="field">
        <label class="check"><input type="checkbox" name="anonymous" checked={v.anonymous === 'on'} onChange={(e) => set('anonymous')(e.currentTarget.checked ? 'on' : '')} /> {t('anonymous')}</label>
      </div>
      {v.anonymous !== 'on' ? (
        <div class="grid">
          <Field id="f-name" label={`${t('name')}${t('optional')}`} error={err.name}>
            <input name="name" value={v.name ?? ''} onInput={input('name')} autocomplete="off" />
          </Field>
          <div>
            <Field id="f-phone" label={`${t('phone')}${t('optional')}`} error={err.phone}>
              <input name="phone" type="tel" inputMode="tel" value={v.phone ?? ''} onInput={input('phone')} autocomplete="off" />
            </Field>
            <OpenCasesHint phone={v.phone ?? ''} />
          </div>
          <div class="field">
            <label class="check"><input type="checkbox" name="consentToLink" checked={v.consentToLink === 'on'} onChange={(e) => set('consentToLink')(e.currentTarget.checked ? 'on' : '')} /> {t('consentToLink')}</label>
          </div>
        </div>
      ) : null}
    </>
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
