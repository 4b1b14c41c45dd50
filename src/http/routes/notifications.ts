/** The caller's notification centre: list (with the unread count) and mark read. Thin: validate, call, shape. */
import { Type } from 'typebox';
import { NotificationSchema } from '../../notifications/notification-centre.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

const tags = ['notifications 通知'];

export async function notificationRoutes(app: App, { notifications }: Api) {
  app.get('/notifications', {
    schema: {
      tags, summary: '我的通知 / my notifications', operationId: 'listNotifications',
      description: '本单位（及本角色）的通知，最新在前；`unread` 为未读总数 / notifications to the caller\'s unit (and role), newest first; `unread` counts all unread',
      querystring: Type.Object({
        unread: Type.Optional(Type.Enum(['true', 'false'], { description: 'true: 只列未读 / only unread ones' })),
        limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1–100, default 50' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(NotificationSchema), unread: Type.Integer() }), ...errors(400, 401) },
    },
  }, async (request) => notifications.listNotifications(request.caller, {
    unreadOnly: request.query.unread === 'true', limit: request.query.limit ? Number(request.query.limit) : 50,
  }));

  app.post('/notifications/:id/read', {
    schema: {
      tags, summary: '标为已读 / mark a notification read', operationId: 'markNotificationRead',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: { 204: Type.Null({ description: '已读 / read' }), ...errors(400, 401, 404) },
    },
  }, async (request, reply) => {
    await notifications.markRead(request.caller, request.params.id);
    return reply.status(204).send(null);
  });
}
