/** The pages' entry: render the app, follow the language, and register the service worker (offline app shell). */
import { render } from 'preact';
import { App } from './app.js';
import { applyLanguage } from './i18n.js';
import './style.css';

applyLanguage();
render(<App />, document.getElementById('app')!);
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
