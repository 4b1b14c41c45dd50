/**
 * What the admins' delivery and queue routes call: the notification outbox's counts and its
 * undelivered rows (outbox.ts), and the BullMQ queues' counts, bound to their backends.
 */
import type { Sql } from '../../db/client.js';
import type { QueueCounts } from '../workers/queue-backend.js';
import { countOutbox, listDeliveries, type DeliveryStatus } from './outbox.js';

export function createDeliveryService(deps: { sql: Sql; countQueues: () => Promise<QueueCounts[]> }) {
  return {
    countQueues: () => deps.countQueues(),
    countOutbox: () => countOutbox(deps.sql),
    listDeliveries: (status: DeliveryStatus) => listDeliveries(deps.sql, status),
  };
}
export type DeliveryService = ReturnType<typeof createDeliveryService>;
