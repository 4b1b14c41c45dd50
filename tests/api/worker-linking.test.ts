/**
 * One worker, many platforms (issue 21 item 8), only with consent: `worker.consentToLink` at
 * registration keeps a linking digest (HMAC-SHA-256 with LINK_KEY of the normalised phone) on the
 * case, outside the hashed record. The liaison and the committee see the worker's other open
 * cases in their scope (`linkedOpenCases`, references only); the committee holding both at L2 may
 * merge them across branches, and only then. Retention erases the digest with the contact.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aCase, aGrievance, districtPerFile } from '../support/builders.js';
import { LINK_KEY } from '../support/harness.js';
import { eraseExpiredContacts } from '../../src/privacy/contact-retention.js';

const file = districtPerFile();
const PHONE = '13812345678';
const digestOf = (digits: string) => createHmac('sha256', LINK_KEY).update(`worker-link:${digits}`).digest('hex');

const worker = (extra: Record<string, unknown> = {}) => ({ name: '张三', phone: PHONE, workerType: 'delivery', platforms: ['美团', '饿了么'], ...extra });
const consenting = (extra: Record<string, unknown> = {}) => aGrievance({ worker: worker({ consentToLink: true, ...extra }) });
const digestOfCase = async (id: string) => (await file.engine.runtime.database.sql<{ workerLinkDigest: string | null }[]>`
  select worker_link_digest from cases where id = ${id}`)[0].workerLinkDigest;

/** A case registered by the other branch's liaison, forwarded to 美团. */
const atOtherBranch = async (grievance: Record<string, unknown>) => {
  const created = await file.d.otherLiaison.post('/api/v1/cases', grievance);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await file.d.otherLiaison.act(created.body.id, { action: 'forward' })).status).toBe(200);
  return created.body;
};

