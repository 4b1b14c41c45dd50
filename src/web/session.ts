/** Who is signed in, and the reference data every page names things with (units, categories). */
import { api, must, token } from './api/client.js';
import { language } from './i18n.js';
import { signal } from './store.js';

export type Me = { userId: string | null; name: string; role: string; orgId: string | null; orgName: string | null; orgType: string | null };
export type Org = { id: string; name: string; type: string; platform: string | null; areas: string[]; active: boolean };
export type Category = { code: string; nameZh: string; nameEn: string; territorial: boolean; subcategories: { code: string; nameZh: string; nameEn: string }[] };
export type Session = { me: Me; orgs: Org[]; categories: Category[] };

/** Categories handled by the street office where the matter happens (TAXONOMY.md), when the catalogue does not say. */
export const TERRITORIAL_CATEGORIES = ['ACS', 'FAC', 'LIV'];

/** Kept for the tab (like the token), so an offline reload opens the form at once; refreshed when online. */
const KEPT = 'session';
const kept = sessionStorage.getItem(KEPT);
export const session = signal<Session | null>(kept && token.value ? JSON.parse(kept) as Session : null);
session.subscribe((value) => (value ? sessionStorage.setItem(KEPT, JSON.stringify(value)) : sessionStorage.removeItem(KEPT)));
token.subscribe((value) => { if (!value) session.value = null; });

export async function loadSession(): Promise<Session> {
  const [me, orgs, categories] = await Promise.all([
    must(api.GET('/api/v1/me')), must(api.GET('/api/v1/orgs')), loadCategories(),
  ]);
  const loaded: Session = { me, orgs: orgs.items, categories };
  session.value = loaded;
  return loaded;
}

async function loadCategories(): Promise<Category[]> {
  const { items } = await must(api.GET('/api/v1/categories'));
  return items.map((c) => ({
    code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, territorial: TERRITORIAL_CATEGORIES.includes(c.code),
    subcategories: c.subItems.map((s) => ({ code: s.zh, nameZh: s.zh, nameEn: s.en })),
  }));
}

export const orgName = (id: string | null | undefined) => (id ? session.value?.orgs.find((o) => o.id === id)?.name ?? '—' : '—');
/** A category by its name (the code only as a small hint): 配送扣款 · DED. */
export function categoryName(code: string | null | undefined) {
  if (!code) return '—';
  const c = session.value?.categories.find((x) => x.code === code);
  return c ? (language.value === 'en' ? c.nameEn : c.nameZh) : code;
}
