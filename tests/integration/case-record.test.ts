/**
 * The tamper-evident record: hashes an outside auditor recomputes from the export alone (with the
 * README's own verifier), personal data only as keyed digests (a recovery attempt fails), an
 * append-only table, the published anchors that catch an edit whose chain was recomputed, and the
 * rewrite of an older record to keyed digests.
 */
import canonicalize from 'canonicalize';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, backfillEventHashes, createRecordKey, eventHash } from '../../src/cases/case-record.js';
import { migrateToKeyedDigests } from '../../src/cases/record-migration.js';
import { anchorKey } from '../../src/cases/record-audit.js';
import { shanghaiDay } from '../../src/calendar/working-calendar.js';
import { RECORD_PEPPER, startTestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, districtPerFile } from '../support/builders.js';
import { eventually } from '../support/processes.js';

const file = districtPerFile();
const PHONE = '13912345678';

/** An auditor's own computation, from API.md: nothing of ours imported. */
function auditorHash(e: Record<string, unknown>): string {
  const { caseId, seq, at, actor, action, fromState, toState, level, data, prevHash } = e;
  const canonical = canonicalize({ caseId, seq, at, actor, action, fromState, toState, level, data, prevHash })!;
  return createHash('sha256').update(canonical).digest('hex');
}

const ndjson = (text: string) => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

/** A case whose worker's phone, free text and rating all reach the record. */
async function aFullCase() {
  return aCase(file.d, [
    ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
    ['meituan', { action: 'resolve', resolution: `已联系骑手 ${PHONE}，退还扣款` }],
  ], aGrievance({ worker: { name: '李四光', phone: PHONE, workerType: 'delivery', platforms: ['美团'] }, description: `骑手电话 ${PHONE}，暴雨天被扣款` }));
}

/** As the database's owner: edit one event's data, recompute the chain from there and the case's head — a forger's best. */
async function editAndRechain(databaseUrl: string, caseId: string, seq: number, edit: (data: Record<string, unknown>) => Record<string, unknown>) {
  const owner = postgres(databaseUrl, { max: 1, onnotice: () => {}, transform: postgres.camel });
  try {
    await owner.begin(async (tx) => {
      await tx`alter table case_events disable trigger case_events_append_only`;
      const events = await tx<{ id: number; seq: number; at: Date; actorUserId: string | null; actorOrgId: string | null; actorSystem: string | null;
        action: string; fromState: string | null; toState: string; level: string; data: Record<string, unknown> }[]>`
        select * from case_events where case_id = ${caseId} order by seq`;
      let prevHash = GENESIS_HASH;
      for (const e of events) {
        const data = e.seq === seq ? edit(e.data) : e.data;
        const actor = { ...(e.actorUserId ? { userId: e.actorUserId } : {}), ...(e.actorOrgId ? { orgId: e.actorOrgId } : {}), ...(e.actorSystem ? { system: e.actorSystem } : {}) };
        const hash = eventHash({ caseId, seq: e.seq, at: e.at, actor, action: e.action, fromState: e.fromState, toState: e.toState, level: e.level, data, prevHash });
        await tx`update case_events set data = ${tx.json(data as never)}, prev_hash = ${prevHash}, hash = ${hash} where id = ${e.id}`;
        prevHash = hash;
      }
      await tx`update cases set event_hash = ${prevHash} where id = ${caseId}`;
      await tx`alter table case_events enable trigger case_events_append_only`;
    });
  } finally {
    await owner.end();
  }
}

