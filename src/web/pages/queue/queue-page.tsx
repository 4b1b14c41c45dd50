/**
 * The committee's and the officer's queue: buckets with their counts, search (reference, text, the
 * worker's last 4 digits), filters, paging by cursor, and live updates when a case in scope changes.
 * A table on a wide screen, cards on a phone.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, useLoad } from '../../components/load.js';
import { DueBadge, StatePill, dueOf } from '../../components/pills.js';
import { language, STATES, t, tState, type TextKey } from '../../i18n.js';
import { liveState, onCaseChange } from '../../live.js';
import { categoryName, orgName, type Session } from '../../session.js';
import { useSignal } from '../../store.js';

type Bucket = 'waitingMe' | 'overdue' | 'open' | 'closed' | 'total';
type Counts = Partial<Record<Bucket | 'dueSoon', number>>;
type Row = { id: string; reference: string; state: string; category: string; platform: string | null; area: string | null; holderOrgId: string; overdue: boolean; dueAt: string | null; description: string };
type Page = { items: Row[]; nextCursor: string | null; counts?: Counts };

const listCases = (query: Record<string, string | undefined>) => must(api.GET('/api/v1/cases', { params: { query: query as never } })) as Promise<Page>;
const BUCKETS: { key: Bucket; label: TextKey }[] = [
  { key: 'waitingMe', label: 'waitingMe' }, { key: 'overdue', label: 'overdue' }, { key: 'open', label: 'open' },
  { key: 'closed', label: 'closed' }, { key: 'total', label: 'total' },
];
const PAGE_SIZE = '25';

function bucketQuery(bucket: Bucket, orgId: string | null): Record<string, string | undefined> {
  switch (bucket) {
    case 'waitingMe': return { holderOrgId: orgId ?? undefined, open: 'true', sort: 'due' };
    case 'overdue': return { overdue: 'true', open: 'true', sort: 'due' };
    case 'open': return { open: 'true', sort: 'due' };
    case 'closed': return { open: 'false' };
    default: return {};
  }
}

type Filters = { q: string; state: string; category: string; platform: string; sort: string };

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
export function QueuePage(props: { session: Session; title?: string; startOn?: Bucket }) {
  const { me } = props.session;
  const [bucket, setBucket] = useState<Bucket>(props.startOn ?? 'waitingMe');
  const [filters, setFilters] = useState<Filters>({ q: '', state: '', category: '', platform: '', sort: '' });
  const { first, more, loadMore } = useQueue(bucket, filters, me.orgId);
  const live = useSignal(liveState);
  const counts = first.data?.counts;
  return (
    <>
      <h1>{props.title ?? t('triage')} · {me.orgName} <span class="live" role="status">{live === 'live' ? `● ${t('live')}` : live === 'down' ? t('reconnecting') : ''}</span></h1>
      <div class="buckets" role="tablist" aria-label={t('filter')}>
        {BUCKETS.map((b) => (
          <button key={b.key} type="button" role="tab" aria-selected={bucket === b.key} class={bucket === b.key ? '' : 'secondary'} onClick={() => setBucket(b.key)}>
            {t(b.label)}{counts?.[b.key] !== undefined ? <span class="bucket-count">{counts[b.key]}</span> : null}
          </button>
        ))}
        {counts?.dueSoon ? <span class="pill soon">{t('dueSoon')} {counts.dueSoon}</span> : null}
      </div>
      <QueueFilters session={props.session} filters={filters} onChange={setFilters} />
      <Loading loaded={first}>{(page) => {
        const cursor = more.items.length ? more.cursor : page.nextCursor;
        return (
          <>
            <CaseTable rows={[...page.items, ...more.items]} />
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
    <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); onChange({ ...filters, q: search.trim() }); }}>
      <label class="grow"><span>{t('search')}</span>
        <input type="search" name="q" value={search} onInput={(e) => setSearch(e.currentTarget.value)} /></label>
      {choice('state', t('state'), Object.keys(STATES).map((s) => [s, tState(s)]))}
      {choice('category', t('category'), props.session.categories.map((c) => [c.code, language.value === 'en' ? c.nameEn : c.nameZh]))}
      {choice('platform', t('platform'), platforms.map((p) => [p, p]))}
      {choice('sort', t('sortBy'), SORTS.map(([v, label]) => [v, t(label)]), null)}
      <button type="submit" class="secondary">{t('lookUp')}</button>
    </form>
  );
}

function CaseTable(props: { rows: Row[] }) {
  return (
    <DataTable rows={props.rows} rowKey={(c) => c.id} caption={t('triage')} rowClass={(c) => dueOf(c.dueAt, c.overdue).tone}
      columns={[
        { label: t('reference'), cell: (c) => <a href={`#/case/${c.id}`}>{c.reference}</a>, primary: true },
        { label: t('state'), cell: (c) => <StatePill state={c.state} overdue={c.overdue} /> },
        { label: t('category'), cell: (c) => categoryName(c.category) },
        { label: t('summary'), cell: (c) => <span class="summary">{c.description}</span> },
        { label: t('platformOrArea'), cell: (c) => c.platform ?? c.area ?? '—' },
        { label: t('holder'), cell: (c) => orgName(c.holderOrgId) },
        { label: t('timeLeft'), cell: (c) => <DueBadge dueAt={c.dueAt} overdue={c.overdue} /> },
      ]} />
  );
}
