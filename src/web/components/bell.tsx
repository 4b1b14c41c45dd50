/** The notification bell on every page: the unread count (live over the stream), the list, mark read. */
import { useEffect, useState } from 'preact/hooks';
import { api, must } from '../api/client.js';
import { fmtTime, half, t } from '../i18n.js';
import { onNotification } from '../live.js';
import { go } from '../router.js';

const loadInbox = () => must(api.GET('/api/v1/notifications'));
type Inbox = Awaited<ReturnType<typeof loadInbox>>;
type Notification = Inbox['items'][number];

export function Bell() {
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [open, setOpen] = useState(false);
  const refresh = () => loadInbox().then(setInbox, () => {});
  useEffect(() => {
    void refresh();
    return onNotification((n) => { setInbox((box) => (box ? { ...box, unread: n.unread } : box)); void refresh(); });
  }, []);
  const unread = inbox?.unread ?? 0;
  const read = async (n: Notification) => {
    if (!n.readAt) await must(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id: n.id } } })).catch(() => {});
    await refresh();
  };
  return (
    <div class="bell">
      <button type="button" class="link" aria-expanded={open} aria-controls="inbox" onClick={() => { setOpen(!open); if (!open) void refresh(); }}>
        {t('notifications')}{unread ? <span class="count"> {unread}<span class="sr-only"> {t('unreadCount', { n: unread })}</span></span> : null}
      </button>
      {open ? (
        <section id="inbox" class="inbox card" aria-label={t('notifications')}>
          {inbox?.items.length ? (
            <ul>
              {inbox.items.map((n) => (
                <li key={n.id} class={n.readAt ? 'read' : 'unread'}>
                  {n.caseId ? (
                    <a href={`#/case/${n.caseId}`} onClick={(e) => { e.preventDefault(); void read(n); setOpen(false); go(`#/case/${n.caseId}`); }}>{half(n.title)}</a>
                  ) : <span>{half(n.title)}</span>}
                  {n.reference ? <span class="ref"> {n.reference}</span> : null}
                  <span class="muted"> · {fmtTime(n.createdAt)}</span>
                  {!n.readAt ? <button type="button" class="secondary small" onClick={() => read(n)}>{t('markRead')}</button> : null}
                </li>
              ))}
            </ul>
          ) : <p class="muted">{t('noNotifications')}</p>}
        </section>
      ) : null}
    </div>
  );
}
