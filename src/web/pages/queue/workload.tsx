/**
 * The unit's workload (一人身兼多职): open and overdue cases per person, from GET /workload. The same
 * list names the colleagues a case may be assigned to (the active ones).
 */
import { api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, type Loaded } from '../../components/load.js';
import { t, tEnum } from '../../i18n.js';

export type Person = { userId: string; name: string; role: string; active: boolean; open: number; overdue: number };

export const loadWorkload = (orgId: string) =>
  must(api.GET('/api/v1/workload', { params: { query: { orgId } } })).then((w) => w.items as Person[]);

/** The people a case held by the unit may be assigned to: its active users, as [id, name] choices. */
export const colleagueChoices = (people: Person[] | null): [string, string][] =>
  (people ?? []).filter((p) => p.active).map((p) => [p.userId, p.name]);

/** The panel: a row per person, its open cases and, marked, the overdue ones. */
export function WorkloadPanel(props: { people: Loaded<Person[]> }) {
  const { people } = props;
  return (
    <details class="card workload no-print" open>
      <summary><h2>{t('workload')}</h2></summary>
      <Loading loaded={people}>{(rows) => (
        <DataTable rows={rows} rowKey={(p) => p.userId} caption={t('workload')} columns={[
          { label: t('person'), cell: (p) => <>{p.name}{p.active ? null : <span class="muted"> · {t('deactivated')}</span>}</>, primary: true },
          { label: t('role'), cell: (p) => tEnum('role', p.role) },
          { label: t('open'), cell: (p) => p.open },
          { label: t('overdue'), cell: (p) => (p.overdue ? <span class="pill overdue">{p.overdue}</span> : 0) },
        ]} />
      )}</Loading>
    </details>
  );
}
