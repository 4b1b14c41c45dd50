/** A labelled control with its required mark, hint and error (announced, and tied to the control). */
import { cloneElement, type ComponentChildren, type VNode } from 'preact';
import { t } from '../i18n.js';

export function Field(props: { id: string; label: string; required?: boolean; error?: string; hint?: string; children: VNode<any>; class?: string }) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(props.children, {
    id: props.id, 'aria-invalid': props.error ? 'true' : undefined, 'aria-describedby': described, required: props.required || undefined,
  });
  return (
    <div class={`field${props.error ? ' invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={props.id}>{props.label}{props.required ? <span class="req"> *<span class="sr-only">{t('required')}</span></span> : null}</label>
      {control}
      {props.hint ? <div class="muted" id={`${props.id}-hint`}>{props.hint}</div> : null}
      {props.error ? <div class="error" id={`${props.id}-error`} role="alert">{props.error}</div> : null}
    </div>
  );
}

/** A choice with no default: the first option is an empty "请选择", so a skipped choice is caught, never misrouted. */
export function Choice(props: { name: string; value: string; options: [string, string][]; onChange: (value: string) => void; placeholder?: string; id?: string }) {
  return (
    <select id={props.id} name={props.name} value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
      <option value="">{props.placeholder ?? t('choose')}</option>
      {props.options.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
    </select>
  );
}

export function FormError(props: { message: string | null }) {
  return props.message ? <div class="form-error" role="alert">{props.message}</div> : null;
}

export function Card(props: { children: ComponentChildren; class?: string }) {
  return <section class={`card${props.class ? ` ${props.class}` : ''}`}>{props.children}</section>;
}
