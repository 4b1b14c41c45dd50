/** Sign in with a token, or with a one-time link from a QR code (#/sign-in/<code>). */
import { useEffect, useState } from 'preact/hooks';
import { api, must } from '../api/client.js';
import { Field, FormError } from '../components/field.js';
import { errorText } from '../components/errors.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { signIn } from '../session.js';

export function Login() {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!value.trim()) return setError(t('required'));
    // The form stays until the token is known good: a wrong one keeps its text and says so.
    try {
      await signIn(value.trim());
    } catch {
      setError(t('badToken'));
    }
  };
  return (
    <form class="card narrow" onSubmit={submit} noValidate>
      <h1>{t('signIn')}</h1>
      <Field id="token" label={t('token')} required hint={t('tokenHelp')} error={error ?? undefined}>
        <input type="password" name="token" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </Field>
      <div class="actions"><button type="submit">{t('signIn')}</button></div>
    </form>
  );
}

/** The phone's side of a sign-in link: the code becomes a token, then leaves the address bar. */
export function RedeemSignInLink(props: { code: string }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // The code leaves the address bar at once; once it is a token, the route moves home (a replaced
    // address fires no hashchange, so the router is told).
    history.replaceState(null, '', '/#/');
    must(api.POST('/api/v1/sign-in', { body: { code: props.code } }))
      .then((answer) => signIn(answer.token))
      .then(() => go('#/'), (e) => setError(errorText(e) || t('badToken')));
  }, [props.code]);
  return error ? <><FormError message={t('badToken')} /><Login /></> : <p class="muted">{t('loading')}</p>;
}
