/** What is going on: the background queues' counts, and the admin audit log (period by period, page by page). */
import { useState } from 'preact/hooks';
import { api, must, token } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, useLoad } from '../../components/load.js';
import { fmtTime, tEnum } from '../../i18n.js';
import type { Org } from '../../session.js';
import { unitName, useUnits } from './parts.js';
import { named, w } from './words.js';

export function ActivitySection() {
  return (
    <>
      <h2>{w('queues')}</h2>
      <QueueCounts />
      <h2>{w('audit')}</h2>
      <AuditLog />
    </>
  );
}

type QueueRow = { name: string; counts: Record<string, number> };
const COUNT_NAMES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * `GET /api/v1/queues` (API.md: waiting / delayed / failed counts) is not in the served document yet,
 * so it is read with fetch and either shape is taken: `{items: [{name, …counts}]}` or `{<queue>: {…counts}}`.
 */
async function loadQueues(): Promise<QueueRow[] | 'missing'> {
  const answer = await fetch('/api/v1/queues', { headers: { authorization: `Bearer ${token.value ?? ''}` } });
  if (answer.status === 404) return 'missing';
  if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
  const body = await answer.json() as Record<string, unknown>;
  const list: Record<string, unknown>[] = Array.isArray(body.items) ? body.items as Record<string, unknown>[]
    : Object.entries(body.queues ?? body).map(([name, counts]) => ({ name, ...(counts as object) }));
  return list.map((q) => ({
    name: String(q.name ?? q.queue ?? ''),
    counts: Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'number')) as Record<string, number>,
  }));
}

function QueueCounts() {
  const loaded = useLoad(loadQueues, []);
  return (
    <Loading loaded={loaded}>{(rows) => (rows === 'missing' ? <p class="muted">{w('queuesMissing')}</p> : (
      <>
        <DataTable caption={w('queues')} rows={rows} rowKey={(q) => q.name} rowClass={(q) => ((q.counts.failed ?? 0) > 0 ? 'overdue' : '')} columns={[
          { label: w('queue'), cell: (q) => named('queue', q.name), primary: true },
          ...COUNT_NAMES.map((c) => ({ label: w(c === 'active' ? 'active_' : c), cell: (q: QueueRow) => q.counts[c] ?? '—' })),
        ]} />
        <div class="actions"><button type="button" class="secondary small" onClick={loaded.reload}>{w('refresh')}</button></div>
      </>
    ))}</Loading>
  );
}

const PAGE = 20;
const DAY = 86_400_000;
const ENTITIES = ['org', 'user', 'token', 'routing_rules', 'sla_policies', 'calendar', 'channels', 'catalogue'];

function AuditLog() {
  const [to, setTo] = useState(() => Date.now() + 60_000);
  const [entity, setEntity] = useState('');
  const [page, setPage] = useState(0);
  const from = to - 30 * DAY;
  const loaded = useLoad(() => Promise.all([
    must(api.GET('/api/v1/audit/admin', { params: { query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...(entity ? { entity: entity as 'org' } : {}) } } })),
    must(api.GET('/api/v1/users')),
  ]), [to, entity]);
  const move = (days: number) => { setTo(to + days * DAY); setPage(0); };
  return (
    <>
      <div class="toolbar">
        <div class="field">
          <label for="audit-entity">{w('entity')}</label>
          <select id="audit-entity" value={entity} onChange={(e) => { setEntity(e.currentTarget.value); setPage(0); }}>
            <option value="">{w('any')}</option>
            {ENTITIES.map((x) => <option key={x} value={x}>{named('entity', x)}</option>)}
          </select>
        </div>
        <p class="muted" aria-live="polite">{w('period', { from: fmtTime(new Date(from).toISOString()), to: fmtTime(new Date(to).toISOString()) })}</p>
        <button type="button" class="secondary small" onClick={() => move(-30)}>{w('previousPeriod')}</button>
        <button type="button" class="secondary small" disabled={to > Date.now()} onClick={() => move(30)}>{w('nextPeriod')}</button>
      </div>
      <Loading loaded={loaded}>{([log, users]) => <AuditTable items={log.items} users={users.items} page={page} onPage={setPage} />}</Loading>
    </>
  );
}

type Change = { id: number; at: string; actorUserId: string | null; entity: string; entityId: string | null; action: string; details: Record<string, unknown> };

function AuditTable(props: { items: Change[]; users: { id: string; name: string }[]; page: number; onPage: (page: number) => void }) {
  const { page, onPage } = props;
  const units = useUnits();
  const names = new Map(props.users.map((u) => [u.id, u.name]));
  const pages = Math.max(1, Math.ceil(props.items.length / PAGE));
  const shown = props.items.slice(page * PAGE, page * PAGE + PAGE);
  /** Which unit or user was changed, by name (a year for the calendar). */
  const target = (x: Change) => {
    if (!x.entityId) return '';
    if (x.entity === 'user' || x.entity === 'token') return names.get(x.entityId) ?? '';
    if (x.entity === 'org' || x.entity === 'channels') return unitName(units, x.entityId);
    return x.entityId;
  };
  return (
    <>
      <DataTable caption={w('audit')} rows={shown} rowKey={(x) => String(x.id)} columns={[
        { label: w('at'), cell: (x) => fmtTime(x.at), primary: true },
        { label: w('actor'), cell: (x) => (x.actorUserId ? names.get(x.actorUserId) ?? x.actorUserId : w('bootstrap')) },
        { label: w('entity'), cell: (x) => [named('entity', x.entity), target(x)].filter(Boolean).join(' · ') },
        { label: w('action'), cell: (x) => named('adminAction', x.action) },
        { label: w('details'), cell: (x) => <span class="details">{detailsText(x.details, units)}</span> },
      ]} />
      <nav class="pager" aria-label={w('audit')}>
        <button type="button" class="secondary small" disabled={page === 0} onClick={() => onPage(page - 1)}>{w('later')}</button>
        <span>{w('page', { n: page + 1, of: pages })}</span>
        <button type="button" class="secondary small" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>{w('earlier')}</button>
      </nav>
    </>
  );
}

/** The change's details in words: units and roles by name, times in the page's format, yes/no. */
function detailsText(details: Record<string, unknown>, units: Org[]) {
  const value = (k: string, v: unknown): string => {
    if (typeof v === 'string' && /orgId$|^parentId$/.test(k)) return unitName(units, v);
    if (typeof v === 'string' && k === 'role') return tEnum('role', v);
    if (typeof v === 'string' && k === 'type') return tEnum('orgType', v);
    if (typeof v === 'string' && k === 'expiresAt') return fmtTime(v);
    if (typeof v === 'boolean') return v ? w('yes') : w('no');
    if (Array.isArray(v)) return v.map((x) => (k === 'channels' ? w(x as 'wecom') : String(x))).join('、');
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return Object.entries(details).map(([k, v]) => `${named('detail', k)}: ${value(k, v)}`).join('; ') || '—';
}
