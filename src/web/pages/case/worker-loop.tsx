/**
 * The worker's loop, visible: what the worker was told by SMS and when (the texts as sent, the phone
 * masked, sent or pending; never the link), and the worker's feedback (rating, solved?, comment).
 */
import { api, must } from '../../api/client.js';
import { Loading, useLoad } from '../../components/load.js';
import { fmtTime, t, tEnum } from '../../i18n.js';
import type { CaseEvent } from './case-record.js';
import type { WorkerMessageStatus } from '../../../worker-loop/worker-loop.js';

const STATUS = { sent: ['ok', 'smsSent'], pending: ['', 'smsPending'], failed: ['overdue', 'smsFailed'], unsent: ['soon', 'smsUnsent'] } as const satisfies Record<WorkerMessageStatus, readonly [string, Parameters<typeof t>[0]]>;

export function WorkerLoop(props: { caseId: string; reference: string; feedback: CaseEvent | null }) {
  const messages = useLoad(() => must(api.GET('/api/v1/cases/{id}/worker-messages', { params: { path: { id: props.caseId } } })), [props.caseId]);
  const { feedback } = props;
  return (
    <section class="no-print worker-loop" aria-labelledby="worker-loop-title">
      <h2 id="worker-loop-title">{t('workerLoop')}</h2>
      <Loading loaded={messages}>{(m) => m.items.length ? (
        <ul>
          {m.items.map((x) => (
            <li key={`${x.kind}-${x.createdAt}`}>
              <strong>{fmtTime(x.sentAt ?? x.createdAt)}</strong> · {x.phone ?? t('anonymous')} · <span class={`pill ${STATUS[x.status][0]}`}>{t(STATUS[x.status][1])}</span>
              <div class="muted">「{x.sms}」{props.reference}</div>
            </li>
          ))}
        </ul>
      ) : <p class="muted">{t('noWorkerMessages')}</p>}</Loading>
      {feedback ? (
        <p><strong>{t('workerFeedback')}{feedback.actor.system === 'worker' ? '' : t('byLiaison')}：</strong>{tEnum('rating', String(feedback.data.rating ?? ''))}
          {feedback.data.solved ? ` · ${t('solved')}：${tEnum('solved', String(feedback.data.solved))}` : ''}
          {feedback.data.comment ? ` · ${String(feedback.data.comment)}` : ''} · {fmtTime(feedback.at)}</p>
      ) : <p class="muted">{t('noFeedback')}</p>}
    </section>
  );
}
