/**
 * The committee's and the officer's queue — the clerk's workbench: buckets with their counts (and
 * 我的, the cases assigned to me), search (reference, text, the worker's last 4 digits), filters,
 * saved views (this browser, per user), paging by cursor, live updates when a case in scope
 * changes; row selection and bulk actions, the keyboard (`?` lists the keys), the unit's workload,
 * and the current view as CSV or printed. A table on a wide screen, cards on a phone.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { errorText } from '../../components/errors.js';
import { Loading, useLoad } from '../../components/load.js';
import { DueBadge, StatePill, dueOf } from '../../components/pills.js';
import { toast } from '../../components/toast.js';
import { fmtTime, language, STATES, t, tAction, tState, type TextKey } from '../../i18n.js';
import { liveState, onCaseChange } from '../../live.js';
import { go } from '../../router.js';
import { categoryName, orgName, type Session } from '../../session.js';
import { useSignal } from '../../store.js';
import { STATE_LABELS, type CaseState } from '../../../../workflows/case-rules.js';
import { BulkActions, BulkReport, type BulkAction, type BulkOutcome } from './bulk-actions.js';
import { csvOf, download } from './queue-export.js';
import { useQueueKeys } from './queue-keys.js';
import { deleteFilter, readSavedFilters, saveFilter, type SavedFilter } from './saved-filters.js';
import { WorkloadPanel, loadWorkload } from './workload.js';

type Bucket = 'waitingMe' | 'mine' | 'overdue' | 'open' | 'closed' | 'total';
type Counts = Partial<Record<Bucket | 'dueSoon', number>>;
type Row = {
  id: string; reference: string; state: string; category: string; platform: string | null; area: string | null; holderOrgId: string;
  overdue: boolean; dueAt: string | null; description: string; version: number; assigneeUserId: string | null;
};
type Page = { items: Row[]; nextCursor: string | null; counts?: Counts };

const listCases = (query: Record<string, string | undefined>) => must(api.GET('/api/v1/cases', { params: { query: query as never } })) as Promise<Page>;
const BUCKETS: { key: Bucket; label: TextKey }[] = [
  { key: 'waitingMe', label: 'waitingMe' }, { key: 'mine', label: 'mine' }, { key: 'overdue', label: 'overdue' }, { key: 'open', label: 'open' },
  { key: 'closed', label: 'closed' }, { key: 'total', label: 'total' },
];
/** A page holds what a clerk selects at once (select all shown). */
const PAGE_SIZE = '50';

function bucketQuery(bucket: Bucket, orgId: string | null): Record<string, string | undefined> {
  switch (bucket) {
    case 'waitingMe': return { holderOrgId: orgId ?? undefined, open: 'true', sort: 'due' };
    case 'mine': return { assignee: 'me', open: 'true', sort: 'due' };
    case 'overdue': return { overdue: 'true', open: 'true', sort: 'due' };
    case 'open': return { open: 'true', sort: 'due' };
    case 'closed': return { open: 'false' };
    default: return {};
  }
}

type Filters = { q: string; state: string; category: string; platform: string; sort: string };
/** What a saved view keeps: the bucket and the filters. */
type View = { bucket: Bucket; filters: Filters };
const NO_FILTERS: Filters = { q: '', state: '', category: '', platform: '', sort: '' };

/** The queue's orders: `sort:order` of GET /cases (empty: the bucket's own, soonest due first). */
const SORTS: [string, TextKey][] = [
  ['', 'sortDefault'], ['updated:desc', 'sortUpdated'], ['created:desc', 'sortNewest'], ['created:asc', 'sortOldest'], ['reference:asc', 'sortReference'],
];

/** The first page of the chosen bucket and filters, more pages by cursor, and a reload when a case in scope changes. */
function useQueue(bucket: Bucket, filters: Filters, orgId: string | null) {
  const [more, setMore] = useState<{ items: Row[]; cursor: string | null }>({ items: [], cursor: null });
  const query = useMemo(() => {
    const { sort, ...rest } = filters;
    const q: Record<string, string | undefined> = { ...bucketQuery(bucket, orgId), limit: PAGE_SIZE };
    for (const [k, v] of Object.entries(rest)) if (v) q[k] = v;
    if (sort) [q.sort, q.order] = sort.split(':');
    return q;
  }, [bucket, filters, orgId]);
  const first = useLoad(() => listCases(query), [JSON.stringify(query)]);
  useEffect(() => setMore({ items: [], cursor: null }), [first.data]);
  const reload = useRef(first.reload);
  reload.current = first.reload;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onCaseChange(() => { clearTimeout(timer); timer = setTimeout(() => reload.current(), 300); });
    return () => { off(); clearTimeout(timer); };
  }, []);
  const loadMore = async (cursor: string) => {
    const page = await listCases({ ...query, cursor });
    setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
  };
  return { first, more, loadMore };
}

