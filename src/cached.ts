/**
 * Configuration that every transition reads (routing rules, SLA policies) is kept in memory for a
 * few seconds. The process that changes it invalidates at once; other processes see the change
 * within the time-to-live.
 */
export interface Cached<T> { get(): Promise<T>; invalidate(): void }

export function cached<T>(load: () => Promise<T>, ttlMs: number): Cached<T> {
  let value: Promise<T> | null = null;
  let loadedAt = 0;
  return {
    get() {
      if (!value || Date.now() - loadedAt > ttlMs) {
        loadedAt = Date.now();
        value = load();
        value.catch(() => { value = null; });
      }
      return value;
    },
    invalidate() {
      value = null;
    },
  };
}
