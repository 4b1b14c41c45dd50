// The web pages: one small client over the public API. Each role gets the page for its job.
import { ENUMS, isEnglish, t, tAction, tEnum, tField, tState, toggleLanguage } from './i18n.js';

const main = document.getElementById('main');
// The token lives only as long as the tab (sessionStorage); older pages kept it in localStorage.
localStorage.removeItem('token');
const session = { token: sessionStorage.getItem('token'), me: null, orgs: [], categories: [] };

// ---------- small helpers ----------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('show'), 4000);
}
const orgName = (id) => session.orgs.find((o) => o.id === id)?.name ?? '—';
const categoryName = (code) => {
  const c = session.categories.find((x) => x.code === code);
  return c ? `${isEnglish() ? c.nameEn : c.nameZh} (${code})` : code;
};
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString(isEnglish() ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
function timeLeft(dueAt) {
  if (!dueAt) return { text: '—', cls: '' };
  const ms = new Date(dueAt).getTime() - Date.now();
  const abs = Math.abs(ms);
  const text = abs > 86_400_000 ? `${Math.floor(abs / 86_400_000)}${isEnglish() ? ' d ' : '天'}${Math.floor((abs % 86_400_000) / 3_600_000)}${isEnglish() ? ' h' : '小时'}`
    : abs > 3_600_000 ? `${Math.floor(abs / 3_600_000)}${isEnglish() ? ' h ' : '小时'}${Math.floor((abs % 3_600_000) / 60_000)}${isEnglish() ? ' min' : '分'}`
      : `${Math.max(1, Math.floor(abs / 60_000))}${isEnglish() ? ' min' : '分钟'}`;
  if (ms < 0) return { text: `${isEnglish() ? 'overdue by ' : '已超期 '}${text}`, cls: 'overdue' };
  return { text: `${isEnglish() ? '' : '剩余 '}${text}`, cls: ms < 86_400_000 ? 'soon' : 'ok' };
}

/** The case's running clock as a coloured badge: overdue, due within a day, or fine. */
function dueBadge(c) {
  const left = timeLeft(c.dueAt);
  return h('span', { class: `pill ${c.overdue ? 'overdue' : left.cls}` }, left.text);
}

class ApiError extends Error {
  constructor(status, body) { super(body?.message ?? `HTTP ${status}`); this.status = status; this.body = body; }
}
async function api(method, path, body, headers = {}) {
  const res = await fetch(path, {
    method, headers: { authorization: `Bearer ${session.token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401) { signOut(); throw new ApiError(401, data); }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Shows an API error next to the field it names ("body.worker.phone …"), else at the top of the form. */
function showError(form, error) {
  form.querySelectorAll('.error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  const message = error instanceof ApiError ? error.message : t('offline');
  const match = /body\.([\w.]+)/.exec(message) ?? /^(\w+):/.exec(message);
  const name = match?.[1]?.split('.').pop();
  const input = name && form.querySelector(`[name="${name}"]`);
  const box = h('div', { class: 'error', role: 'alert' }, message);
  if (input) {
    input.closest('.field').classList.add('invalid');
    input.closest('.field').append(box);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  } else {
    form.prepend(h('div', { class: 'form-error error', role: 'alert' }, message));
  }
}

function field(name, label, control, { hint } = {}) {
  control.id ||= `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  control.name ||= name;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint ? h('div', { class: 'muted' }, hint) : null);
}
function select(name, options, { value, optional } = {}) {
  return h('select', { name }, optional ? h('option', { value: '' }, optional) : null,
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}
const enumOptions = (kind) => Object.keys(ENUMS[kind]).map((v) => [v, tEnum(kind, v)]);
const orgOptions = (type) => session.orgs.filter((o) => !type || o.type === type).map((o) => [o.id, o.name]);

function table(headers, rows, rowClass) {
  if (rows.length === 0) return h('p', { class: 'muted' }, t('none'));
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((cells, i) => h('tr', { class: rowClass?.(i) ?? '' }, cells.map((c) => h('td', {}, c)))))));
}
const caseLink = (c) => h('a', { href: `#/case/${c.id}` }, c.reference);

// ---------- sign-in and routing ----------
/** Signing out on purpose also drops the registration draft, which may hold a worker's name and phone. */
function signOut({ clearDrafts = false } = {}) {
  sessionStorage.removeItem('token');
  if (clearDrafts) localStorage.removeItem(DRAFT);
  session.token = null;
  session.me = null;
  location.hash = '#/login';
}

async function loadSession() {
  session.me = await api('GET', '/api/v1/me');
  [session.orgs, session.categories] = await Promise.all([
    api('GET', '/api/v1/orgs').then((r) => r.items), api('GET', '/api/v1/categories').then((r) => r.items),
  ]);
}

function renderHeader() {
  const who = document.getElementById('who');
  who.replaceChildren(session.me ? h('span', {}, `${session.me.name} · ${session.me.orgName ?? ''} `, h('button', { type: 'button', class: 'link', onclick: () => signOut({ clearDrafts: true }) }, t('signOut'))) : '');
  document.getElementById('lang').textContent = isEnglish() ? '中文' : 'English';
}

async function route() {
  const [, page, id] = location.hash.split('/');
  try {
    if (page === 'sign-in' && id) return await redeemSignInLink(id);
    if (!session.token) return renderLogin();
    if (!session.me) await loadSession();
    renderHeader();
    main.replaceChildren(h('p', {}, t('loading')));
    if (page === 'case' && id) return await renderCase(id);
    if (page === 'meeting' && id) return await renderMeeting(id);
    const home = { liaison: renderLiaison, committee: renderCommittee, officer: renderDepartment, convener: renderConvener }[session.me.role];
    return home ? await home() : main.replaceChildren(h('p', {}, t('noAccess')));
  } catch (error) {
    if (error.status !== 401) main.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `${t('failed')}: ${error.message}`));
  }
}

