/** A short message after an action, read out by screen readers (role=status). */
import { signal, useSignal } from '../store.js';

const message = signal<string>('');
let timer: ReturnType<typeof setTimeout> | undefined;

export function toast(text: string) {
  message.value = text;
  clearTimeout(timer);
  timer = setTimeout(() => { message.value = ''; }, 5000);
}

export function Toast() {
  const text = useSignal(message);
  return <div id="toast" class={text ? 'show' : ''} role="status" aria-live="polite">{text}</div>;
}
