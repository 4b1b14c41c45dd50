/** The form of one action, built from its field spec; errors appear at their field, in words. */
import { useState } from 'preact/hooks';
import { api, ApiError, must } from '../../api/client.js';
import { useLoad } from '../../components/load.js';
import { colleagueChoices, loadWorkload, type Person } from '../queue/workload.js';
import { Choice, Field, FormError } from '../../components/field.js';
import { formErrors, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { toast } from '../../components/toast.js';
import { enumOptions, language, t, tAction, tField } from '../../i18n.js';
import { LEAD_ORG_TYPES, ORG_TYPES, ORG_TYPE_LEVEL, REFERRED_ROLE, ROUTING_TARGET_TYPES, type OrgType } from '../../../../workflows/case-rules.js';

/** The unit types that hold cases at a level (at L2 a platform committee and a street office). */
const typesAt = (level: string): OrgType[] => ORG_TYPES.filter((type) => ORG_TYPE_LEVEL[type] === level);
import type { Session } from '../../session.js';
import { actionBody, fieldsOf, type FieldSpec } from './action-specs.js';

export type ActionCase = { id: string; version: number; level: string; holderOrgId: string; actionTargets?: Partial<Record<string, string[]>> };

/** The choices of a field: units the rules accept, enumerations, and for an assignment the holding unit's people. */
export function options(action: string, spec: FieldSpec, c: ActionCase, s: Session, people: Person[] | null = null): [string, string][] {
  // The units an action names: only those the server's rules accept now (`actionTargets`), never one it would refuse.
  const accepted = spec.name === 'toOrgId' ? c.actionTargets?.[action] : undefined;
  const orgs = (types: readonly OrgType[]) => s.orgs
    .filter((o) => (types as readonly string[]).includes(o.type) && o.active !== false && (!accepted || accepted.includes(o.id)))
    .map((o): [string, string] => [o.id, o.name]);
  switch (spec.kind) {
    case 'unit': return enumOptions('unit');
    case 'rating': return enumOptions('rating');
    case 'solved': return enumOptions('solved');
    case 'outcome': return enumOptions('outcome');
    case 'urgency': return enumOptions('urgency');
    case 'workerType': return enumOptions('workerType');
    case 'requestType': return enumOptions('requestType');
    case 'category': return s.categories.filter((x) => !x.retired).map((x) => [x.code, language.value === 'en' ? x.nameEn : x.nameZh]);
    case 'platformOrg': return orgs(ROUTING_TARGET_TYPES.forward);
    case 'departmentOrg': return orgs(ROUTING_TARGET_TYPES.hand_off).filter(([id]) => id !== c.holderOrgId);
    case 'departmentOrgs': return orgs(typesAt('department')).filter(([id]) => id !== c.holderOrgId);
    // The worker's platforms, corrected: those with a committee (a transfer may then go to it).
    case 'platforms': return [...new Set(s.orgs.filter((o) => o.type === 'platform' && o.active !== false && o.platform).map((o) => o.platform!))].map((p) => [p, p]);
    // A transfer stays at the case's level: at L2 a committee and a street office are the same level.
    case 'sameLevelOrg': return orgs(typesAt(c.level)).filter(([id]) => id !== c.holderOrgId);
    case 'leadOrg': return s.orgs.filter((o) => (LEAD_ORG_TYPES as readonly string[]).includes(o.type)).map((o) => [o.id, o.name]);
    // The units a case may be referred to: unions, and mediation units with the services they offer.
    case 'referralOrg': return orgs(REFERRED_ROLE.orgTypes);
    case 'referralKind': return enumOptions('referralKind');
    case 'referralOutcome': return enumOptions('referralOutcome');
    case 'colleague': return colleagueChoices(people);
    default: return [];
  }
}

export function ActionForm(props: { action: string; kase: ActionCase; session: Session; onDone: () => void; onCancel: () => void }) {
  const { action, kase } = props;
  const specs = fieldsOf(action);
  const [values, setValues] = useState<Record<string, string | string[]>>(() =>
    Object.fromEntries(specs.filter((s) => s.kind === 'unit').map((s) => [s.name, 'working_days'])));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  // The version the user saw when opening the form: a live reload must not carry a form over someone else's change (409 instead).
  const [version] = useState(kase.version);
  const set = (name: string) => (value: string | string[]) => setValues((v) => ({ ...v, [name]: value }));
  const people = usePeople(specs, kase.holderOrgId);

  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(values, specs.filter((s) => s.required).map((s) => s.name));
    if (missing) return setErrors(missing);
    setBusy(true);
    try {
      await must(api.POST('/api/v1/cases/{id}/actions', {
        params: { path: { id: kase.id }, header: { 'if-match': String(version) } }, body: actionBody(action, values) as never,
      }));
      toast(`${tAction(action)} · ${t('done')}`);
      props.onDone();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'version_stale') { toast(t('stale')); props.onDone(); return; }
      setErrors(formErrors(error, specs.map((s) => s.name)));
      setBusy(false);
    }
  };

  return (
    <form class="card action-form" onSubmit={submit} noValidate>
      <h3>{tAction(action)}</h3>
      <FormError message={errors.form} />
      {specs.map((spec) => (
        <Field key={spec.name} id={`a-${action}-${spec.name}`} required={spec.required} error={errors.fields[spec.name]}
          label={`${tField(spec.name)}${spec.routed ? t('routed') : spec.required ? '' : t('optional')}`}>
          {control(spec, values[spec.name], set(spec.name), options(action, spec, kase, props.session, people))}
        </Field>
      ))}
      <div class="actions">
        <button type="submit" disabled={busy}>{tAction(action)}</button>
        <button type="button" class="secondary" onClick={props.onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}

/** The holding unit's people, loaded only for a form that names one (an assignment). */
export function usePeople(specs: FieldSpec[], orgId: string): Person[] | null {
  const needed = specs.some((spec) => spec.kind === 'colleague');
  return useLoad(() => (needed ? loadWorkload(orgId) : Promise.resolve(null)), [needed, orgId]).data;
}

export function control(spec: FieldSpec, value: string | string[] | undefined, set: (v: string | string[]) => void, choices: [string, string][]) {
  const text = (value as string | undefined) ?? '';
  switch (spec.kind) {
    case 'text': return <textarea name={spec.name} value={text} onInput={(e) => set(e.currentTarget.value)} />;
    case 'line': return <input name={spec.name} value={text} onInput={(e) => set(e.currentTarget.value)} autocomplete="off" />;
    case 'number': return <input name={spec.name} type="number" min={1} inputMode="numeric" value={text} onInput={(e) => set(e.currentTarget.value)} />;
    case 'unit': return (
      <select name={spec.name} value={text} onChange={(e) => set(e.currentTarget.value)}>
        {choices.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
      </select>
    );
    case 'departmentOrgs': case 'platforms': return (
      <select name={spec.name} multiple size={Math.min(6, Math.max(2, choices.length))}
        onChange={(e) => set([...e.currentTarget.selectedOptions].map((o) => o.value))}>
        {choices.map(([v, label]) => <option key={v} value={v} selected={(value as string[] | undefined)?.includes(v)}>{label}</option>)}
      </select>
    );
    default: return <Choice name={spec.name} value={text} options={choices} onChange={set} />;
  }
}