/** A one-time sign-in link (the admin's QR code): the code after # is exchanged for a token, then dropped from the address bar. */
async function redeemSignInLink(code) {
  history.replaceState(null, '', '#/');
  const res = await fetch('/api/v1/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  if (!res.ok) {
    renderLogin();
    return toast(t('badToken'));
  }
  session.token = (await res.json()).token;
  session.me = null;
  sessionStorage.setItem('token', session.token);
  return route();
}

function renderLogin() {
  renderHeader();
  const input = h('input', { type: 'password', autocomplete: 'off', required: true });
  const form = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    session.token = input.value.trim();
    try {
      await loadSession();
      sessionStorage.setItem('token', session.token);
      location.hash = '#/';
      route();
    } catch {
      session.token = null;
      showError(form, new ApiError(401, { message: t('badToken') }));
    }
  } }, h('h1', {}, t('signIn')), field('token', t('token'), input, { hint: t('tokenHelp') }), h('div', { class: 'actions' }, h('button', {}, t('signIn'))));
  main.replaceChildren(form);
  input.focus();
}

// ---------- liaison: register on a phone, my cases, forward, feedback ----------
const DRAFT = 'draft:v1';
function loadDraft() {
  const saved = JSON.parse(localStorage.getItem(DRAFT) ?? 'null');
  return saved ?? { key: crypto.randomUUID(), values: {} };
}

