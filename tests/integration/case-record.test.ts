/**
 * The tamper-evident record: hashes an outside auditor recomputes from API.md's definition alone,
 * an append-only table, and a verify that catches an edit made behind the application's back.
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { anchorDay, backfillEventHashes } from '../../src/cases/case-record.js';
import { aCase, districtPerFile } from '../support/builders.js';

const file = districtPerFile();

/** An auditor's own computation, from API.md: nothing of ours imported. */
function auditorHash(caseId: string, e: Record<string, unknown>): string {
  const { seq, at, actor, action, fromState, toState, level, data, prevHash } = e;
  const canonical = canonicalize({ caseId, seq, at, actor, action, fromState, toState, level, data, prevHash })!;
  return createHash('sha256').update(canonical).digest('hex');
}

describe('the hash chain', () => {
  it('an auditor recomputes every hash from the events answer', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'resolve', resolution: '已处理' }]]);
    const events = (await file.d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events[0].prevHash).toBe('0'.repeat(64));
    for (const [i, e] of events.entries()) {
      expect(e.hash).toBe(auditorHash(c.id, e));
      if (i > 0) expect(e.prevHash).toBe(events[i - 1].hash);
    }
    expect((await file.d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body).toEqual({ ok: true, checked: 4, head: events.at(-1).hash });
    expect((await file.d.meituan.get(`/api/v1/audit/verify?caseId=${c.id}`)).status).toBe(403);
  });

  it('the application cannot update or delete an event: the table refuses', async () => {
    const c = await aCase(file.d);
    const sql = file.engine.runtime.database.sql;
    await expect(sql`update case_events set data = '{}' where case_id = ${c.id}`).rejects.toThrow(/append-only/);
    await expect(sql`delete from case_events where case_id = ${c.id}`).rejects.toThrow(/append-only/);
  });

  it('an UPDATE or DELETE made behind the trigger\'s back is caught by verify', async () => {
    const edited = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
    const deleted = await aCase(file.d, [['liaison', { action: 'forward' }]]);
    // A database owner who disables the trigger: the record's last line of defence is the chain.
    const owner = postgres(file.engine.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await owner.begin(async (tx) => {
        await tx`alter table case_events disable trigger case_events_append_only`;
        await tx`update case_events set data = jsonb_set(data, '{fromOrgId}', to_jsonb(${file.d.orgs.eleme}::text)) where case_id = ${edited.id} and seq = 2`;
        await tx`delete from case_events where case_id = ${deleted.id} and seq = 2`;
        await tx`alter table case_events enable trigger case_events_append_only`;
      });
    } finally {
      await owner.end();
    }
    expect((await file.d.convener.get(`/api/v1/audit/verify?caseId=${edited.id}`)).body).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    expect((await file.d.admin.get(`/api/v1/audit/verify?caseId=${deleted.id}`)).body).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });
});

describe('events written before the chain', () => {
  it('are hashed once at migration, exactly as new ones are, and frozen from then on', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }]]);
    const sql = file.engine.runtime.database.sql;
    const before = await sql`select seq, hash from case_events where case_id = ${c.id} order by seq`;
    const owner = postgres(file.engine.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await owner.begin(async (tx) => {
        await tx`alter table case_events disable trigger case_events_append_only`;
        await tx`update case_events set hash = null, prev_hash = null where case_id = ${c.id}`;
        await tx`update cases set event_hash = null where id = ${c.id}`;
        await tx`alter table case_events enable trigger case_events_append_only`;
      });
    } finally {
      await owner.end();
    }
    expect(await backfillEventHashes(sql)).toBe(1);
    expect(await sql`select seq, hash from case_events where case_id = ${c.id} order by seq`).toEqual(before);
    expect((await file.d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body).toMatchObject({ ok: true, checked: 2 });
    await expect(sql`update case_events set hash = null where case_id = ${c.id}`).rejects.toThrow(/append-only/);
  });
});

describe('daily anchors', () => {
  it('one hash a day over every case\'s head, chained to the day before; written once', async () => {
    await aCase(file.d);
    const sql = file.engine.runtime.database.sql;
    const first = await anchorDay(sql, '2099-01-01');
    const again = await anchorDay(sql, '2099-01-01');
    expect(again).toEqual(first);
    const next = await anchorDay(sql, '2099-01-02');
    expect(next.prevHash).toBe(first.hash);
    expect(first.cases).toBeGreaterThan(0);
    const listed = (await file.d.convener.get('/api/v1/audit/anchors?limit=2')).body.items;
    expect(listed.map((a: { day: string }) => a.day)).toEqual(['2099-01-02', '2099-01-01']);
  });
});