/** A unit that holds cases starts on what waits for it; a referred unit (it holds none) on the open cases referred to it. */
export function QueuePage(props: { session: Session; title?: string; startOn?: Bucket; emptyHint?: string }) {
  const { me } = props.session;
  const [view, setView] = useState<View>({ bucket: props.startOn ?? 'waitingMe', filters: NO_FILTERS });
  const { bucket, filters } = view;
  const { first, more, loadMore } = useQueue(bucket, filters, me.orgId);
  const people = useLoad(() => (me.orgId ? loadWorkload(me.orgId) : Promise.resolve([])), [me.orgId, first.data]);
  const live = useSignal(liveState);
  const counts = first.data?.counts;
  const rows = useMemo(() => [...(first.data?.items ?? []), ...more.items], [first.data, more.items]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [current, setCurrent] = useState(-1);
  const [outcomes, setOutcomes] = useState<{ action: BulkAction; outcomes: BulkOutcome[] } | null>(null);
  const [showKeys, setShowKeys] = useState(false);
  // A new list keeps the selection of the rows still shown, and the cursor within it.
  useEffect(() => {
    setSelected((s) => new Set(rows.filter((r) => s.has(r.id)).map((r) => r.id)));
    setCurrent((i) => Math.min(i, rows.length - 1));
  }, [rows]);
  useEffect(() => document.querySelector('tr.current')?.scrollIntoView({ block: 'nearest' }), [current]);

  const toggle = (id: string, on?: boolean) => setSelected((s) => {
    const next = new Set(s);
    if (on ?? !next.has(id)) next.add(id); else next.delete(id);
    return next;
  });
  const move = (by: number, selecting: boolean) => {
    if (rows.length === 0) return;
    const from = current;
    const to = Math.max(0, Math.min(rows.length - 1, from < 0 ? 0 : from + by));
    if (selecting) { if (from >= 0) toggle(rows[from].id, true); toggle(rows[to].id, true); }
    setCurrent(to);
  };
  const acceptCurrent = async () => {
    const row = rows[current];
    if (!row) return;
    try {
      await must(api.POST('/api/v1/cases/{id}/actions', { params: { path: { id: row.id }, header: { 'if-match': String(row.version) } }, body: { action: 'accept' } }));
      toast(`${row.reference} · ${tAction('accept')} · ${t('done')}`);
      first.reload();
    } catch (error) {
      toast(`${row.reference} · ${t('bulkRefused')}${errorText(error)}`);
    }
  };
  useQueueKeys({
    j: () => move(1, false), k: () => move(-1, false), J: () => move(1, true), K: () => move(-1, true),
    Enter: () => { if (rows[current]) go(`#/case/${rows[current].id}`); },
    a: () => { void acceptCurrent(); },
    x: () => { if (rows[current]) toggle(rows[current].id); },
    '/': () => document.getElementById('queue-search')?.focus(),
    '?': () => setShowKeys((v) => !v),
    Escape: () => setShowKeys(false),
  });

  const chosen = rows.filter((r) => selected.has(r.id));
  const bulkDone = (action: BulkAction, result: BulkOutcome[]) => {
    setOutcomes({ action, outcomes: result });
    setSelected(new Set(result.filter((o) => o.refusal !== null).map((o) => o.id)));
    first.reload();
  };
  const names = Object.fromEntries((people.data ?? []).map((p) => [p.userId, p.name]));
  return (
    <>
      <h1>{props.title ?? t('triage')} · {me.orgName} <span class="live" role="status">{live === 'live' ? `● ${t('live')}` : live === 'down' ? t('reconnecting') : ''}</span></h1>
      <div class="buckets no-print" role="tablist" aria-label={t('filter')}>
        {BUCKETS.map((b) => (
          <button key={b.key} type="button" role="tab" aria-selected={bucket === b.key} class={bucket === b.key ? '' : 'secondary'}
            onClick={() => setView({ bucket: b.key, filters })}>
            {t(b.label)}{counts?.[b.key] !== undefined ? <span class="bucket-count">{counts[b.key]}</span> : null}
          </button>
        ))}
        {counts?.dueSoon ? <span class="pill soon">{t('dueSoon')} {counts.dueSoon}</span> : null}
      </div>
      <QueueFilters session={props.session} filters={filters} onChange={(f) => setView({ bucket, filters: f })} />
      <SavedViews userId={me.userId} view={view} onApply={setView} />
      <div class="actions queue-tools no-print">
        <button type="button" class="secondary" onClick={() => exportCsv(rows, names, props.session)} disabled={rows.length === 0}>{t('exportCsv')}</button>
        <button type="button" class="secondary" onClick={() => window.print()}>{t('printView')}</button>
        <button type="button" class="link" aria-expanded={showKeys} onClick={() => setShowKeys((v) => !v)}>{t('keyHint')}</button>
      </div>
      {showKeys ? <KeyList onClose={() => setShowKeys(false)} /> : null}
      {me.orgId ? <WorkloadPanel people={people} /> : null}
      {outcomes ? <BulkReport {...outcomes} /> : null}
      {chosen.length ? (
        <BulkActions session={props.session} selected={chosen} onDone={bulkDone} onClear={() => setSelected(new Set())} />
      ) : null}
      <Loading loaded={first}>{(page) => {
        const cursor = more.items.length ? more.cursor : page.nextCursor;
        const allShown = rows.length > 0 && rows.every((r) => selected.has(r.id));
        return (
          <>
            {rows.length ? (
              <label class="check select-all no-print">
                <input type="checkbox" checked={allShown}
                  onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())} />
                {t('selectAllShown')}（{rows.length}）
              </label>
            ) : null}
            <p class="sr-only" role="status">{rows[current] ? rows[current].reference : ''}</p>
            <div class="queue-table">
              {rows.length === 0 && counts?.total === 0 && props.emptyHint ? <p class="muted">{props.emptyHint}</p>
                : <CaseTable rows={rows} selected={selected} current={rows[current]?.id ?? null} names={names} onToggle={toggle} />}
            </div>
            {cursor ? <div class="actions"><button type="button" class="secondary" onClick={() => loadMore(cursor)}>{t('more')}</button></div> : null}
          </>
        );
      }}</Loading>
    </>
  );
}

