/**
 * Live updates: GET /api/v1/stream (server-sent events) read with fetch streaming and the bearer
 * header — never a token in a URL, so not EventSource. One stream per signed-in tab; it reconnects
 * with backoff (1 s doubling to 30 s) and at once when the network returns.
 */
import { token } from './api/client.js';
import { signal } from './store.js';

export type CaseChange = { caseId: string; reference: string; state: string; level: string; holderOrgId: string; version: number; at: string };
export type NotificationEvent = { id: string; kind: string; caseId: string | null; reference: string | null; title: string; createdAt: string; unread: number };
export type LiveState = 'off' | 'connecting' | 'live' | 'down';

export const liveState = signal<LiveState>('off');
const caseListeners = new Set<(change: CaseChange) => void>();
const notificationListeners = new Set<(event: NotificationEvent) => void>();

export function onCaseChange(listener: (change: CaseChange) => void) {
  caseListeners.add(listener);
  return () => { caseListeners.delete(listener); };
}
export function onNotification(listener: (event: NotificationEvent) => void) {
  notificationListeners.add(listener);
  return () => { notificationListeners.delete(listener); };
}

function dispatch(event: string, data: string) {
  try {
    if (event === 'case') for (const l of caseListeners) l(JSON.parse(data) as CaseChange);
    if (event === 'notification') for (const l of notificationListeners) l(JSON.parse(data) as NotificationEvent);
  } catch { /* a malformed frame is skipped; the next one is read */ }
}

/** Splits the text stream into SSE frames (blank-line separated); comments (`: ping`) are ignored. */
function readFrames(buffer: string, onFrame: (event: string, data: string) => void): string {
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const frame = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) onFrame(event, data.join('\n'));
  }
  return rest;
}

let running: AbortController | null = null;

/** The server will not stream to this caller (401, 403): trying again changes nothing. */
class StreamRefused extends Error {}

async function streamOnce(signal: AbortSignal, bearer: string) {
  const res = await fetch('/api/v1/stream', { headers: { authorization: `Bearer ${bearer}`, accept: 'text/event-stream' }, signal, cache: 'no-store' });
  if (res.status === 401 || res.status === 403) throw new StreamRefused(`stream ${res.status}`);
  if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
  liveState.value = 'live';
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer = readFrames((buffer + value).replace(/\r\n/g, '\n'), dispatch);
  }
}

/** Starts the stream for the current token (again after each drop); stops when signed out. */
export function startLive() {
  if (running || !token.value) return;
  const controller = new AbortController();
  running = controller;
  let wait = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const online = () => { clearTimeout(timer); wait = 1000; void connect(); };
  const connect = async () => {
    if (controller.signal.aborted || !token.value) return;
    liveState.value = 'connecting';
    const started = Date.now();
    const refused = await streamOnce(controller.signal, token.value).then(() => false, (e: unknown) => e instanceof StreamRefused);
    if (controller.signal.aborted) return;
    if (refused) { stopLive(); return; }
    liveState.value = 'down';
    if (Date.now() - started > 60_000) wait = 1000; // it was up for a while: start the backoff again
    timer = setTimeout(() => void connect(), wait);
    wait = Math.min(30_000, wait * 2);
  };
  window.addEventListener('online', online);
  controller.signal.addEventListener('abort', () => { clearTimeout(timer); window.removeEventListener('online', online); });
  void connect();
}

export function stopLive() {
  running?.abort();
  running = null;
  liveState.value = 'off';
}
token.subscribe((value) => { if (!value) stopLive(); });
