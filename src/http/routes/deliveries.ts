/**
 * For admins: notifications not yet delivered (which unit's channel is parked or gave up, and why),
 * and every queue's counts — the deadline and export queues (BullMQ) and the notification outbox.
 */
import { Type } from 'typebox';
import type { DeliveryStatus } from '../../notifications/outbox.js';
import { NOTE_KINDS } from '../../notifications/who-is-told.js';
import { errors } from '../schemas.js';
import { Forbidden, Unavailable } from '../../errors.js';
import { iso } from '../request-helpers.js';
import type { Api, App } from '../app.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const DeliverySchema = Type.Object({
  id: Str, orgId: Str, orgName: Str, caseId: Type.Union([Str, Type.Null()], { description: 'null: a message about no one case (the daily record anchor)' }),
  kind: Type.String({ description: `通知类型 / the kind: ${NOTE_KINDS.join(', ')} (worker_*: a message to the worker, by SMS)` }),
  channel: Type.Enum(['webhook', 'wecom', 'dingtalk', 'email', 'sms'], { description: '投递渠道 / the unit\'s channel' }), attempts: Type.Integer(), lastError: NStr,
  nextAttemptAt: Str, createdAt: Str,
  receiver: Type.Object({ failures: Type.Integer({ description: '连续失败次数 / consecutive failures' }), parkedUntil: NStr }),
});

const Count = Type.Integer({ minimum: 0 });
const QueueCountsSchema = Type.Object({
  name: Type.Enum(['deadlines', 'exports', 'outbox'], { description: '期限唤醒 / deadline wake-ups; 导出 / exports; 通知发件箱 / the notification outbox' }),
  waiting: Count, delayed: Count, failed: Count,
});

export async function deliveryRoutes(app: App, { deliveries }: Api) {
  app.get('/queues', {
    schema: {
      tags: ['configuration 配置'], operationId: 'countQueues', summary: '队列计数 / queue counts',
      description: '各队列的任务数：waiting 待处理（含处理中），delayed 未到时间（期限、重试退避），failed 已放弃 / jobs per queue: waiting (incl. in hand), delayed (not due yet: deadlines, retry backoff), failed (gave up)',
      response: { 200: Type.Object({ items: Type.Array(QueueCountsSchema) }), ...errors(401, 403, 503) },
    },
  }, async (request) => {
    const queues = await deliveries.countQueues(request.caller).catch((error: unknown) => {
      if (error instanceof Forbidden) throw error;
      throw new Unavailable('队列服务暂不可用 / the queue backend does not answer');
    });
    const outbox = await deliveries.countOutbox(request.caller);
    return { items: [...queues, { name: 'outbox', ...outbox }] as { name: 'outbox'; waiting: number; delayed: number; failed: number }[] };
  });


  app.get('/deliveries', {
    schema: {
      tags: ['configuration 配置'],
      description: '未送达的通知：parked 接收方连续失败已暂停（到期后试投一条，成功即恢复）；failed 已放弃；pending 等待重试 / undelivered notifications: parked (the unit\'s webhook keeps failing; one probe when the park runs out, a success resumes it), failed (gave up), pending (waiting for a retry)',
      querystring: Type.Object({ status: Type.Optional(Type.Enum(['parked', 'failed', 'pending'], { default: 'parked' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(DeliverySchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const rows = await deliveries.listDeliveries(request.caller, (request.query.status ?? 'parked') as DeliveryStatus);
    return {
      items: rows.map((r) => ({
        id: r.id, orgId: r.orgId, orgName: r.orgName, caseId: r.caseId, kind: r.kind, channel: r.channel, attempts: r.attempts, lastError: r.lastError,
        nextAttemptAt: iso(r.nextAttemptAt)!, createdAt: iso(r.createdAt)!,
        receiver: { failures: r.receiverFailures, parkedUntil: iso(r.receiverParkedUntil) },
      })),
    };
  });
}
