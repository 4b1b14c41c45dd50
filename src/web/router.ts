/**
 * Where the page is. Signed-in pages live after # (#/case/<id>, #/meeting/<id>): links from
 * notifications and QR codes keep working without the server knowing them. The public pages are
 * real paths the server answers with the app (/status, /feedback/<token>, /submit/<branchId>, /submission/<code>, and in
 * demo mode /demo/sms).
 */
import { signal } from './store.js';

export type Route =
  | { page: 'home' } | { page: 'case'; id: string } | { page: 'meeting'; id: string } | { page: 'sign-in'; code: string }
  | { page: 'status' } | { page: 'feedback'; token: string } | { page: 'admin'; rest: string }
  | { page: 'submit'; branchId: string } | { page: 'submission'; code: string } | { page: 'demo-sms' };

export function parseRoute(pathname: string, hash: string): Route {
  const feedback = /^\/feedback\/([^/]+)$/.exec(pathname);
  if (feedback) return { page: 'feedback', token: decodeURIComponent(feedback[1]) };
  if (pathname === '/status') return { page: 'status' };
  if (pathname === '/demo/sms') return { page: 'demo-sms' };
  const submit = /^\/submit\/([^/]+)$/.exec(pathname);
  if (submit) return { page: 'submit', branchId: decodeURIComponent(submit[1]) };
  const submission = /^\/submission\/([^/]+)$/.exec(pathname);
  if (submission) return { page: 'submission', code: decodeURIComponent(submission[1]) };
  const [, page, id = ''] = hash.split('/');
  if (page === 'case' && id) return { page: 'case', id };
  if (page === 'meeting' && id) return { page: 'meeting', id };
  if (page === 'sign-in' && id) return { page: 'sign-in', code: id };
  if (page === 'admin') return { page: 'admin', rest: hash.split('/').slice(2).join('/') };
  return { page: 'home' };
}

export const route = signal<Route>(parseRoute(location.pathname, location.hash));
const update = () => { route.value = parseRoute(location.pathname, location.hash); };
window.addEventListener('hashchange', update);
window.addEventListener('popstate', update);

/** Goes to a signed-in page (#/…); from a public path it returns to the app's root first. */
export function go(hash: string) {
  if (location.pathname !== '/') history.pushState(null, '', `/${hash}`);
  else location.hash = hash;
  update();
}
