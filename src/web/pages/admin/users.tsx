/**
 * Users per unit: create (the token is shown once, with a copy button), rotate a token, deactivate,
 * and a one-time sign-in QR code shown large so a liaison's phone signs in by scanning it.
 */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { formErrors, missingFields, noErrors } from '../../components/errors.js';
import { Card, Field, FormError } from '../../components/field.js';
import { Loading, useLoad } from '../../components/load.js';
import { toast } from '../../components/toast.js';
import { fmtTime, tEnum } from '../../i18n.js';
import { HOLDER_ROLE, ORG_TYPE_LEVEL, type OrgType, type Role } from '../../../../workflows/case-rules.js';
import { ConfirmButton, CopyBox, orNone, unitOptions, useUnits } from './parts.js';
import { w } from './words.js';

/** Which role a unit of each type may have, from the case rules: the holder's role at its level, a convener's unit its conveners; admins any unit. */
const rolesOfType = (type: string): Role[] => {
  if (!Object.hasOwn(ORG_TYPE_LEVEL, type)) return ['admin'];
  const level = ORG_TYPE_LEVEL[type as OrgType];
  return [level === null ? 'convener' : HOLDER_ROLE[level], 'admin'];
};

type User = { id: string; name: string; role: string; active: boolean; lastUsedAt: string | null };
type Shown = { kind: 'token'; name: string; token: string } | { kind: 'qr'; name: string; qrSvg: string; url: string; expiresAt: string };

export function UsersSection() {
  const units = useUnits();
  const [orgId, setOrgId] = useState(() => units.find((u) => u.active)?.id ?? '');
  const [shown, setShown] = useState<Shown | null>(null);
  const loaded = useLoad(() => (orgId ? must(api.GET('/api/v1/users', { params: { query: { orgId } } })) : Promise.resolve({ items: [] })), [orgId]);
  const unit = units.find((u) => u.id === orgId);
  return (
    <>
      <div class="field narrow-field">
        <label for="users-unit">{w('pickUnit')}</label>
        <select id="users-unit" value={orgId} onChange={(e) => { setOrgId(e.currentTarget.value); setShown(null); }}>
          <option value="">{w('choose')}</option>
          {unitOptions(units).map(([id, label]) => <option key={id} value={id}>{label}</option>)}
        </select>
      </div>
      {shown ? <ShownSecret shown={shown} onClose={() => setShown(null)} /> : null}
      {unit ? (
        <>
          <NewUser orgId={unit.id} unitType={unit.type} onCreated={(name, token) => { setShown({ kind: 'token', name, token }); loaded.reload(); }} />
          <h2>{w('usersOf', { unit: unit.name })}</h2>
          <Loading loaded={loaded}>{(data) => (
            <DataTable caption={w('usersOf', { unit: unit.name })} rows={data.items} rowKey={(u) => u.id} rowClass={(u) => (u.active ? '' : 'inactive')} columns={[
              { label: w('name'), cell: (u) => u.name, primary: true },
              { label: w('role'), cell: (u) => tEnum('role', u.role) },
              { label: w('active'), cell: (u) => <span class={`pill${u.active ? ' ok' : ''}`}>{u.active ? w('isActive') : w('isInactive')}</span> },
              { label: w('lastUsed'), cell: (u) => orNone(u.lastUsedAt && fmtTime(u.lastUsedAt)) },
              { label: w('actions'), cell: (u) => (u.active ? <UserActions user={u} onShow={setShown} onChanged={loaded.reload} /> : orNone(null)) },
            ]} />
          )}</Loading>
        </>
      ) : null}
    </>
  );
}

function UserActions(props: { user: User; onShow: (s: Shown) => void; onChanged: () => void }) {
  const { user } = props;
  const path = { params: { path: { id: user.id } } };
  const run = (work: () => Promise<void>) => () => work().catch((e) => toast(formErrors(e, []).form ?? ''));
  const rotate = run(async () => {
    const issued = await must(api.POST('/api/v1/users/{id}/token', path));
    props.onShow({ kind: 'token', name: user.name, token: issued.token });
  });
  const qr = run(async () => {
    const link = await must(api.POST('/api/v1/users/{id}/sign-in-link', path));
    props.onShow({ kind: 'qr', name: user.name, qrSvg: link.qrSvg, url: link.url, expiresAt: link.expiresAt });
  });
  const deactivate = async () => {
    await must(api.DELETE('/api/v1/users/{id}', path));
    toast(w('deactivated'));
    props.onChanged();
  };
  return (
    <div class="row-actions">
      <button type="button" class="secondary small" aria-label={`${w('rotate')}：${user.name}`} onClick={rotate}>{w('rotate')}</button>
      <button type="button" class="secondary small" aria-label={`${w('signInQr')}：${user.name}`} onClick={qr}>{w('signInQr')}</button>
      <ConfirmButton label={w('deactivate')} question={w('confirmDeactivate', { name: user.name })} confirmLabel={w('confirm')} onConfirm={deactivate} />
    </div>
  );
}

function ShownSecret(props: { shown: Shown; onClose: () => void }) {
  const { shown } = props;
  if (shown.kind === 'token') return <CopyBox label={w('tokenOnce', { name: shown.name })} value={shown.token} onClose={props.onClose} />;
  return (
    <div class="card qr-card" role="status">
      <p><strong>{w('qrHelp', { name: shown.name, until: fmtTime(shown.expiresAt) })}</strong></p>
      <img class="qr" alt={`${w('signInQr')}：${shown.name}`} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(shown.qrSvg)}`} />
      <p class="muted link-text">{shown.url}</p>
      <div class="actions"><button type="button" class="secondary" onClick={props.onClose}>{w('close')}</button></div>
    </div>
  );
}

function NewUser(props: { orgId: string; unitType: string; onCreated: (name: string, token: string) => void }) {
  const roles = rolesOfType(props.unitType);
  const [v, setV] = useState({ name: '', role: '' });
  const [errors, setErrors] = useState(noErrors);
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(v, ['name', 'role']);
    if (missing) return setErrors(missing);
    try {
      const user = await must(api.POST('/api/v1/users', { body: { name: v.name.trim(), role: v.role as 'liaison', orgId: props.orgId } }));
      setErrors(noErrors);
      setV({ ...v, name: '' });
      props.onCreated(user.name, user.token);
    } catch (error) { setErrors(formErrors(error, ['name', 'role'])); }
  };
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <h2>{w('newUser')}</h2>
        <FormError message={errors.form} />
        <div class="grid">
          <Field id="user-name" label={w('name')} required error={errors.fields.name}>
            <input name="name" value={v.name} onInput={(e) => setV({ ...v, name: e.currentTarget.value })} />
          </Field>
          <Field id="user-role" label={w('role')} required error={errors.fields.role}>
            <select name="role" value={v.role} onChange={(e) => setV({ ...v, role: e.currentTarget.value })}>
              <option value="">{w('choose')}</option>
              {roles.map((r) => <option key={r} value={r}>{tEnum('role', r)}</option>)}
            </select>
          </Field>
        </div>
        <div class="actions"><button type="submit">{w('create')}</button></div>
      </form>
    </Card>
  );
}
