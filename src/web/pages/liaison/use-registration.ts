/**
 * The registration's state on the phone: the draft (IndexedDB), the phase of a submit, the errors,
 * and what to tell the liaison. A submit whose answer is lost is replayed unchanged until the server
 * answers; until then the form stays locked and no new draft can start.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { t } from '../../i18n.js';
import type { Category } from '../../session.js';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type Draft } from './draft.js';
import { registrationBody, replayUntilAnswered, sendRegistration, uploadEvidence, type Registered } from './registration.js';

export const REGISTRATION_FIELDS = ['category', 'subcategory', 'platform', 'area', 'workerType', 'urgency', 'channel', 'requestType',
  'description', 'name', 'phone', 'file', 'orderId', 'ruleVersion', 'decidedAt', 'amount'];
export type Phase = 'editing' | 'sending' | 'checking' | 'done';
export type Outcome = Registered & { photo?: boolean; voice?: boolean };

/** What must be filled in before sending (the API checks again). */
function requiredFields(values: Draft['values'], territorial: boolean) {
  return ['category', 'workerType', 'description', territorial ? 'area' : 'platform',
    ...(values.category === 'ALG' ? ['orderId', 'ruleVersion', 'decidedAt'] : [])];
}

export function useRegistration(categories: Category[], onRegistered?: () => void) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [phase, setPhase] = useState<Phase>('editing');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [notice, setNotice] = useState<string | null>(null);
  const [registered, setRegistered] = useState<Outcome | null>(null);
  const abort = useRef<AbortController | null>(null);
  const keep = (next: Draft) => { setDraft(next); return saveDraft(next); };

  async function finish(d: Draft, created: Registered, message: string | null) {
    const photo = d.photo ? await uploadEvidence(created.id, d.photo, d.photoName ?? 'photo.jpg') : undefined;
    const voice = d.voice ? await uploadEvidence(created.id, d.voice, d.voiceName ?? 'voice-note.webm') : undefined;
    await clearDraft();
    setNotice(message);
    setRegistered({ ...created, photo, voice });
    setPhase('done');
    onRegistered?.();
  }
  function refused(d: Draft, error: unknown, message: string | null) {
    void keep({ ...d, pending: null });
    setErrors(formErrors(error, REGISTRATION_FIELDS));
    setNotice(message);
    setPhase('editing');
  }
  /** After a lost answer: replay the same key and body until the server says what happened. */
  function check(d: Draft) {
    setPhase('checking');
    abort.current = new AbortController();
    replayUntilAnswered(d, abort.current.signal).then(
      (created) => finish(d, created, t('wasRegistered')),
      (error) => refused(d, error, t('notRegistered')));
  }

  useEffect(() => {
    loadDraft().then((d) => { setDraft(d); if (d.pending) check(d); });
    return () => abort.current?.abort();
  }, []);

  const territorial = categories.find((c) => c.code === draft?.values.category)?.territorial ?? false;
  async function submit() {
    if (!draft) return;
    const missing = missingFields(draft.values, requiredFields(draft.values, territorial));
    setErrors(missing ?? noErrors);
    setNotice(null);
    if (missing) return;
    const sending = { ...draft, pending: registrationBody(draft.values, territorial) };
    await keep(sending);
    setPhase('sending');
    try {
      await finish(sending, await sendRegistration(sending), null);
    } catch (error) {
      if (error instanceof ApiError && error.offline) check(sending);
      else refused(sending, error, null);
    }
  }
  /** An edit keeps the draft and clears the error of the field it touched. */
  const update = (patch: Partial<Draft>) => {
    if (!draft) return;
    const touched = Object.keys(patch.values ?? {}).filter((k) => patch.values![k] !== draft.values[k]);
    if (touched.some((k) => errors.fields[k])) setErrors({ ...errors, fields: Object.fromEntries(Object.entries(errors.fields).filter(([k]) => !touched.includes(k))) });
    void keep({ ...draft, ...patch });
  };
  const startOver = async () => {
    await clearDraft();
    setDraft(emptyDraft());
    setErrors(noErrors);
    setNotice(null);
    setRegistered(null);
    setPhase('editing');
  };
  return { draft, phase, errors, notice, registered, territorial, update, submit, startOver };
}