async function renderLiaison() {
  const draft = loadDraft();
  const v = draft.values;
  const platforms = session.orgs.filter((o) => o.type === 'platform').map((o) => [o.platform, o.platform]);
  const anonymous = h('input', { type: 'checkbox', name: 'anonymous', checked: v.anonymous === 'on' });
  const form = h('form', { class: 'card', novalidate: true },
    h('h1', {}, t('register')),
    h('div', { class: 'grid' },
      field('category', t('category'), select('category', session.categories.map((c) => [c.code, `${isEnglish() ? c.nameEn : c.nameZh} ${c.code}`]), { value: v.category })),
      field('platform', t('platform'), select('platform', platforms, { value: v.platform })),
      field('workerType', t('workerType'), select('workerType', enumOptions('workerType'), { value: v.workerType })),
      field('urgency', t('urgency'), select('urgency', enumOptions('urgency'), { value: v.urgency ?? 'normal' })),
      field('channel', t('channel'), select('channel', enumOptions('channel'), { value: v.channel ?? 'station' })),
      field('area', `${t('area')} ${t('optional')}`, h('input', { name: 'area', value: v.area ?? '' }))),
    field('description', t('description'), h('textarea', { name: 'description' }, v.description ?? '')),
    h('div', { class: 'field' }, h('label', {}, anonymous, t('anonymous'))),
    h('div', { class: 'grid' },
      field('name', `${t('name')} ${t('optional')}`, h('input', { name: 'name', autocomplete: 'off', value: v.name ?? '' })),
      field('phone', `${t('phone')} ${t('optional')}`, h('input', { name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'off', value: v.phone ?? '' }))),
    h('p', { class: 'muted' }, t('draftSaved')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('submit')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { localStorage.removeItem(DRAFT); renderLiaison(); } }, t('newDraft'))));
  const values = () => Object.fromEntries(new FormData(form).entries());
  form.addEventListener('input', () => localStorage.setItem(DRAFT, JSON.stringify({ key: draft.key, values: values() })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const x = values();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = await api('POST', '/api/v1/cases', {
        worker: { workerType: x.workerType, platforms: [x.platform], ...(x.anonymous ? { anonymous: true } : {}),
          ...(!x.anonymous && x.name ? { name: x.name } : {}), ...(!x.anonymous && x.phone ? { phone: x.phone } : {}) },
        channel: x.channel, category: x.category, description: x.description, platform: x.platform, urgency: x.urgency,
        ...(x.area ? { area: x.area } : {}),
      }, { 'idempotency-key': draft.key });
      localStorage.removeItem(DRAFT);
      toast(`${t('registered')} ${created.reference}`);
      location.hash = `#/case/${created.id}`;
    } catch (error) {
      showError(form, error);
    } finally {
      button.disabled = false;
    }
  });
  const mine = await api('GET', '/api/v1/cases?limit=50');
  main.replaceChildren(form, h('h2', {}, t('myCases')), caseCards(mine.items));
}

function caseCards(items) {
  if (items.length === 0) return h('p', { class: 'muted' }, t('none'));
  return h('div', { class: 'cards' }, items.map((c) => {
    return h('a', { class: 'case-card', href: `#/case/${c.id}` },
      h('div', {}, h('span', { class: 'ref' }, c.reference), ' ', h('span', { class: `pill ${c.overdue ? 'overdue' : ''}` }, tState(c))),
      h('div', { class: 'meta' }, `${categoryName(c.category)} · ${c.platform} · ${orgName(c.holderOrgId)}`),
      c.dueAt ? h('div', {}, dueBadge(c)) : null);
  }));
}

// ---------- committee: triage queue ----------
async function renderCommittee() {
  const { items } = await api('GET', `/api/v1/cases?holderOrgId=${session.me.orgId}&limit=100`);
  const open = items.filter((c) => !['closed', 'withdrawn', 'merged', 'resolved'].includes(c.state));
  const soon = (c) => c.dueAt && !c.overdue && new Date(c.dueAt).getTime() - Date.now() < 86_400_000;
  const rows = (list) => table([t('reference'), t('state'), t('category'), t('timeLeft')], list.map((c) => {
    return [caseLink(c), tState(c), categoryName(c.category), dueBadge(c)];
  }), (i) => (list[i].overdue ? 'overdue' : soon(list[i]) ? 'soon' : ''));
  main.replaceChildren(h('h1', {}, `${t('triage')} · ${session.me.orgName}`),
    h('h2', {}, t('overdueCases')), rows(open.filter((c) => c.overdue)),
    h('h2', {}, t('dueSoon')), rows(open.filter((c) => soon(c))),
    h('h2', {}, t('fresh')), rows(open.filter((c) => c.state === 'forwarded' && !c.overdue && !soon(c))),
    h('h2', {}, t('handling')), rows(open.filter((c) => c.state !== 'forwarded' && !c.overdue && !soon(c))));
}

