/** Data a page loads after it renders, retried with backoff when the network fails (never blocks the page). */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { errorText } from './errors.js';

export type Loaded<T> = { data: T | null; error: unknown; loading: boolean; reload: () => void };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const [attempt, setAttempt] = useState(0);
  const run = useRef(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  useEffect(() => {
    const id = ++run.current;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const tryLoad = (tries: number) => {
      load().then(
        (data) => { if (id === run.current) setState({ data, error: null, loading: false }); },
        (error) => {
          if (id !== run.current) return;
          setState((s) => ({ ...s, error, loading: false }));
          retry = setTimeout(() => tryLoad(tries + 1), Math.min(30_000, 1000 * 2 ** tries));
        });
    };
    setState((s) => ({ ...s, loading: true }));
    tryLoad(0);
    const online = () => { clearTimeout(retry); tryLoad(0); };
    window.addEventListener('online', online);
    return () => { run.current++; clearTimeout(retry); window.removeEventListener('online', online); };
  }, [...deps, attempt]);
  return { ...state, reload };
}

/** Shows the loaded data, or loading, or the error with a retry button (the retry also runs by itself). */
export function Loading<T>(props: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const { data, error, loading, reload } = props.loaded;
  if (data !== null) {
    return <>{error ? <RetryNote error={error} reload={reload} /> : null}{props.children(data)}</>;
  }
  if (error) return <RetryNote error={error} reload={reload} />;
  return loading ? <p class="muted" role="status">{t('loading')}</p> : null;
}

function RetryNote(props: { error: unknown; reload: () => void }) {
  return (
    <div class="retry" role="status">
      <span>{t('loadFailed')}：{errorText(props.error)}</span>
      <button type="button" class="secondary small" onClick={props.reload}>{t('retry')}</button>
    </div>
  );
}
