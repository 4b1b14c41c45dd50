/**
 * Bulk 受理 / 退回 / 转办 / 移交 / 分派 on the selected rows. Each case goes through its own action
 * with its own If-Match (the version its row showed): one reason, and one target, apply to all.
 * A few at a time; the page then says which succeeded and, for each refused one, why.
 */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { errorText, missingFields, noErrors, type FormErrors } from '../../components/errors.js';
import { Field, FormError } from '../../components/field.js';
import { t, tAction, tField } from '../../i18n.js';
import type { Session } from '../../session.js';
import type { ActionName } from '../../api/unions.js';
import { control, options, usePeople } from '../case/action-form.js';
import { actionBody, fieldsOf } from '../case/action-specs.js';
import { ORG_TYPE_LEVEL, type OrgType } from '../../../../workflows/case-rules.js';

export const BULK_ACTIONS = ['accept', 'return', 'transfer', 'hand_off', 'assign'] as const satisfies readonly ActionName[];
export type BulkAction = (typeof BULK_ACTIONS)[number];
export type BulkCase = { id: string; reference: string; version: number };
export type BulkOutcome = { id: string; reference: string; refusal: string | null };

/** How many actions are in flight at once: fast enough for a page of cases, gentle on the server. */
const AT_ONCE = 4;

/** Sends `body` to each case with its own version; each outcome is the case's, in the order given. */
export async function actOnEach(cases: BulkCase[], body: Record<string, unknown>, progress: (done: number) => void): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = new Array(cases.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i];
      try {
        await must(api.POST('/api/v1/cases/{id}/actions', { params: { path: { id: c.id }, header: { 'if-match': String(c.version) } }, body: body as never }));
        outcomes[i] = { id: c.id, reference: c.reference, refusal: null };
      } catch (error) {
        outcomes[i] = { id: c.id, reference: c.reference, refusal: errorText(error) };
      }
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, cases.length) }, worker));
  return outcomes;
}

export function BulkActions(props: { session: Session; selected: BulkCase[]; onDone: (action: BulkAction, outcomes: BulkOutcome[]) => void; onClear: () => void }) {
  const { session, selected } = props;
  const [action, setAction] = useState<BulkAction>('accept');
  const [values, setValues] = useState<Record<string, string | string[]>>({});
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [done, setDone] = useState<number | null>(null);
  const specs = fieldsOf(action);
  const unit = { id: '', version: 0, level: levelOf(session), holderOrgId: session.me.orgId ?? '' };
  const people = usePeople(specs, unit.holderOrgId);

  const run = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(values, specs.filter((s) => s.required).map((s) => s.name));
    if (missing) return setErrors(missing);
    setErrors(noErrors);
    setDone(0);
    const outcomes = await actOnEach(selected, actionBody(action, values), setDone);
    setDone(null);
    props.onDone(action, outcomes);
  };

  return (
    <form class="card bulk no-print" onSubmit={run} noValidate aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t('bulkAction')} · {t('selectedCount', { n: selected.length })}</h2>
      <FormError message={errors.form} />
      <div class="bulk-fields">
        <Field id="bulk-action" label={t('bulkAction')}>
          <select name="bulkAction" value={action} onChange={(e) => { setAction(e.currentTarget.value as BulkAction); setValues({}); setErrors(noErrors); }}>
            {BULK_ACTIONS.map((a) => <option key={a} value={a}>{tAction(a)}</option>)}
          </select>
        </Field>
        {specs.map((spec) => (
          <Field key={`${action}-${spec.name}`} id={`bulk-${spec.name}`} required={spec.required} error={errors.fields[spec.name]}
            label={`${tField(spec.name)}${spec.routed ? t('routed') : spec.required ? '' : t('optional')}`}>
            {control(spec, values[spec.name], (v) => setValues((old) => ({ ...old, [spec.name]: v })), options(action, spec, unit, session, people))}
          </Field>
        ))}
      </div>
      <div class="actions">
        <button type="submit" disabled={done !== null || selected.length === 0}>
          {done !== null ? t('bulkProgress', { done, n: selected.length }) : `${tAction(action)} · ${t('bulkRun', { n: selected.length })}`}
        </button>
        <button type="button" class="secondary" onClick={props.onClear} disabled={done !== null}>{t('clearSelection')}</button>
      </div>
    </form>
  );
}

/** What the bulk outcome says: how many succeeded, and each refused case with its reason. */
export function BulkReport(props: { action: BulkAction; outcomes: BulkOutcome[] }) {
  const refused = props.outcomes.filter((o) => o.refusal !== null);
  const ok = props.outcomes.length - refused.length;
  return (
    <section class="card bulk-report no-print" role="status" aria-live="polite">
      <p><strong>{tAction(props.action)}：{t('bulkDone', { ok, failed: refused.length })}</strong></p>
      {refused.length ? (
        <ul class="refused">{refused.map((o) => <li key={o.id}><a href={`#/case/${o.id}`}>{o.reference}</a>：{o.refusal}</li>)}</ul>
      ) : null}
      {ok ? (
        <details><summary>{t('bulkSucceeded')}（{ok}）</summary>
          <p class="succeeded">{props.outcomes.filter((o) => o.refusal === null).map((o) => o.reference).join('、')}</p>
        </details>
      ) : null}
    </section>
  );
}

/** The level the caller's unit holds cases at: what a transfer stays within. */
const levelOf = (session: Session): string => ORG_TYPE_LEVEL[session.me.orgType as OrgType] ?? 'platform';
