/**
 * The queue's keyboard: `j`/`k` move (with Shift they select as they go), `Enter` opens, `a` accepts,
 * `x` selects, `/` searches, `?` lists the keys, `Escape` closes that list. Never while typing in a
 * field, and never with Ctrl, Alt or Meta (the browser's own shortcuts).
 */
import { useEffect, useRef } from 'preact/hooks';

export const QUEUE_KEYS = ['j', 'k', 'J', 'K', 'Enter', 'a', 'x', '/', '?', 'Escape'] as const;
export type QueueKey = (typeof QUEUE_KEYS)[number];

const TYPING = 'input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]), textarea, select, [contenteditable=""], [contenteditable="true"]';
/** Where Enter already means something (a link, a button): the key is theirs. */
const ACTIVATES = 'a, button, summary, label';

export function useQueueKeys(handlers: Record<QueueKey, () => void>) {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest(TYPING)) return;
      if (!(QUEUE_KEYS as readonly string[]).includes(e.key)) return;
      const key = e.key as QueueKey;
      if (key === 'Enter' && target?.closest(ACTIVATES)) return;
      e.preventDefault();
      current.current[key]();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
