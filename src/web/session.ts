/** Who is signed in, and the reference data every page names things with (units, categories). */
import { api, must, token } from './api/client.js';
import { englishLabel, language, tEnum } from './i18n.js';
import { signal } from './store.js';

export type Me = { userId: string | null; name: string; role: string; orgId: string | null; orgName: string | null; orgType: string | null };
export type Org = { id: string; name: string; type: string; platform: string | null; areas: string[]; active: boolean };
export type Category = { code: string; nameZh: string; nameEn: string; territorial: boolean; retired: boolean; subcategories: { code: string; nameZh: string; nameEn: string; retired: boolean }[] };
export type Session = { me: Me; orgs: Org[]; categories: Category[] };

/** Kept for the tab (like the token), so an offline reload opens the form at once; refreshed when online. */
const KEPT = 'session';
const kept = sessionStorage.getItem(KEPT);
export const session = signal<Session | null>(kept && token.value ? JSON.parse(kept) as Session : null);
session.subscribe((value) => (value ? sessionStorage.setItem(KEPT, JSON.stringify(value)) : sessionStorage.removeItem(KEPT)));
token.subscribe((value) => { if (!value) session.value = null; });

/**
 * Signs in with a token once it is known good: the session is loaded with it first, and only then
 * does the tab keep it (so a wrong token leaves the sign-in form as it was, with its message).
 */
export async function signIn(candidate: string): Promise<Session> {
  const loaded = await loadSession(candidate);
  token.value = candidate;
  return loaded;
}

export async function loadSession(bearer?: string): Promise<Session> {
  const headers = bearer ? { authorization: `Bearer ${bearer}` } : undefined;
  const [me, orgs, categories] = await Promise.all([
    must(api.GET('/api/v1/me', { headers })), must(api.GET('/api/v1/orgs', { headers })), loadCategories(headers),
  ]);
  const loaded: Session = { me, orgs: orgs.items, categories };
  session.value = loaded;
  return loaded;
}

/** The catalogue (territorial flags, sub-items, retired codes), so the form offers what may be registered. */
async function loadCategories(headers?: Record<string, string>): Promise<Category[]> {
  const catalogue = await must(api.GET('/api/v1/catalogue', { headers }));
  return catalogue.categories.map((c) => ({
    code: c.code, nameZh: c.name, nameEn: englishLabel(c.nameEn), territorial: c.territorial, retired: c.retired ?? false,
    subcategories: c.subcategories.map((x) => ({ code: x.code, nameZh: x.name, nameEn: englishLabel(x.nameEn), retired: x.retired ?? false })),
  }));
}

/** The holder as people say it: 平台党委 · 美团平台党委, 街道/镇 · 朝阳街道办事处. */
export function holderName(id: string | null | undefined) {
  const org = id ? session.value?.orgs.find((o) => o.id === id) : undefined;
  return org ? `${tEnum('orgType', org.type)} · ${org.name}` : '—';
}
export const orgName = (id: string | null | undefined) => (id ? session.value?.orgs.find((o) => o.id === id)?.name ?? '—' : '—');
/** A category by its name (the code only as a small hint): 配送扣款 · DED. */
export function categoryName(code: string | null | undefined) {
  if (!code) return '—';
  const c = session.value?.categories.find((x) => x.code === code);
  return c ? (language.value === 'en' ? c.nameEn : c.nameZh) : code;
}
