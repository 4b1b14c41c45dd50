/**
 * The admin console: one section per concern, each at its own address (#/admin/<section>) so a
 * reload or a shared link opens the same screen. Configuration only; admins handle no cases.
 */
import type { ComponentType } from 'preact';
import { language } from '../../i18n.js';
import { route } from '../../router.js';
import type { Session } from '../../session.js';
import { useSignal } from '../../store.js';
import { ActivitySection } from './activity.js';
import { CalendarSection } from './calendar.js';
import { CatalogueSection } from './catalogue.js';
import { ChannelsSection } from './channels.js';
import { RoutingSection } from './routing-rules.js';
import { SlaSection } from './sla-policies.js';
import { UnitsSection } from './units.js';
import { UsersSection } from './users.js';
import { w, type WordKey } from './words.js';
import './admin.css';

const SECTIONS: { key: string; word: WordKey; page: ComponentType }[] = [
  { key: 'units', word: 'units', page: UnitsSection },
  { key: 'users', word: 'users', page: UsersSection },
  { key: 'routing', word: 'routing', page: RoutingSection },
  { key: 'sla', word: 'sla', page: SlaSection },
  { key: 'catalogue', word: 'catalogue', page: CatalogueSection },
  { key: 'calendar', word: 'calendar', page: CalendarSection },
  { key: 'channels', word: 'channels', page: ChannelsSection },
  { key: 'activity', word: 'activity', page: ActivitySection },
];

export function AdminConsole(_props: { session: Session }) {
  useSignal(language);
  const current = useSignal(route);
  const wanted = current.page === 'admin' ? current.rest.split('/')[0] : '';
  const section = SECTIONS.find((s) => s.key === wanted) ?? SECTIONS[0];
  const Page = section.page;
  return (
    <div class="admin">
      <h1>{w('console')} · {w(section.word)}</h1>
      <nav class="admin-nav" aria-label={w('sections')}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.key}>
              <a href={`#/admin/${s.key}`} aria-current={s === section ? 'page' : undefined}>{w(s.word)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <section class="admin-section" aria-label={w(section.word)}>
        <Page key={section.key} />
      </section>
    </div>
  );
}
