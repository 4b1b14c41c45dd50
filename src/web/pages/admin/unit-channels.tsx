/**
 * One unit's channels: its webhook (PATCH /orgs/:id) and WeCom, DingTalk, e-mail and SMS
 * (PUT /orgs/:id/channels, the whole set: a channel left empty is removed). Refusals at their field.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, must } from '../../api/client.js';
import { formErrors, noErrors, type FormErrors } from '../../components/errors.js';
import { Card, Field, FormError } from '../../components/field.js';
import { Loading, useLoad } from '../../components/load.js';
import { toast } from '../../components/toast.js';
import type { Org } from '../../session.js';
import { refreshUnits, splitList } from './parts.js';
import { cellText } from './row-errors.js';
import { w, type WordKey } from './words.js';

type Settings = {
  wecom?: { webhookUrl: string }; dingtalk?: { webhookUrl: string; secret: string };
  email?: { to: string[] }; sms?: { gatewayUrl: string; token: string; to?: string[] };
};
/** Every field as typed, keyed `channel.field` (the API's own path after `body.`). */
type Values = Record<string, string>;

const FIELDS: { channel: 'webhook' | keyof Settings; fields: { key: string; word: WordKey; secret?: boolean; list?: boolean }[] }[] = [
  { channel: 'webhook', fields: [{ key: 'webhookUrl', word: 'webhookUrl' }] },
  { channel: 'wecom', fields: [{ key: 'webhookUrl', word: 'robotUrl' }] },
  { channel: 'dingtalk', fields: [{ key: 'webhookUrl', word: 'robotUrl' }, { key: 'secret', word: 'secret', secret: true }] },
  { channel: 'email', fields: [{ key: 'to', word: 'emailTo', list: true }] },
  { channel: 'sms', fields: [{ key: 'gatewayUrl', word: 'gatewayUrl' }, { key: 'token', word: 'gatewayToken', secret: true }, { key: 'to', word: 'smsTo', list: true }] },
];

export function UnitChannels(props: { unit: Org }) {
  const loaded = useLoad(() => must(api.GET('/api/v1/orgs/{id}/channels', { params: { path: { id: props.unit.id } } })), [props.unit.id]);
  return <Loading loaded={loaded}>{(settings) => <ChannelsForm unit={props.unit} settings={settings} />}</Loading>;
}

function valuesOf(unit: Org, settings: Settings): Values {
  const values: Values = { 'webhook.webhookUrl': (unit as Org & { webhookUrl?: string | null }).webhookUrl ?? '' };
  for (const [channel, fields] of Object.entries(settings) as [string, Record<string, string | string[]>][]) {
    for (const [key, value] of Object.entries(fields)) values[`${channel}.${key}`] = Array.isArray(value) ? value.join('，') : value;
  }
  return values;
}

/** The channels with anything filled in, as the API takes them (lists split at commas). */
function settingsOf(v: Values): Settings {
  const has = (channel: string) => Object.entries(v).some(([k, x]) => k.startsWith(`${channel}.`) && x.trim());
  const text = (k: string) => (v[k] ?? '').trim();
  const list = (k: string) => splitList(v[k] ?? '');
  return {
    ...(has('wecom') ? { wecom: { webhookUrl: text('wecom.webhookUrl') } } : {}),
    ...(has('dingtalk') ? { dingtalk: { webhookUrl: text('dingtalk.webhookUrl'), secret: text('dingtalk.secret') } } : {}),
    ...(has('email') ? { email: { to: list('email.to') } } : {}),
    ...(has('sms') ? { sms: { gatewayUrl: text('sms.gatewayUrl'), token: text('sms.token'), ...(list('sms.to').length ? { to: list('sms.to') } : {}) } } : {}),
  };
}

function ChannelsForm(props: { unit: Org; settings: Settings }) {
  const { unit } = props;
  const [initial] = useState(() => valuesOf(unit, props.settings));
  const [v, setV] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors((await saveChannels(unit, initial, v)) ?? noErrors);
    setBusy(false);
  };
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <h2>{w('channelsOf', { unit: unit.name })}</h2>
        <FormError message={errors.form} />
        {FIELDS.map((group) => (
          <fieldset key={group.channel} class="channel">
            <legend>{w(group.channel)}</legend>
            <div class="grid">
              {group.fields.map((f) => {
                const key = `${group.channel}.${f.key}`;
                return (
                  <Field key={key} id={`ch-${group.channel}-${f.key}`} label={w(f.word)} error={errors.fields[key]}>
                    <input name={key} type={(f.secret ? 'password' : 'text') as 'text'} autocomplete="off" inputMode={f.list || f.secret ? undefined : 'url' as const}
                      value={v[key] ?? ''} onInput={(e) => setV({ ...v, [key]: e.currentTarget.value })} />
                  </Field>
                );
              })}
            </div>
          </fieldset>
        ))}
        <div class="actions"><button type="submit" disabled={busy}>{w('save')}</button></div>
      </form>
    </Card>
  );
}

/** The webhook when it changed (it cannot be cleared: the API takes a URL), then the other channels as a whole; the errors, if any. */
async function saveChannels(unit: Org, initial: Values, v: Values): Promise<FormErrors | null> {
  const webhookUrl = v['webhook.webhookUrl'].trim();
  if (webhookUrl && webhookUrl !== initial['webhook.webhookUrl']) {
    try {
      await must(api.PATCH('/api/v1/orgs/{id}', { params: { path: { id: unit.id } }, body: { webhookUrl } }));
    } catch (error) { return { fields: { 'webhook.webhookUrl': cellText(error) }, form: null }; }
  }
  try {
    await must(api.PUT('/api/v1/orgs/{id}/channels', { params: { path: { id: unit.id } }, body: settingsOf(v) }));
  } catch (error) { return channelErrors(error); }
  await refreshUnits();
  toast(w('saved'));
  return null;
}

/** `body.dingtalk.secret` / `body.email.to.1` → the `dingtalk.secret` / `email.to` field. */
function channelErrors(error: unknown): FormErrors {
  const path = (error instanceof ApiError ? error.field ?? '' : '').split('.').filter((p) => p !== 'body' && !/^\d+$/.test(p));
  const key = path.slice(0, 2).join('.');
  if (FIELDS.some((g) => g.fields.some((f) => `${g.channel}.${f.key}` === key))) return { fields: { [key]: cellText(error) }, form: null };
  return formErrors(error, []);
}
