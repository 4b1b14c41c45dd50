/**
 * One field spec per action in API.md's table: the page builds each action's form from it, and shows
 * an action only when the case's allowedActions has it. Keyed by the API's actions, each naming only
 * its action's body fields (schema.ts): an action or a field the server adds or renames fails typecheck.
 */
import type { components } from '../../api/schema.js';
import type { ActionName } from '../../api/unions.js';

/** The body fields of an action, as its `action_*` schema names them. */
type BodyField<A extends ActionName> = Exclude<keyof components['schemas'][`action_${A}`], 'action'> & string;

export type FieldKind =
  | 'text' | 'line' | 'number' | 'unit' | 'rating' | 'solved' | 'outcome' | 'category' | 'urgency' | 'workerType' | 'requestType'
  | 'platformOrg' | 'departmentOrg' | 'sameLevelOrg' | 'leadOrg' | 'departmentOrgs' | 'platforms' | 'referralOrg' | 'referralKind' | 'referralOutcome'
  | 'colleague';
export type FieldSpec<Name extends string = string> = { name: Name; kind: FieldKind; required: boolean; routed?: boolean };

const req = <Name extends string>(name: Name, kind: FieldKind): FieldSpec<Name> => ({ name, kind, required: true });
const opt = <Name extends string>(name: Name, kind: FieldKind, routed = false): FieldSpec<Name> => ({ name, kind, required: false, routed });

const ACTION_FIELDS = {
  forward: [opt('toOrgId', 'platformOrg', true)],
  resolve: [req('resolution', 'text')],
  withdraw: [req('reason', 'text')],
  merge: [req('intoReference', 'line')],
  accept: [],
  return: [req('reason', 'text')],
  transfer: [req('toOrgId', 'sameLevelOrg'), req('reason', 'text')],
  request_info: [req('question', 'text')],
  resume: [req('answer', 'text')],
  provide_info: [req('answer', 'text')],
  request_extension: [req('amount', 'number'), req('unit', 'unit'), req('reason', 'text')],
  approve_extension: [opt('reason', 'text')],
  deny_extension: [opt('reason', 'text')],
  hand_off: [opt('toOrgId', 'departmentOrg', true), req('reason', 'text')],
  supervise: [req('instructions', 'text'), req('amount', 'number'), req('unit', 'unit')],
  feedback: [req('rating', 'rating'), opt('solved', 'solved'), opt('comment', 'text')],
  reclassify: [
    opt('category', 'category'), opt('urgency', 'urgency'), opt('workerType', 'workerType'), opt('requestType', 'requestType'), opt('platforms', 'platforms'),
    req('reason', 'text'),
  ],
  add_cohandler: [req('orgIds', 'departmentOrgs'), req('reason', 'text')],
  contribute: [req('opinion', 'text')],
  human_review: [req('outcome', 'outcome'), req('explanation', 'text')],
  assign_lead: [req('leadOrgId', 'leadOrg'), req('amount', 'number'), req('unit', 'unit'), req('decision', 'text')],
  refer: [req('kind', 'referralKind'), req('toOrgId', 'referralOrg'), req('reason', 'text')],
  refer_outcome: [req('outcome', 'referralOutcome'), req('note', 'text')],
  appeal: [req('reason', 'text')],
  assign: [req('userId', 'colleague')],
} satisfies { [A in ActionName]: FieldSpec<BodyField<A>>[] };

/** An action's fields (none for an action this page does not know). */
export const fieldsOf = (action: string): FieldSpec[] =>
  Object.hasOwn(ACTION_FIELDS, action) ? ACTION_FIELDS[action as ActionName] : [];

/** The main action of a state, shown as the filled button; the rest are secondary. */
const PRIMARY_ACTIONS: readonly string[] = ['accept', 'forward', 'resolve', 'feedback', 'provide_info', 'contribute', 'human_review'] satisfies ActionName[];
export const isPrimaryAction = (action: string) => PRIMARY_ACTIONS.includes(action);

/** The API body from the form's values: numbers as numbers, lists as lists, empty optional fields left out. */
export function actionBody(action: string, values: Record<string, string | string[]>): Record<string, unknown> {
  const body: Record<string, unknown> = { action };
  for (const spec of fieldsOf(action)) {
    const value = values[spec.name];
    if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    body[spec.name] = spec.kind === 'number' ? Number(value) : value;
  }
  return body;
}
