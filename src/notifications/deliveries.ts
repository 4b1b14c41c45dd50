/**
 * What the admins' delivery and queue routes call: the notification outbox's counts and its
 * undelivered rows (outbox.ts), and the BullMQ queues' counts, bound to their backends. The admin's alone.
 */
import type { Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { requireAdmin } from '../access/permissions.js';
import type { QueueCounts } from '../workers/queue-backend.js';
import { countOutbox, listDeliveries, type DeliveryStatus } from './outbox.js';

export function createDeliveryService(deps: { sql: Sql; countQueues: () => Promise<QueueCounts[]> }) {
  return {
    countQueues: (caller: Caller) => {
      requireAdmin(caller, '队列 queues');
      return deps.countQueues();
    },
    countOutbox: (caller: Caller) => {
      requireAdmin(caller, '队列 queues');
      return countOutbox(deps.sql);
    },
    listDeliveries: (caller: Caller, status: DeliveryStatus) => {
      requireAdmin(caller, '通知投递 deliveries');
      return listDeliveries(deps.sql, status);
    },
  };
}
export type DeliveryService = ReturnType<typeof createDeliveryService>;
