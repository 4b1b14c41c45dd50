/**
 * Demo mode's SMS sink (issue 21 item 10). On the embedded database (`npm start` without
 * DATABASE_URL) no unit has an SMS gateway, so the worker's texts (the feedback link, the
 * invitation to appeal) would go nowhere: the outbox delivery records each one here instead, as the
 * worker would have read it, with the phone masked, before the outbox row drops its link. The public
 * page /demo/sms lists them, newest first, so a newcomer can play the worker and follow the link.
 * A runtime not in demo mode never records (RuntimeOptions.demoSms), and its GET answers 404.
 */
import type { Sql, Tx } from '../../db/client.js';
import { NotFound } from '../errors.js';
import { maskPhone } from '../privacy/masking.js';

/** A text as the worker would have received it: the case, the message kind, the masked phone, the words and the link. */
export interface DemoSmsText { caseId: string; kind: string; phone: string | null; text: string; link: string }
export interface DemoSmsView { id: string; reference: string; kind: string; phone: string | null; text: string; link: string; createdAt: string }

/** Records the texts that would have gone out; the phone is masked before it is written. */
export async function recordDemoSms(tx: Tx, texts: DemoSmsText[]): Promise<void> {
  if (texts.length === 0) return;
  await tx`insert into demo_sms ${tx(texts.map((t) => ({ ...t, phone: maskPhone(t.phone) })))}`;
}

/** The page's list: the last 100 texts, newest first; outside demo mode a 404 (production keeps none). */
export function createDemoSmsPage(sql: Sql, demoMode: boolean) {
  return {
    async list(): Promise<{ items: DemoSmsView[] }> {
      if (!demoMode) throw new NotFound('示范短信仅在示范模式（内置数据库）下提供 / the demo SMS page exists only in demo mode (the embedded database)');
      const rows = await sql<(Omit<DemoSmsView, 'createdAt'> & { createdAt: Date })[]>`select s.id, c.reference, s.kind, s.phone, s.text, s.link, s.created_at
        from demo_sms s join cases c on c.id = s.case_id order by s.created_at desc, s.id limit 100`;
      return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    },
  };
}
export type DemoSmsPage = ReturnType<typeof createDemoSmsPage>;
