/** Small pieces the admin sections share: unit choices, an inline confirmation, a copy box. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { toast } from '../../components/toast.js';
import { FormError } from '../../components/field.js';
import { errorText } from '../../components/errors.js';
import { tEnum } from '../../i18n.js';
import { loadSession, session, type Org } from '../../session.js';
import { useSignal } from '../../store.js';
import { w } from './words.js';

/** The units as the session holds them; `refreshUnits` after a change so every page names them right. */
export function useUnits(): Org[] {
  return useSignal(session)?.orgs ?? [];
}
export const refreshUnits = () => loadSession();

/** `[id, "名称 · 类型"]` choices, active units only unless `all`. */
export function unitOptions(units: Org[], types?: readonly string[], all = false): [string, string][] {
  return units
    .filter((u) => (all || u.active) && (!types || types.includes(u.type)))
    .map((u) => [u.id, `${u.name} · ${tEnum('orgType', u.type)}${u.active ? '' : ` · ${w('isInactive')}`}`]);
}

/** A value, or a dash that the phone's cards leave out (admin.css). */
export const orNone = (value: string | null | undefined) => (value && value !== '—' ? value : <span class="none">—</span>);

export const unitName = (units: Org[], id: string | null | undefined) => (id ? units.find((u) => u.id === id)?.name ?? id : '—');

/** A destructive button that asks first, in the page (no browser dialog); `onConfirm` may answer a refusal's words. */
export function ConfirmButton(props: { label: string; question: string; confirmLabel: string; onConfirm: () => Promise<string | void> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (asking) cancel.current?.focus(); }, [asking]); // the keyboard stays with the question, on the safe choice
  if (!asking) return <button type="button" class="secondary small" onClick={() => { setAsking(true); setError(null); }}>{props.label}</button>;
  const confirm = async () => {
    setBusy(true);
    try {
      const refusal = await props.onConfirm();
      if (refusal) setError(refusal); else setAsking(false);
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <div class="confirm" role="group" aria-label={props.label}>
      <p>{props.question}</p>
      <FormError message={error} />
      <div class="actions">
        <button type="button" class="danger small" disabled={busy} onClick={confirm}>{props.confirmLabel}</button>
        <button type="button" class="secondary small" ref={cancel} onClick={() => setAsking(false)}>{w('cancel')}</button>
      </div>
    </div>
  );
}

/** A secret shown once, with a copy button (the clipboard needs a secure context; else the text is selected). */
export function CopyBox(props: { label: string; value: string; onClose: () => void }) {
  const copy = async (e: Event) => {
    try {
      await navigator.clipboard.writeText(props.value);
      toast(w('copied'));
    } catch {
      const code = (e.currentTarget as HTMLElement).closest('.once')?.querySelector('code');
      if (code) window.getSelection()?.selectAllChildren(code);
      toast(w('copyFailed'));
    }
  };
  return (
    <div class="once card" role="status">
      <p><strong>{props.label}</strong></p>
      <code class="secret">{props.value}</code>
      <div class="actions">
        <button type="button" onClick={copy}>{w('copy')}</button>
        <button type="button" class="secondary" onClick={props.onClose}>{w('close')}</button>
      </div>
    </div>
  );
}

/** "a, b，c" → ['a', 'b', 'c'] (Chinese and ASCII commas, new lines). */
export const splitList = (text: string) => text.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);
