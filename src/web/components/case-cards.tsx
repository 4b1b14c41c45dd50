/** Cases as cards (the phone's list). */
import { categoryName, orgName } from '../session.js';
import { t } from '../i18n.js';
import { DueBadge, StatePill } from './pills.js';

export type CaseSummary = {
  id: string; reference: string; state: string; category: string; platform?: string | null; holderOrgId: string;
  overdue: boolean; dueAt: string | null; area?: string | null;
};

export function CaseCards(props: { items: CaseSummary[] }) {
  if (props.items.length === 0) return <p class="muted">{t('none')}</p>;
  return (
    <ul class="cards">
      {props.items.map((c) => (
        <li key={c.id}>
          <a class="case-card" href={`#/case/${c.id}`}>
            <span class="ref">{c.reference}</span> <StatePill state={c.state} overdue={c.overdue} />
            <span class="meta">{categoryName(c.category)} · {c.platform ?? c.area ?? '—'} · {orgName(c.holderOrgId)}</span>
            {c.dueAt ? <DueBadge dueAt={c.dueAt} overdue={c.overdue} /> : null}
          </a>
        </li>
      ))}
    </ul>
  );
}
