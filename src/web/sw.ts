/**
 * The service worker: the app shell (the page and its hashed files) is kept so that a reload with no
 * network still opens the liaison's form. Pages: network first (with a short wait), the kept copy when
 * offline. Hashed assets: cache first (their names change with their content). API answers are
 * never kept (they hold personal data and are no-store).
 */
type ExtendableEvent = Event & { waitUntil(p: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith(r: Promise<Response> | Response): void };
type WorkerScope = { skipWaiting(): Promise<void>; clients: { claim(): Promise<void> }; addEventListener(type: string, listener: (e: never) => void): void };
const worker = self as unknown as WorkerScope;

const CACHE = 'app-shell-v1';
const SHELL = '/';
const NETWORK_WAIT_MS = 4000;

/** The page and every file it names (/assets/…), fetched fresh. */
async function keepShell() {
  const cache = await caches.open(CACHE);
  const page = await fetch(SHELL, { cache: 'no-cache' });
  if (!page.ok) return;
  const html = await page.clone().text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.put(SHELL, page);
  await cache.addAll(assets);
}

worker.addEventListener('install', (event: ExtendableEvent) => {
  event.waitUntil(keepShell().then(() => worker.skipWaiting()));
});
worker.addEventListener('activate', (event: ExtendableEvent) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => worker.clients.claim()));
});

async function pageFirstFromNetwork(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (res) => {
    if (res.ok) await cache.put(SHELL, res.clone());
    return res;
  });
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), NETWORK_WAIT_MS));
  const first = await Promise.race([network.catch(() => null), timeout]);
  if (first) return first;
  const kept = await cache.match(SHELL);
  return kept ?? network;
}

async function assetFromCache(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

worker.addEventListener('fetch', (event: FetchEvent) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  const appPage = url.pathname === '/' || url.pathname === '/status' || url.pathname.startsWith('/feedback/');
  if (event.request.mode === 'navigate' && appPage) event.respondWith(pageFirstFromNetwork(event.request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(assetFromCache(event.request));
});
