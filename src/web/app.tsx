/** Which page to show: public pages need no sign-in; signed-in pages by role and route. */
import { useEffect } from 'preact/hooks';
import { token } from './api/client.js';
import { Layout } from './components/layout.js';
import { lazyPage } from './components/lazy.js';
import { Loading, useLoad } from './components/load.js';
import { language, t } from './i18n.js';
import { RedeemSignInLink } from './pages/login.js';
import { PinOffer, SignedOut } from './device/pin.js';
import { LiaisonHome } from './pages/liaison/liaison-home.js';
import { startLive } from './live.js';
import { route, type Route } from './router.js';
import { loadSession, session, type Session } from './session.js';
import { useSignal } from './store.js';

const CasePage = lazyPage(() => import('./pages/case/case-page.js').then((m) => m.CasePage));
const QueuePage = lazyPage(() => import('./pages/queue/queue-page.js').then((m) => m.QueuePage));
const OfficerHome = lazyPage(() => import('./pages/officer/officer-home.js').then((m) => m.OfficerHome));
const ConvenerHome = lazyPage(() => import('./pages/convener/convener-home.js').then((m) => m.ConvenerHome));
const MeetingPage = lazyPage(() => import('./pages/convener/meeting-page.js').then((m) => m.MeetingPage));
const AdminConsole = lazyPage(() => import('./pages/admin/admin-console.js').then((m) => m.AdminConsole));
const StatusPage = lazyPage(() => import('./pages/public/status-page.js').then((m) => m.StatusPage));
const FeedbackPage = lazyPage(() => import('./pages/public/feedback-page.js').then((m) => m.FeedbackPage));
const DemoSmsPage = lazyPage(() => import('./pages/public/demo-sms-page.js').then((m) => m.DemoSmsPage));
const SubmitPage = lazyPage(() => import('./pages/submissions/submit-page.js').then((m) => m.SubmitPage));
const TrackPage = lazyPage(() => import('./pages/submissions/submit-page.js').then((m) => m.TrackPage));

export function App() {
  useSignal(language);
  const current = useSignal(route);
  const bearer = useSignal(token);
  useEffect(() => { document.getElementById('main')?.focus({ preventScroll: true }); }, [current]);
  if (current.page === 'status') return <Layout><StatusPage /></Layout>;
  if (current.page === 'feedback') return <Layout><FeedbackPage token={current.token} /></Layout>;
  if (current.page === 'demo-sms') return <Layout><DemoSmsPage /></Layout>;
  if (current.page === 'submit') return <Layout><SubmitPage branchId={current.branchId} /></Layout>;
  if (current.page === 'submission') return <Layout><TrackPage code={current.code} /></Layout>;
  if (current.page === 'sign-in') return <Layout><RedeemSignInLink code={current.code} /></Layout>;
  if (!bearer) return <Layout><SignedOut /></Layout>;
  return <SignedIn route={current} />;
}

function SignedIn(props: { route: Route }) {
  const current = useSignal(session);
  const loaded = useLoad(() => (current ? Promise.resolve(current) : loadSession()), [current === null]);
  useEffect(() => { if (loaded.data) startLive(); }, [loaded.data !== null]);
  // A session kept from earlier in this tab opened the page at once (also offline); refresh it when we can.
  useEffect(() => { if (current && navigator.onLine) loadSession().catch(() => {}); }, []);
  return (
    <Layout>
      <PinOffer />
      <Loading loaded={loaded}>{(s) => <Page route={props.route} session={current ?? s} />}</Loading>
    </Layout>
  );
}

function Page(props: { route: Route; session: Session }) {
  const { route: r, session: s } = props;
  if (r.page === 'case') return <CasePage id={r.id} session={s} />;
  if (r.page === 'meeting') return <MeetingPage id={r.id} session={s} />;
  switch (s.me.role) {
    case 'liaison': return <LiaisonHome session={s} />;
    case 'committee': return <QueuePage session={s} />;
    // A union's or mediation unit's mediator: the cases referred to it (its scope).
    case 'mediator': return <QueuePage session={s} startOn="open" />;
    // A 12345 hotline's operator: the cases its work orders became (its scope), to follow them.
    case 'hotline': return <QueuePage session={s} startOn="open" />;
    case 'officer': return <OfficerHome session={s} />;
    // A call-back user (回访员): the resolved cases awaiting the worker's feedback (its scope), to call and record it.
    case 'callback': return <QueuePage session={s} title={t('callbackQueue')} startOn="open" />;
    case 'convener': return <ConvenerHome session={s} />;
    case 'admin': return <AdminConsole session={s} />;
    default: return <p>{t('noAccess')}</p>;
  }
}