describe('the export: the record in its hashed form', () => {
  it('an auditor recomputes every hash of a case\'s chain, and the README\'s verifier agrees', async () => {
    const c = await aFullCase();
    const res = await file.d.convener.get(`/api/v1/audit/export?caseId=${c.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const events = ndjson(res.text);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    for (const [i, e] of events.entries()) {
      expect(e.hash).toBe(auditorHash(e));
      if (i > 0) expect(e.prevHash).toBe(events[i - 1].hash);
    }
    // Personal fields only as keyed digests: never the text.
    expect(res.text).not.toContain(PHONE);
    expect(res.text).not.toContain('李四光');
    expect(res.text).not.toContain('暴雨天');
    expect((events[0].data as Record<string, string>).workerPhone).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect((events[3].data as Record<string, string>).resolution).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);

    // The README's standalone verifier, run as the auditor would: `node verify.mjs < export.ndjson`.
    const { stdout, status } = runReadmeVerifier(res.text);
    expect(stdout).toContain('4 events, 1 cases: every hash and link recomputed');
    expect(status).toBe(0);
    const forged = res.text.replace(file.d.orgs.meituan, file.d.orgs.eleme);
    expect(runReadmeVerifier(forged).status).toBe(1);
  });

  it('a period\'s export: each case\'s first event in the range carries the prevHash to start from', async () => {
    const c = await aFullCase();
    const events = ndjson((await file.d.convener.get(`/api/v1/audit/export?caseId=${c.id}`)).text);
    const from = new Date(String(events[2].at)).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const period = ndjson((await file.d.admin.get(`/api/v1/audit/export?from=${from}&to=${to}`)).text).filter((e) => e.caseId === c.id);
    expect(period[0].seq).toBe(3);
    expect(period[0].prevHash).toBe(events[1].hash);
    for (const e of period) expect(e.hash).toBe(auditorHash(e));
  });

  it('refuses a period that is missing, reversed or longer than 92 days, and callers other than conveners and admins', async () => {
    const now = Date.now();
    const at = (days: number) => new Date(now + days * 86_400_000).toISOString();
    const cases: [string, string][] = [
      ['', 'from'], [`?from=${at(-1)}`, 'to'], [`?to=${at(0)}`, 'from'], [`?from=${at(0)}&to=${at(-1)}`, 'from'],
      [`?from=${at(-93)}&to=${at(0)}`, 'to'], [`?caseId=${file.d.orgs.eleme}&from=${at(-1)}`, 'caseId'], ['?from=yesterday&to=today', 'from'],
    ];
    for (const [query, field] of cases) {
      const res = await file.d.convener.get(`/api/v1/audit/export${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.field ?? res.body.message, query).toContain(field);
    }
    expect((await file.d.convener.get(`/api/v1/audit/export?from=${at(-92)}&to=${at(0)}`)).status).toBe(200);
    expect((await file.d.meituan.get(`/api/v1/audit/export?from=${at(-1)}&to=${at(0)}`)).status).toBe(403);
    expect((await file.d.liaison.get(`/api/v1/audit/export?from=${at(-1)}&to=${at(0)}`)).status).toBe(403);
  });
});

describe('personal data in the record', () => {
  it('the 1,235-hash recovery fails: nothing any role reads hashes to a candidate phone or name', async () => {
    const c = await aFullCase();
    const readable = [
      JSON.stringify((await file.d.meituan.get(`/api/v1/cases/${c.id}`)).body),
      JSON.stringify((await file.d.meituan.get(`/api/v1/cases/${c.id}/events`)).body),
      JSON.stringify((await file.d.convener.get(`/api/v1/cases/${c.id}/events`)).body),
      (await file.d.convener.get(`/api/v1/audit/export?caseId=${c.id}`)).text,
    ].join('\n');
    expect(readable).toContain('139****5678');
    // Every 64-hex string anyone reads, against the attacker's unkeyed candidates: all 10,000 fillings of the mask, and names.
    const digests = new Set([...readable.matchAll(/[0-9a-f]{64}/g)].map((m) => m[0]));
    const candidates = Array.from({ length: 10_000 }, (_, i) => `139${String(i).padStart(4, '0')}5678`);
    const tries = [...candidates, '李四光', '李四', '李'];
    const recovered = tries.filter((value) => [`${c.id}:${value}`, value].some((input) => digests.has(createHash('sha256').update(input).digest('hex'))));
    expect(recovered).toEqual([]);
    // And a digest links nothing across cases: the same phone on another case has another digest.
    const other = await aFullCase();
    const phoneOf = async (id: string) => (ndjson((await file.d.convener.get(`/api/v1/audit/export?caseId=${id}`)).text)[0].data as Record<string, string>).workerPhone;
    expect(await phoneOf(other.id)).not.toBe(await phoneOf(c.id));
  });

  it('the events answer shows the text, masked by role, and no digest', async () => {
    const c = await aFullCase();
    const masked = (await file.d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(masked[0].data).toMatchObject({ workerPhone: '139****5678', workerName: '李**', description: '骑手电话 139****5678，暴雨天被扣款' });
    expect(masked[3].data.resolution).toBe('已联系骑手 139****5678，退还扣款');
    expect(JSON.stringify(masked)).not.toMatch(/hmac-sha256/);
    expect(JSON.stringify(masked)).not.toContain(PHONE);
  });

  it('erasing a contact after retention keeps the chain whole', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'withdraw', reason: '已自行解决' }]]);
    const sql = file.engine.runtime.database.sql;
    const { eraseExpiredContacts } = await import('../../src/privacy/contact-retention.js');
    expect(await eraseExpiredContacts(sql, 0, new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    const [register] = await sql<{ texts: Record<string, string> }[]>`select texts from case_events where case_id = ${c.id} and seq = 1`;
    expect(register.texts).not.toHaveProperty('workerPhone');
    expect(register.texts).toHaveProperty('description');
    expect((await file.d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body).toMatchObject({ ok: true });
    expect((await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items[0].data.workerPhone).toBeNull();
  });
});

