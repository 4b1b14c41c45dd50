/** The frame of every page: the bar (brand, who, notifications, language, sign out), the page (and "forget this device" when it keeps a locked token), the toast. */
import type { ComponentChildren } from 'preact';
import { token } from '../api/client.js';
import { language, t, tEnum, toggleLanguage } from '../i18n.js';
import { session } from '../session.js';
import { useSignal } from '../store.js';
import { Bell } from './bell.js';
import { Toast } from './toast.js';
import { clearDraft } from '../pages/liaison/draft.js';
import { deviceKept, forgetDevice } from '../device/kept-token.js';

export function Layout(props: { children: ComponentChildren }) {
  useSignal(language);
  const current = useSignal(session);
  const kept = useSignal(deviceKept);
  const signOut = async () => {
    await clearDraft(); // a registration draft may hold a worker's name and phone
    await forgetDevice(); // signing out signs this device out too
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
        {current ? <Bell /> : null}
        {/* The visible text is the accessible name (axe: label-content-name-mismatch); lang says how to read it. */}
        <button type="button" id="lang" class="link" lang={language.value === 'en' ? 'zh-CN' : 'en'} onClick={toggleLanguage}>{t('switchTo')}</button>
        {current ? <button type="button" class="link" onClick={signOut}>{t('signOut')}</button> : null}
      </header>
      <main id="main" tabindex={-1}>
        {props.children}
        {current && kept ? <p class="no-print"><button type="button" class="link" onClick={() => void forgetDevice()}>{t('forgetDevice')}</button></p> : null}
      </main>
      <Toast />
    </>
  );
}
