/**
 * Demo mode's SMS page API (src/demo/demo-sms.ts): public, like the worker's own pages — the
 * newcomer plays the worker, who has no account — and answered only on the embedded database
 * (404 otherwise). Phones masked; rate-limited per IP like the other public calls.
 */
import { Type } from 'typebox';
import type { DemoSmsPage } from '../../demo/demo-sms.js';
import { errors } from '../schemas.js';
import type { App } from '../app.js';
import type { Limits } from '../limits.js';

const DemoSmsSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String({ description: '案件编号 / the case\'s reference' }),
  kind: Type.String({ description: 'worker_feedback_link 评价链接 / worker_appeal_invitation 申诉提示' }),
  phone: Type.Union([Type.String(), Type.Null()], { description: '收信手机（打码）/ the phone it would have gone to, masked' }),
  text: Type.String({ description: '短信全文 / the text as the worker would have read it' }),
  link: Type.String({ description: '短信中的链接（评价链接或进度页）/ its link: the feedback link or the status page' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export async function demoSmsRoutes(app: App, { demoSms, limits }: { demoSms: DemoSmsPage; limits: Limits }) {
  app.get('/public/demo/sms', {
    preHandler: (request) => limits.publicCalls(request, 'demo-sms'),
    schema: {
      tags: ['public 劳动者自助'], security: [], summary: '示范模式：劳动者会收到的短信 / demo mode: the texts workers would have received', operationId: 'demoSms',
      description: '仅示范模式（npm start 使用内置数据库）：最近 100 条发给劳动者的短信，最新在前，手机号打码，链接可直接打开；其他模式 404 / demo mode only (npm start on the embedded database): the last 100 texts to workers, newest first, phones masked, links live; 404 otherwise.',
      response: { 200: Type.Object({ items: Type.Array(DemoSmsSchema) }), ...errors(404) },
    },
  }, async () => demoSms.list());
}
