/**
 * 督办单: the supervision order of a supervised case, printable on its own (print CSS hides the rest):
 * numbered by the case and the order's place in its record, with a reply section — the ordered unit's
 * resolution once it is recorded, else lines to fill in on paper.
 */
import { Card } from '../../components/field.js';
import { fmtTime, t, tAmount, tEnum } from '../../i18n.js';
import { categoryName, orgName } from '../../session.js';
import type { CaseEvent } from './case-record.js';

type Supervised = { reference: string; category: string; description: string; holderOrgId: string; supervisingOrgId: string | null; deadlines: { step: string; dueAt: string; status: string }[] };

export function SupervisionOrder(props: { kase: Supervised; order: CaseEvent; reply: CaseEvent | null }) {
  const { kase: c, order, reply } = props;
  const due = c.deadlines.find((d) => d.step === 'supervision' && d.status === 'pending') ?? c.deadlines.find((d) => d.step === 'supervision');
  const amount = typeof order.data.amount === 'number' && typeof order.data.unit === 'string' ? tAmount(order.data.amount, order.data.unit) : '—';
  return (
    <Card class="supervision-order">
      <h2>{t('supervisionOrder')}</h2>
      <p class="order-number">{t('orderNumber')}：{`督〔${order.at.slice(0, 4)}〕${c.reference.replace(/^SQ-\d{4}-/, '')}-${order.seq}`}</p>
      <dl class="facts">
        <div><dt>{t('reference')}</dt><dd>{c.reference}</dd></div>
        <div><dt>{t('category')}</dt><dd>{categoryName(c.category)}</dd></div>
        <div><dt>{tEnum('orgType', 'department')}</dt><dd>{orgName(c.supervisingOrgId ?? order.actor.orgId)}</dd></div>
        <div><dt>{t('holder')}</dt><dd>{orgName(c.holderOrgId)}</dd></div>
        <div><dt>{t('amount')}</dt><dd>{amount}</dd></div>
        <div><dt>{t('dueAt')}</dt><dd>{fmtTime(due?.dueAt)}</dd></div>
      </dl>
      <p><strong>{t('summary')}：</strong>{c.description}</p>
      <p><strong>{t('supervisionOrder')}：</strong>{String(order.data.instructions ?? '')}</p>
      <p class="muted">{fmtTime(order.at)}</p>
      <p class="signature">{t('issuedBy')}：{orgName(c.supervisingOrgId ?? order.actor.orgId)}　{t('seal')}</p>
      <section class="order-reply">
        <h3>{t('orderReply')}（{orgName(c.holderOrgId)}）</h3>
        {reply
          ? <><p>{String(reply.data.resolution ?? '')}</p><p class="muted">{fmtTime(reply.at)}</p></>
          : <p class="reply-lines" aria-label={t('orderReplyPending')}>{t('orderReplyPending')}</p>}
      </section>
      <div class="actions no-print">
        <button type="button" class="secondary" onClick={() => { document.body.classList.add('printing-order'); window.print(); document.body.classList.remove('printing-order'); }}>{t('printOrder')}</button>
      </div>
    </Card>
  );
}