// ---------- department: oversight board and measures over time ----------
async function renderDepartment() {
  const board = await api('GET', '/api/v1/oversight?limit=100');
  const rows = board.items.map((c) => {
    return [caseLink(c), tState(c), orgName(c.holderOrgId), dueBadge(c),
      c.supervised ? h('span', { class: 'pill soon' }, t('supervised')) : '',
      c.levelHistory.map((s) => `${tEnum('level', s.level)}·${s.orgName} ${s.hours}h`).join(' → ')];
  });
  const canvas = h('canvas', { role: 'img', 'aria-label': t('myMeasures') });
  main.replaceChildren(h('h1', {}, `${t('oversight')} · ${session.me.orgName}`),
    table([t('reference'), t('state'), t('holder'), t('timeLeft'), t('supervised'), t('levels')], rows, (i) => (board.items[i].overdue ? 'overdue' : '')),
    h('h2', {}, t('myMeasures')), h('section', { class: 'card' }, h('div', { class: 'chart' }, canvas)));
  const weeks = Array.from({ length: 8 }, (_, i) => {
    const to = new Date(Date.now() - (7 - i) * 7 * 86_400_000);
    return { from: new Date(to.getTime() - 7 * 86_400_000), to };
  });
  const series = await Promise.all(weeks.map((w) => api('GET', `/api/v1/metrics?from=${w.from.toISOString()}&to=${w.to.toISOString()}`)
    .then((r) => r.rows.find((x) => x.key === session.me.orgId) ?? {})));
  rateChart(canvas, weeks.map((w) => w.to.toISOString().slice(5, 10)), series, 'line');
}

function rateChart(canvas, labels, rows, type) {
  if (!window.Chart) return;
  const rates = [['response_rate', '响应率 Response'], ['on_time_rate', '按时率 On time'], ['resolution_rate', '办结率 Resolution'], ['satisfaction_rate', '满意率 Satisfaction']];
  new window.Chart(canvas, {
    type,
    data: { labels, datasets: rates.map(([k, label]) => ({ label, data: rows.map((r) => (r[k] == null ? null : Math.round(r[k] * 1000) / 10)) })) },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } } },
  });
}

// ---------- convener: measures, hot spots, meetings ----------
/** A banner while a year's holiday schedule is not published: deadlines over it are provisional. */
function calendarBanner(status) {
  const years = status.years.filter((y) => y.source === 'provisional').map((y) => y.year);
  if (years.length === 0) return null;
  return h('p', { class: 'banner', role: 'status' }, t('calendarProvisional').replace('{years}', years.join('、')));
}

async function renderConvener() {
  const [metrics, hot, meetings, calendar] = await Promise.all([
    api('GET', '/api/v1/metrics?groupBy=org'), api('GET', '/api/v1/metrics/hotspots'), api('GET', '/api/v1/meetings'),
    api('GET', '/api/v1/calendar/status'),
  ]);
  const canvas = h('canvas', { role: 'img', 'aria-label': t('measures') });
  const now = new Date();
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('newMeeting')),
    h('div', { class: 'grid' },
      field('title', t('title'), h('input', { name: 'title', value: `${now.getFullYear()}年${now.getMonth() + 1}月诉求处理协调会` })),
      field('periodFrom', t('periodFrom'), h('input', { name: 'periodFrom', type: 'date', value: new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10) })),
      field('periodTo', t('periodTo'), h('input', { name: 'periodTo', type: 'date', value: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10) }))),
    h('div', { class: 'actions' }, h('button', {}, t('newMeeting'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const x = Object.fromEntries(new FormData(form).entries());
    try {
      const m = await api('POST', '/api/v1/meetings', { title: x.title, periodFrom: `${x.periodFrom}T00:00:00+08:00`, periodTo: `${x.periodTo}T00:00:00+08:00` });
      location.hash = `#/meeting/${m.id}`;
    } catch (error) { showError(form, error); }
  });
  main.replaceChildren(...[calendarBanner(calendar)].filter(Boolean), h('h1', {}, t('measures')),
    h('section', { class: 'card' }, h('div', { class: 'chart' }, canvas)),
    table([t('holder'), '受理 Received', '超期 Overdue', '升级 Escalated', '重办 Reopened', t('rates')], metrics.rows.map((r) => [r.label, r.received, r.overdue, r.escalated, r.reopened,
      [r.response_rate, r.on_time_rate, r.resolution_rate, r.satisfaction_rate].map((x) => (x == null ? '—' : `${Math.round(x * 100)}%`)).join(' / ')])),
    h('h2', {}, t('hotSpots')),
    table([t('category'), t('platform'), t('area'), '本期 Now', '上期 Before', t('growth')], hot.items.map((x) => [categoryName(x.category), x.platform, x.area, x.count, x.previous, `+${x.growth}`])),
    h('h2', {}, t('meetings')), form,
    table([t('title'), t('periodFrom'), t('periodTo')], meetings.items.map((m) => [h('a', { href: `#/meeting/${m.id}` }, m.title), fmtTime(m.periodFrom), fmtTime(m.periodTo)])));
  rateChart(canvas, metrics.rows.map((r) => r.label), metrics.rows, 'bar');
}

