/**
 * Saved queue filters, per user and kept in this browser only (localStorage, keyed by the user's
 * id): a name, the bucket and the filters. Nothing of it goes to the server.
 */
export type SavedFilter<V> = { name: string; view: V };

const keyOf = (userId: string | null) => `queue-filters:${userId ?? 'anonymous'}`;

export function readSavedFilters<V>(userId: string | null): SavedFilter<V>[] {
  try {
    const kept = JSON.parse(localStorage.getItem(keyOf(userId)) ?? '[]') as unknown;
    return Array.isArray(kept) ? kept.filter((f): f is SavedFilter<V> => typeof f?.name === 'string' && typeof f.view === 'object') : [];
  } catch {
    return [];
  }
}

/** Saves under `name` (a filter of the same name is replaced); returns the list as kept. */
export function saveFilter<V>(userId: string | null, name: string, view: V): SavedFilter<V>[] {
  const list = [...readSavedFilters<V>(userId).filter((f) => f.name !== name), { name, view }];
  localStorage.setItem(keyOf(userId), JSON.stringify(list));
  return list;
}

export function deleteFilter<V>(userId: string | null, name: string): SavedFilter<V>[] {
  const list = readSavedFilters<V>(userId).filter((f) => f.name !== name);
  localStorage.setItem(keyOf(userId), JSON.stringify(list));
  return list;
}