/** Search (reference, text, the worker's last 4 digits), filters by state, category and platform, and the order. */
function QueueFilters(props: { session: Session; filters: Filters; onChange: (filters: Filters) => void }) {
  const { filters, onChange } = props;
  const [search, setSearch] = useState(filters.q);
  // A saved view applied from outside sets the search too.
  useEffect(() => setSearch(filters.q), [filters.q]);
  const platforms = props.session.orgs.filter((o) => o.type === 'platform' && o.platform).map((o) => o.platform!);
  const setFilter = (name: keyof Filters) => (e: Event) => onChange({ ...filters, [name]: (e.currentTarget as HTMLSelectElement).value });
  const choice = (name: keyof Filters, label: string, options: [string, string][], none: string | null = t('all')) => (
    <label><span>{label}</span>
      <select name={name} value={filters[name]} onChange={setFilter(name)}>
        {none === null ? null : <option value="">{none}</option>}
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select></label>
  );
  return (
    <form class="filters no-print" role="search" onSubmit={(e) => { e.preventDefault(); onChange({ ...filters, q: search.trim() }); }}>
      <label class="grow"><span>{t('search')}</span>
        <input id="queue-search" type="search" name="q" value={search} onInput={(e) => setSearch(e.currentTarget.value)} /></label>
      {choice('state', t('state'), Object.keys(STATES).map((s) => [s, tState(s)]))}
      {choice('category', t('category'), props.session.categories.map((c) => [c.code, language.value === 'en' ? c.nameEn : c.nameZh]))}
      {choice('platform', t('platform'), platforms.map((p) => [p, p]))}
      {choice('sort', t('sortBy'), SORTS.map(([v, label]) => [v, t(label)]), null)}
      <button type="submit" class="secondary">{t('lookUp')}</button>
    </form>
  );
}