async function renderMeeting(id) {
  const m = await api('GET', `/api/v1/meetings/${id}`);
  const leadOptions = session.orgs.filter((o) => ['branch', 'platform', 'department'].includes(o.type)).map((o) => [o.id, o.name]);
  const decisionForm = (item) => {
    const form = h('form', { novalidate: true },
      field('leadOrgId', t('lead'), select('leadOrgId', leadOptions, { value: item.holderOrgId })),
      h('div', { class: 'grid' }, field('amount', t('amount'), h('input', { name: 'amount', type: 'number', min: 1, value: 5 })),
        field('unit', t('unit'), select('unit', enumOptions('unit'), { value: 'working_days' }))),
      field('decision', t('decision'), h('textarea', { name: 'decision' })),
      h('div', { class: 'actions' }, h('button', {}, t('record'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const x = Object.fromEntries(new FormData(form).entries());
      try {
        await api('POST', `/api/v1/meetings/${id}/decisions`, { caseId: item.caseId, leadOrgId: x.leadOrgId, amount: Number(x.amount), unit: x.unit, decision: x.decision });
        toast(t('done'));
        renderMeeting(id);
      } catch (error) { showError(form, error); }
    });
    return form;
  };
  const minutes = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('minutes')),
    field('attendees', t('attendees'), h('input', { name: 'attendees', value: m.attendees.join('，') })),
    field('minutes', t('minutes'), h('textarea', { name: 'minutes' }, m.minutes ?? '')),
    h('div', { class: 'actions' }, h('button', {}, t('save'))));
  minutes.addEventListener('submit', async (e) => {
    e.preventDefault();
    const x = Object.fromEntries(new FormData(minutes).entries());
    try {
      await api('PUT', `/api/v1/meetings/${id}/minutes`, { attendees: x.attendees.split(/[,，、]/).map((s) => s.trim()).filter(Boolean), minutes: x.minutes });
      toast(t('done'));
    } catch (error) { showError(minutes, error); }
  });
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': t('exportAs') });
  const exportButton = (format) => h('button', { type: 'button', class: 'secondary', onclick: async (e) => {
    e.target.disabled = true;
    progress.hidden = false;
    try {
      let job = await api('POST', `/api/v1/meetings/${id}/exports`, { format });
      while (job.status === 'queued' || job.status === 'running') {
        progress.value = job.progress;
        await new Promise((r) => setTimeout(r, 500));
        job = await api('GET', `/api/v1/exports/${job.id}`);
      }
      progress.value = job.progress;
      if (job.status !== 'done') throw new Error(job.error);
      const file = await fetch(job.downloadUrl, { headers: { authorization: `Bearer ${session.token}` } });
      const link = h('a', { href: URL.createObjectURL(await file.blob()), download: `${m.title}.${format}` });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (error) { toast(`${t('failed')}: ${error.message}`); } finally { e.target.disabled = false; }
  } }, `${t('exportAs')} ${format}`);
  main.replaceChildren(h('p', {}, h('a', { href: '#/' }, `← ${t('back')}`)), h('h1', {}, m.title),
    h('p', { class: 'muted' }, `${fmtTime(m.periodFrom)} — ${fmtTime(m.periodTo)}`),
    h('div', { class: 'actions' }, ['xlsx', 'csv', 'md'].map(exportButton)), progress,
    h('h2', {}, `${t('agenda')}（${m.agenda.length}）`),
    table([t('reference'), t('state'), t('holder'), t('reasons'), t('decision')], m.agenda.map((a) => [
      h('a', { href: `#/case/${a.caseId}` }, a.reference), tState({ state: a.state, stateLabel: null }), a.holderName,
      a.reasons.map((r) => tEnum('reason', r)).join('、'),
      a.decision ? `${a.decision.decision}（${a.decision.amount} ${tEnum('unit', a.decision.unit)}）` : decisionForm(a)]),
    (i) => (m.agenda[i].overdue ? 'overdue' : '')),
    h('h2', {}, t('hotSpots')),
    table([t('category'), t('platform'), t('area'), t('growth')], m.hotSpots.map((x) => [categoryName(x.category), x.platform, x.area, `+${x.growth}`])),
    minutes);
}

// ---------- the case page: details, deadlines, record, and the allowed actions as forms ----------
const ACTION_FIELDS = {
  forward: [['toOrgId', 'platform', true]], resolve: [['resolution', 'text']], withdraw: [['reason', 'text']], merge: [['intoReference', 'line']],
  accept: [], return: [['reason', 'text']], transfer: [['toOrgId', 'sameLevel'], ['reason', 'text']], request_info: [['question', 'text']],
  resume: [['answer', 'text']], provide_info: [['answer', 'text']], request_extension: [['amount', 'number'], ['unit', 'unit'], ['reason', 'text']],
  approve_extension: [['reason', 'text', true]], deny_extension: [['reason', 'text', true]],
  hand_off: [['toOrgId', 'department', true], ['reason', 'text']], supervise: [['instructions', 'text'], ['amount', 'number'], ['unit', 'unit']],
  feedback: [['rating', 'rating'], ['comment', 'text', true]], assign_lead: [['leadOrgId', 'anyUnit'], ['amount', 'number'], ['unit', 'unit'], ['decision', 'text']],
};

function actionForm(c, action) {
  const control = (name, kind, optional) => {
    const opt = optional ? `${t('optional')} ${name === 'toOrgId' ? t('routed') : ''}` : undefined;
    if (kind === 'text') return h('textarea', { name });
    if (kind === 'line') return h('input', { name });
    if (kind === 'number') return h('input', { name, type: 'number', min: 1, value: 3 });
    if (kind === 'unit') return select(name, enumOptions('unit'), { value: 'working_days' });
    if (kind === 'rating') return select(name, enumOptions('rating'));
    if (kind === 'platform') return select(name, orgOptions('platform'), { optional: opt });
    if (kind === 'department') return select(name, orgOptions('department'), { optional: opt });
    if (kind === 'sameLevel') return select(name, orgOptions(c.level).filter(([id]) => id !== c.holderOrgId));
    return select(name, session.orgs.filter((o) => o.type !== 'convener').map((o) => [o.id, o.name]));
  };
  const specs = ACTION_FIELDS[action] ?? [];
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, tAction(action)),
    specs.map(([name, kind, optional]) => field(name, `${tField(name)}${optional ? ` ${t('optional')}` : ''}`, control(name, kind, optional))),
    h('div', { class: 'actions' }, h('button', {}, tAction(action)), h('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, t('back'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { action };
    for (const [name, value] of new FormData(form).entries()) {
      if (value === '') continue;
      body[name] = name === 'amount' ? Number(value) : value;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await api('POST', `/api/v1/cases/${c.id}/actions`, body, { 'if-match': String(c.version) });
      toast(`${tAction(action)} · ${t('done')}`);
      renderCase(c.id);
    } catch (error) {
      if (error.status === 409) { toast(t('stale')); renderCase(c.id); return; }
      showError(form, error);
      button.disabled = false;
    }
  });
  return form;
}

