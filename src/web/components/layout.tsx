/** The frame of every page: the bar (brand, who, notifications, language, sign out), the page, the toast. */
import type { ComponentChildren } from 'preact';
import { token } from '../api/client.js';
import { language, t, tEnum, toggleLanguage } from '../i18n.js';
import { session } from '../session.js';
import { useSignal } from '../store.js';
import { Toast } from './toast.js';
import { clearDraft } from '../pages/liaison/draft.js';

export function Layout(props: { children: ComponentChildren; bell?: ComponentChildren }) {
  useSignal(language);
  const current = useSignal(session);
  const signOut = async () => {
    await clearDraft(); // a registration draft may hold a worker's name and phone
    token.value = null;
    location.hash = '#/';
  };
  return (
    <>
      <header class="bar">
        <a class="brand" href="/#/">{t('appName')}</a>
        {current ? (
          <div class="who">
            <span>{current.me.name} · {current.me.orgName ?? tEnum('role', current.me.role)}</span>
          </div>
        ) : <div class="who" />}
        {current ? props.bell : null}
        {/* The visible text is the accessible name (axe: label-content-name-mismatch); lang says how to read it. */}
        <button type="button" id="lang" class="link" lang={language.value === 'en' ? 'zh-CN' : 'en'} onClick={toggleLanguage}>{t('switchTo')}</button>
        {current ? <button type="button" class="link" onClick={signOut}>{t('signOut')}</button> : null}
      </header>
      <main id="main" tabindex={-1}>{props.children}</main>
      <Toast />
    </>
  );
}