describe('consent at registration', () => {
  it('keeps the linking digest only with consent, a phone and no anonymity; the same number written two ways links the same', async () => {
    const { d } = file;
    const withConsent = await d.liaison.post('/api/v1/cases', consenting());
    expect(withConsent.status).toBe(201);
    expect(await digestOfCase(withConsent.body.id)).toBe(digestOf(PHONE));
    // The record keeps the fact of the consent, never the digest.
    const [registered] = (await d.liaison.get(`/api/v1/cases/${withConsent.body.id}/events`)).body.items;
    expect(registered.data.consentToLink).toBe(true);
    const otherSpelling = await d.liaison.post('/api/v1/cases', consenting({ phone: '+86 138-1234-5678' }));
    expect(await digestOfCase(otherSpelling.body.id)).toBe(digestOf(PHONE));

    const without = await d.liaison.post('/api/v1/cases', aGrievance({ worker: worker() }));
    const refused = await d.liaison.post('/api/v1/cases', aGrievance({ worker: worker({ consentToLink: false }) }));
    const anonymous = await d.liaison.post('/api/v1/cases', aGrievance({ worker: { workerType: 'delivery', platforms: ['美团'], anonymous: true, consentToLink: true } }));
    for (const res of [without, refused, anonymous]) {
      expect(res.status).toBe(201);
      expect(await digestOfCase(res.body.id)).toBeNull();
      expect((await d.liaison.get(`/api/v1/cases/${res.body.id}`)).body).not.toHaveProperty('linkedOpenCases');
      expect((await d.liaison.get(`/api/v1/cases/${res.body.id}/events`)).body.items[0].data).not.toHaveProperty('consentToLink');
    }
    const bad = await d.liaison.post('/api/v1/cases', aGrievance({ worker: worker({ consentToLink: 'yes' }) }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/consentToLink/);
  });
});

describe('linkedOpenCases and the committee\'s merge across branches', () => {
  it('shows the same consenting worker\'s other open cases in the caller\'s scope, references only; merges them at L2 only with both consents', async () => {
    const { d } = file;
    // A worker of their own here, so the first block's cases stay out of it.
    const phone = '13700002222';
    const theirWorker = (extra: Record<string, unknown> = {}) => consenting({ phone, ...extra });
    const mine = await aCase(d, [], theirWorker());
    const mineToo = await aCase(d, [], theirWorker({ phone: '0086 13700002222' }));
    const notConsenting = await aCase(d, [['liaison', { action: 'forward' }]], aGrievance({ worker: worker({ phone }) }));
    const someoneElse = await aCase(d, [['liaison', { action: 'forward' }]], theirWorker({ phone: '13900009999' }));
    const theirs = await atOtherBranch(theirWorker());

    // The liaison: its own branch's cases only (the other branch's is out of its scope); no phone anywhere.
    const seen = (await d.liaison.get(`/api/v1/cases/${mine.id}`)).body;
    expect(seen.linkedOpenCases).toEqual({ count: 1, references: [mineToo.reference], cases: [{ id: mineToo.id, reference: mineToo.reference }] });
    expect(JSON.stringify(seen.linkedOpenCases)).not.toContain('2222');
    expect((await d.liaison.get(`/api/v1/cases/${notConsenting.id}`)).body).not.toHaveProperty('linkedOpenCases');

    // At 美团: both branches' cases of the worker; officers and conveners get no hint.
    expect((await d.liaison.act(mine.id, { action: 'forward' })).status).toBe(200);
    const atCommittee = (await d.meituan.get(`/api/v1/cases/${mine.id}`)).body;
    expect(atCommittee.linkedOpenCases).toMatchObject({ count: 1, references: [theirs.reference] });
    expect(atCommittee.allowedActions).toContain('merge');
    expect((await d.meituan.get(`/api/v1/cases/${notConsenting.id}`)).body.allowedActions).not.toContain('merge');
    expect((await d.convener.get(`/api/v1/cases/${mine.id}`)).body).not.toHaveProperty('linkedOpenCases');

    // Without both consents (or another worker), no merge: 422 saying why.
    for (const [from, into] of [[notConsenting, mine], [mine, notConsenting], [someoneElse, mine]]) {
      const res = await d.meituan.act(from.id, { action: 'merge', intoCaseId: into.id });
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/consentToLink/);
    }
    // Only into a case the committee holds at L2: one it returned to the branch is refused; 饿了么's it cannot even see (400, no leak).
    const returned = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'return', reason: '材料不全' }]], theirWorker());
    const notHeld = await d.meituan.act(theirs.id, { action: 'merge', intoReference: returned.reference });
    expect(notHeld.status).toBe(422);
    expect(notHeld.body).toMatchObject({ code: 'merge_target_not_held' });
    const atEleme = await aCase(d, [['liaison', { action: 'forward', toOrgId: d.orgs.eleme }]], theirWorker());
    const unseen = await d.meituan.act(theirs.id, { action: 'merge', intoReference: atEleme.reference });
    expect(unseen.status).toBe(400);
    expect(unseen.body.message).toMatch(/no case/);
    // The liaison does not merge at L2; the committee does, across branches.
    expect((await d.otherLiaison.act(theirs.id, { action: 'merge', intoCaseId: theirs.id })).status).toBe(400);
    const byLiaison = await d.liaison.act(mine.id, { action: 'merge', intoReference: returned.reference });
    expect(byLiaison.status).toBe(422);
    expect(byLiaison.body.message).toMatch(/role 'liaison' may not 'merge' at level 'platform'/);
    const merged = await d.meituan.act(theirs.id, { action: 'merge', intoReference: mine.reference });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ state: 'merged', mergedInto: mine.id });
    const record = (await d.meituan.get(`/api/v1/cases/${mine.id}/events`)).body.items;
    expect(record.at(-1)).toMatchObject({ action: 'merged_from' });
    // Merged is final: no longer an open case of the worker.
    expect((await d.meituan.get(`/api/v1/cases/${mine.id}`)).body.linkedOpenCases).toMatchObject({ count: 1, references: [returned.reference] });
  });
});

describe('the digest stays outside the record, and goes with the contact', () => {
  it('never appears in /cases/:id/events, /audit/export or the record\'s rows; retention erases it', async () => {
    const { d } = file;
    const c = await aCase(d, [['liaison', { action: 'resolve', resolution: '当场解答' }], ['callback', { action: 'feedback', rating: 'satisfied', solved: 'yes' }]], consenting());
    expect(c.state).toBe('closed');
    const digest = digestOf(PHONE);
    expect(await digestOfCase(c.id)).toBe(digest);
    const events = await d.liaison.get(`/api/v1/cases/${c.id}/events`);
    expect(events.status).toBe(200);
    expect(events.text).not.toContain(digest);
    const exported = await d.convener.get(`/api/v1/audit/export?caseId=${c.id}`);
    expect(exported.status).toBe(200);
    expect(exported.text.length).toBeGreaterThan(0);
    expect(exported.text).not.toContain(digest);
    const [{ inRecord }] = await file.engine.runtime.database.sql<{ inRecord: number }[]>`
      select count(*)::int as in_record from case_events where data::text like ${`%${digest}%`} or coalesce(texts::text, '') like ${`%${digest}%`}`;
    expect(inRecord).toBe(0);

    await eraseExpiredContacts(file.engine.runtime.database.sql, 1, new Date(Date.now() + 2 * 86_400_000));
    expect(await digestOfCase(c.id)).toBeNull();
    expect((await d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body.ok).toBe(true);
  });
});