async function renderCase(id) {
  const [c, events] = await Promise.all([api('GET', `/api/v1/cases/${id}`), api('GET', `/api/v1/cases/${id}/events`)]);
  const formSlot = h('div');
  const buttons = c.allowedActions.map((a) => h('button', { type: 'button', class: a === 'accept' || a === 'forward' ? '' : 'secondary',
    onclick: () => { formSlot.replaceChildren(actionForm(c, a)); formSlot.querySelector('textarea, input, select, button')?.focus(); } }, tAction(a)));
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, `← ${t('back')}`)),
    h('h1', {}, `${c.reference} `, h('span', { class: `pill ${c.overdue ? 'overdue' : ''}` }, tState(c)),
      c.supervised ? h('span', { class: 'pill soon' }, ` ${t('supervised')}`) : '', c.onMeetingAgenda ? h('span', { class: 'pill' }, ` ${t('onAgenda')}`) : ''),
    h('section', { class: 'card' }, h('div', { class: 'grid' },
      h('div', {}, h('div', { class: 'muted' }, t('category')), categoryName(c.category)),
      h('div', {}, h('div', { class: 'muted' }, t('platform')), c.platform),
      h('div', {}, h('div', { class: 'muted' }, t('holder')), `${tEnum('level', c.level)} · ${orgName(c.holderOrgId)}`),
      h('div', {}, h('div', { class: 'muted' }, t('timeLeft')), dueBadge(c)),
      h('div', {}, h('div', { class: 'muted' }, t('worker')), `${c.worker.anonymous ? t('anonymous') : `${c.worker.name ?? '—'} ${c.worker.phone ?? ''}`} · ${tEnum('workerType', c.worker.workerType)}`),
      h('div', {}, h('div', { class: 'muted' }, t('urgency')), tEnum('urgency', c.urgency))),
    h('p', {}, c.description), c.resolution ? h('p', {}, h('strong', {}, `${t('resolution')}：`), c.resolution) : ''),
    h('h2', {}, t('actionsTitle')), buttons.length ? h('div', { class: 'actions' }, buttons) : h('p', { class: 'muted' }, t('none')), formSlot,
    h('h2', {}, t('deadlines')),
    table([t('step'), t('holder'), t('dueAt'), t('status')], c.deadlines.map((d) => [tEnum('step', d.step), orgName(d.orgId), fmtTime(d.dueAt),
      h('span', { class: `pill ${d.status === 'missed' ? 'overdue' : d.status === 'met' ? 'ok' : ''}` }, tEnum('status', d.status))])),
    h('h2', {}, t('record_')),
    h('ol', { class: 'timeline' }, events.items.map((e) => h('li', { class: e.actor.system ? 'sys' : '' },
      h('strong', {}, ACTION_LABEL(e.action)), ` · ${fmtTime(e.at)} · ${e.actor.system ? '系统 system' : orgName(e.actor.orgId)}`,
      h('div', { class: 'muted' }, `${tEnum('level', e.level)} → ${orgName(e.holderOrgId)}${eventNote(e.data)}`)))));
}
const ACTION_LABEL = (a) => ({ register: isEnglish() ? 'Registered' : '登记', deadline_warning: isEnglish() ? 'Deadline warning' : '临期预警',
  deadline_missed: isEnglish() ? 'Deadline missed' : '超期升级', merged_from: isEnglish() ? 'Merged in' : '并入' }[a] ?? tAction(a));
function eventNote(data) {
  const note = data.reason ?? data.resolution ?? data.instructions ?? data.decision ?? data.question ?? data.answer ?? data.comment ?? (data.rating ? tEnum('rating', data.rating) : '');
  return note ? ` · ${note}` : '';
}

document.getElementById('lang').addEventListener('click', () => { toggleLanguage(); route(); });
window.addEventListener('hashchange', route);
route();