/** Saved views of this user in this browser: apply one, delete it, or save the current one under a name. */
function SavedViews(props: { userId: string | null; view: View; onApply: (view: View) => void }) {
  const [saved, setSaved] = useState<SavedFilter<View>[]>(() => readSavedFilters<View>(props.userId));
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');
  const save = (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return;
    setSaved(saveFilter(props.userId, name.trim(), props.view));
    setChosen(name.trim());
    setName('');
    toast(t('filterSaved'));
  };
  return (
    <form class="filters saved-views no-print" onSubmit={save}>
      {saved.length ? (
        <>
          <label><span>{t('savedFilters')}</span>
            <select name="savedFilter" value={chosen} onChange={(e) => {
              const found = saved.find((f) => f.name === e.currentTarget.value);
              setChosen(e.currentTarget.value);
              if (found) props.onApply(found.view);
            }}>
              <option value="">{t('choose')}</option>
              {saved.map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
            </select></label>
          <button type="button" class="secondary" disabled={!chosen} onClick={() => { setSaved(deleteFilter(props.userId, chosen)); setChosen(''); }}>{t('deleteFilter')}</button>
        </>
      ) : null}
      <label><span>{t('filterName')}</span><input name="filterName" value={name} onInput={(e) => setName(e.currentTarget.value)} autocomplete="off" /></label>
      <button type="submit" class="secondary">{t('saveFilter')}</button>
    </form>
  );
}

const KEYS: [string, TextKey][] = [
  ['j / k', 'keyMove'], ['Enter', 'keyOpen'], ['a', 'keyAccept'], ['x', 'keySelect'], ['/', 'keySearch'], ['?', 'keyHelp'],
];
function KeyList(props: { onClose: () => void }) {
  return (
    <section class="card keys no-print" aria-labelledby="keys-title">
      <h2 id="keys-title">{t('keyboard')}</h2>
      <dl class="facts">{KEYS.map(([key, label]) => <div key={key}><dt><kbd>{key}</kbd></dt><dd>{t(label)}</dd></div>)}</dl>
      <button type="button" class="secondary small" onClick={props.onClose}>{t('close')}</button>
    </section>
  );
}

function CaseTable(props: { rows: Row[]; selected: Set<string>; current: string | null; names: Record<string, string>; onToggle: (id: string) => void }) {
  const { selected, current, names } = props;
  return (
    <DataTable rows={props.rows} rowKey={(c) => c.id} caption={t('triage')}
      rowClass={(c) => `${dueOf(c.dueAt, c.overdue).tone}${c.id === current ? ' current' : ''}${selected.has(c.id) ? ' selected' : ''}`}
      columns={[
        {
          label: t('select'), cell: (c) => (
            <input type="checkbox" class="no-print" aria-label={`${t('select')} ${c.reference}`} checked={selected.has(c.id)} onChange={() => props.onToggle(c.id)} />
          ),
        },
        { label: t('reference'), cell: (c) => <a href={`#/case/${c.id}`} aria-current={c.id === current ? 'true' : undefined}>{c.reference}</a>, primary: true },
        { label: t('state'), cell: (c) => <StatePill state={c.state} overdue={c.overdue} /> },
        { label: t('category'), cell: (c) => categoryName(c.category) },
        { label: t('summary'), cell: (c) => <span class="summary">{c.description}</span> },
        { label: t('platformOrArea'), cell: (c) => c.platform ?? c.area ?? '—' },
        { label: t('holder'), cell: (c) => orgName(c.holderOrgId) },
        { label: t('assignee'), cell: (c) => (c.assigneeUserId ? names[c.assigneeUserId] ?? '—' : <span class="muted">{t('unassigned')}</span>) },
        { label: t('timeLeft'), cell: (c) => <DueBadge dueAt={c.dueAt} overdue={c.overdue} /> },
      ]} />
  );
}

/** The rows shown, as a CSV with Chinese headers (whatever the page's language): Excel opens it as UTF-8. */
function exportCsv(rows: Row[], names: Record<string, string>, session: Session) {
  const category = (code: string) => session.categories.find((c) => c.code === code)?.nameZh ?? code;
  const headers = ['编号', '状态', '类别', '摘要', '平台/区域', '承办单位', '承办人', '到期时间', '是否超期'];
  const body = rows.map((c) => [
    c.reference, STATE_LABELS[c.state as CaseState] ?? c.state, category(c.category), c.description, c.platform ?? c.area ?? '', orgName(c.holderOrgId),
    c.assigneeUserId ? names[c.assigneeUserId] ?? '' : '', c.dueAt ? fmtTime(c.dueAt) : '', c.overdue ? '是' : '否',
  ]);
  download(`待办队列-${new Date().toISOString().slice(0, 10)}.csv`, csvOf(headers, body));
}
