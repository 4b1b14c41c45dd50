/**
 * The phone's PIN: the offer after sign-in ("set a PIN to stay signed in"), the unlock page when a
 * locked token is kept on this device, and "forget this device".
 */
import { useState } from 'preact/hooks';
import { ApiError, token } from '../api/client.js';
import { Card, Field } from '../components/field.js';
import { errorText } from '../components/errors.js';
import { toast } from '../components/toast.js';
import { t } from '../i18n.js';
import { session, signIn } from '../session.js';
import { useSignal } from '../store.js';
import { deviceKept, forgetDevice, keepToken, onPhone, PIN_PATTERN, unlockToken } from './kept-token.js';
import { Login } from '../pages/login.js';

const pinInput = (value: string, set: (v: string) => void, name: string) => (
  <input type="password" name={name} inputMode="numeric" pattern="[0-9]*" maxLength={6} autocomplete="off" value={value}
    onInput={(e) => set(e.currentTarget.value)} />
);

/** Shown once signed in on a phone whose token is not kept yet (until set or declined for this tab). */
export function PinOffer() {
  const kept = useSignal(deviceKept);
  const [declined, setDeclined] = useState(sessionStorage.getItem('pinDeclined') === '1');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<{ pin?: string; again?: string }>({});
  if (kept !== false || declined || !onPhone() || !token.value) return null;
  const set = async (e: Event) => {
    e.preventDefault();
    if (!PIN_PATTERN.test(pin)) return setError({ pin: t('pinBad') });
    if (pin !== again) return setError({ again: t('pinMismatch') });
    await keepToken(token.value!, pin, session.value);
    toast(t('pinSet'));
  };
  const decline = () => { sessionStorage.setItem('pinDeclined', '1'); setDeclined(true); };
  return (
    <form class="card pin-offer no-print" onSubmit={set} noValidate aria-labelledby="pin-offer-title">
      <h2 id="pin-offer-title">{t('pinOffer')}</h2>
      <p class="muted">{t('pinOfferHelp')}</p>
      <div class="grid">
        <Field id="pin-new" label={t('pin')} required error={error.pin}>{pinInput(pin, setPin, 'pin')}</Field>
        <Field id="pin-again" label={t('pinAgain')} required error={error.again}>{pinInput(again, setAgain, 'pinAgain')}</Field>
      </div>
      <div class="actions">
        <button type="submit">{t('setPin')}</button>
        <button type="button" class="secondary" onClick={decline}>{t('notNow')}</button>
      </div>
    </form>
  );
}

/** A locked token is kept here: the PIN opens it (the fifth wrong one forgets it), or sign in afresh. */
export function PinUnlock() {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const unlock = async (e: Event) => {
    e.preventDefault();
    if (!PIN_PATTERN.test(pin)) return setError(t('pinBad'));
    setBusy(true);
    const opened = await unlockToken(pin);
    setBusy(false);
    setPin('');
    if ('wrongLeft' in opened) return setError(t('pinWrong', { n: opened.wrongLeft }));
    if ('forgotten' in opened) return toast(t('pinForgotten'));
    try {
      // Online: the token is checked and the session sealed afresh with it.
      await keepToken(opened.token, pin, await signIn(opened.token));
    } catch (err) {
      // No network: the sealed session opens the pages (the form works offline). A token revoked since (401) is forgotten.
      if (err instanceof ApiError && err.offline && opened.session) { session.value = opened.session; token.value = opened.token; return; }
      if (err instanceof ApiError && err.status === 401) { await forgetDevice(); toast(t('badToken')); } else setError(errorText(err));
    }
  };
  return (
    <form class="card narrow" onSubmit={unlock} noValidate>
      <h1>{t('unlockTitle')}</h1>
      <Field id="pin" label={t('pin')} required error={error ?? undefined}>{pinInput(pin, setPin, 'pin')}</Field>
      <div class="actions">
        <button type="submit" disabled={busy}>{t('unlock')}</button>
        <button type="button" class="secondary" onClick={() => void forgetDevice()}>{t('forgetDevice')}</button>
      </div>
    </form>
  );
}

/** Signed out: the PIN page when this device keeps a locked token, else the token form. */
export function SignedOut() {
  const kept = useSignal(deviceKept);
  if (kept === null) return <Card><p class="muted">{t('loading')}</p></Card>;
  return kept ? <PinUnlock /> : <Login />;
}
