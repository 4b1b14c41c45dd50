/** Ways in beyond the liaison: a 12345 hotline hands its work orders over. Thin: validate, call the engine, shape. */
import { Type } from 'typebox';
import { HotlineOrderSchema } from '../../cases/case-types.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

const HandedOver = Type.Object({
  id: Type.String(), reference: Type.String({ description: '案件编号，如 SQ-2026-000123 / the case\'s reference' }),
}, { description: '工单对应的案件 / the case the work order became' });

export async function intakeRoutes(app: App, { engine, limits }: Api) {
  app.post('/intake/hotline', {
    preHandler: limits.registrations,
    schema: {
      tags: ['intake 受理渠道'], summary: '12345 热线转办工单 / a 12345 hotline hands a work order over', operationId: 'handOverHotlineOrder',
      description: [
        '热线用户（role hotline）转办：在区域所属支部（否则热线的默认支部）登记，由该支部在 L1 办理；填写平台则立即转交该平台党委。',
        '同一工单号再次提交答 200 与同一案件；内容不同答 422 `hotline_order_conflict`。热线的通知渠道收到每次层级变化和结案（签名 webhook）。',
        '/ A hotline user hands an order over: it is registered at the branch whose areas hold its area (else the hotline\'s default branch), which owns it at L1;',
        'an order naming a platform is forwarded to its committee at once. The same orderNo again answers 200 with the same case; with another body 422 `hotline_order_conflict`.',
        'The hotline\'s channels are told of every level change and of the close (signed webhook).',
      ].join(' '),
      body: HotlineOrderSchema, response: { 201: HandedOver, 200: HandedOver, ...errors(400, 401, 403, 422) },
    },
  }, async (request, reply) => {
    const { created, case: handed } = await engine.registerOrder(request.caller, request.body);
    return reply.status(created ? 201 : 200).send({ id: handed.id, reference: handed.reference });
  });
}