describe('the table and the published anchors', () => {
  it('the application cannot update or delete an event — only erase the text beside it', async () => {
    const c = await aCase(file.d);
    const sql = file.engine.runtime.database.sql;
    await expect(sql`update case_events set data = '{}' where case_id = ${c.id}`).rejects.toThrow(/append-only/);
    await expect(sql`update case_events set texts = '{}', hash = 'x' where case_id = ${c.id}`).rejects.toThrow(/append-only/);
    await expect(sql`delete from case_events where case_id = ${c.id}`).rejects.toThrow(/append-only/);
    await sql`update case_events set texts = texts - 'workerName' where case_id = ${c.id}`;
  });

  it('an UPDATE or DELETE made behind the trigger\'s back is caught by verify', async () => {
    const edited = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
    const deleted = await aCase(file.d, [['liaison', { action: 'forward' }]]);
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

  it('an edit whose chain the database\'s owner recomputed passes the chain, and fails against the published anchor', async () => {
    // An engine of its own: it anchors today, which only a test does (the workers anchor whole days past).
    const engine = await startTestEngine();
    try {
      const d = await aDistrict(engine.app);
      const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
      const audit = engine.runtime.recordAudit;
      const today = shanghaiDay(new Date());
      const anchor = await audit.anchorDay(today);
      // Published outside the database, written once: the storage holds it with this case's head.
      const published = await audit.readPublished(3, today);
      expect(published?.hash).toBe(anchor.hash);
      expect(published?.heads).toContainEqual(expect.objectContaining({ caseId: c.id, seq: 3 }));
      expect((await d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body).toMatchObject({ ok: true, checked: 3, anchorsChecked: 1 });

      await editAndRechain(engine.databaseUrl, c.id, 2, (data) => ({ ...data, toOrgId: d.orgs.eleme }));
      const verdict = (await d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body;
      expect(verdict).toMatchObject({ ok: false, anchorDay: today });
      expect(verdict.firstBrokenSeq).toBeLessThanOrEqual(2);
      // The anchor cannot be re-made from the altered record: the run refuses instead of publishing.
      await expect(audit.anchorDay(today)).rejects.toThrow(/altered/);
    } finally {
      await engine.close();
    }
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

describe('a record of before keyed digests (version 2)', () => {
  it('is rewritten once: digests keyed, text beside the chain, the chain recomputed, a record_migrated event citing the old head', async () => {
    const c = await aFullCase();
    const sql = file.engine.runtime.database.sql;
    // The version-2 form, as the database's owner: unkeyed contact digests, free text in the hashed data.
    const owner = postgres(file.engine.databaseUrl, { max: 1, onnotice: () => {}, transform: postgres.camel });
    let oldHead = '';
    try {
      await owner.begin(async (tx) => {
        await tx`alter table case_events disable trigger case_events_append_only`;
        const events = await tx<{ id: number; seq: number; at: Date; actorUserId: string | null; actorOrgId: string | null; action: string;
          fromState: string | null; toState: string; level: string; data: Record<string, unknown>; texts: Record<string, string> }[]>`
          select * from case_events where case_id = ${c.id} order by seq`;
        let prevHash = GENESIS_HASH;
        for (const e of events) {
          const data: Record<string, unknown> = { ...e.data, ...e.texts };
          if (e.action === 'register') {
            delete data.workerName; delete data.workerPhone; delete data.description;
            data.workerPhoneDigest = createHash('sha256').update(`${c.id}:${PHONE}`).digest('hex');
          }
          const actor = { ...(e.actorUserId ? { userId: e.actorUserId } : {}), ...(e.actorOrgId ? { orgId: e.actorOrgId } : {}) };
          const hash = eventHash({ caseId: c.id, seq: e.seq, at: e.at, actor, action: e.action, fromState: e.fromState, toState: e.toState, level: e.level, data, prevHash });
          await tx`update case_events set data = ${tx.json(data as never)}, texts = null, schema_version = 2, prev_hash = ${prevHash}, hash = ${hash} where id = ${e.id}`;
          prevHash = hash;
        }
        oldHead = prevHash;
        await tx`update cases set event_hash = ${prevHash} where id = ${c.id}`;
        await tx`alter table case_events enable trigger case_events_append_only`;
      });
    } finally {
      await owner.end();
    }
    expect(await migrateToKeyedDigests(sql, createRecordKey(RECORD_PEPPER))).toBe(1);
    expect(await migrateToKeyedDigests(sql, createRecordKey(RECORD_PEPPER))).toBe(0);

    const exported = ndjson((await file.d.convener.get(`/api/v1/audit/export?caseId=${c.id}`)).text);
    expect(exported.at(-1)).toMatchObject({ seq: 5, action: 'record_migrated', data: { previousHead: oldHead, previousRecordVersion: 2, recordVersion: 3 } });
    for (const e of exported) expect(e.hash).toBe(auditorHash(e));
    expect(JSON.stringify(exported)).not.toContain(PHONE);
    expect(JSON.stringify(exported)).not.toContain('workerPhoneDigest');
    expect((exported[0].data as Record<string, string>).workerPhone).toMatch(/^hmac-sha256:/);
    expect((await file.d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body).toMatchObject({ ok: true, checked: 5 });
    const shown = (await file.d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(shown[3].data.resolution).toBe('已联系骑手 139****5678，退还扣款');
    expect(shown[0].data.workerPhone).toBe('139****5678');
  });
});

describe('daily anchors', () => {
  it('one hash a day over the heads of the records that moved that day, chained to the day before; written and published once', async () => {
    await aCase(file.d);
    const audit = file.engine.runtime.recordAudit;
    const first = await audit.anchorDay('2099-01-01');
    expect(await audit.anchorDay('2099-01-01')).toEqual(first);
    const next = await audit.anchorDay('2099-01-02');
    expect(next.prevHash).toBe(first.hash);
    expect(first).toMatchObject({ recordVersion: 3, cases: 0 });
    const listed = (await file.d.convener.get('/api/v1/audit/anchors?limit=2')).body.items;
    expect(listed.map((a: { day: string }) => a.day)).toEqual(['2099-01-02', '2099-01-01']);
    const storageDir = path.join(os.tmpdir(), new URL(file.engine.databaseUrl).pathname.slice(1));
    expect(JSON.parse(readFileSync(path.join(storageDir, anchorKey(3, '2099-01-01')), 'utf8'))).toMatchObject({ hash: first.hash, heads: [] });
    // And sent to every convener unit's channels, once per day anchored: a message about no one case.
    const sql = file.engine.runtime.database.sql;
    const sent = await sql<{ orgId: string; caseId: string | null; payload: { hash: string; day: string } }[]>`
      select org_id, case_id, payload from outbox where kind = 'record_anchor' order by payload->>'day'`;
    expect(sent.map((r) => [r.orgId, r.caseId, r.payload.day, r.payload.hash])).toEqual([
      [file.d.orgs.convener, null, '2099-01-01', first.hash], [file.d.orgs.convener, null, '2099-01-02', next.hash],
    ]);
    // The delivery takes a message about no one case: listed while it waits (if it still does), then delivered.
    const pending = await file.d.admin.get('/api/v1/deliveries?status=pending');
    expect(pending.status).toBe(200);
    for (const item of pending.body.items as { kind: string; caseId: string | null }[]) if (item.kind === 'record_anchor') expect(item.caseId).toBeNull();
    await eventually(async () => {
      const [{ waiting }] = await sql<{ waiting: number }[]>`select count(*)::int as waiting from outbox where kind = 'record_anchor' and delivered_at is null`;
      return waiting === 0;
    }, 20_000, 'the anchor messages delivered');
  });
});

/** The README's "Verifying the record" block, as an auditor copies it, run on an export. */
function runReadmeVerifier(exported: string) {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- verifier -->\s*```js\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no verifier block (<!-- verifier --> then ```js)');
  // Beside the project, so that `canonicalize` resolves from its node_modules as it would from an auditor's.
  const local = new URL('../../node_modules/.verify-record.mjs', import.meta.url);
  writeFileSync(local, block[1]);
  const run = spawnSync(process.execPath, [local.pathname], { input: exported, encoding: 'utf8' });
  return { stdout: run.stdout + run.stderr, status: run.status };
}
