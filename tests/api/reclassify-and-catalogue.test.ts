/**
 * Classification by the platform team (分类整理) and the catalogue as data: the holder at L2/L3
 * corrects category, urgency, worker type, request type (recorded old → new; later clocks use the
 * new values); admins replace the catalogue, add sub-items and retire codes without breaking old cases.
 */
import { describe, expect, it } from 'vitest';
import { aCase, aGrievance, districtPerFile } from '../support/builders.js';

const file = districtPerFile();
const atPlatform: Parameters<typeof aCase>[1] = [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]];

describe('registration against the catalogue', () => {
  it('records sub-item and request type; refuses an unknown sub-item naming the field', async () => {
    const c = await aCase(file.d, [], aGrievance({ subcategory: 'DED01', requestType: 'complaint' }));
    expect(c).toMatchObject({ subcategory: 'DED01', requestType: 'complaint' });
    const wrong = await file.d.liaison.post('/api/v1/cases', aGrievance({ subcategory: 'PAY01' }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.field).toBe('subcategory');
    const badType = await file.d.liaison.post('/api/v1/cases', aGrievance({ requestType: 'praise' }));
    expect(badType.status).toBe(400);
    expect(badType.body.message).toContain('requestType');
  });
});

describe('reclassify', () => {
  it('the platform holder corrects the classification; the record keeps old and new; later clocks use the new urgency', async () => {
    await file.d.admin.put('/api/v1/sla-policies', [
      { step: 'l3_accept', amount: 5, unit: 'working_days' }, { step: 'l3_accept', urgency: 'urgent', amount: 4, unit: 'hours' },
      { step: 'l2_resolve', amount: 5, unit: 'working_days' },
    ]);
    const c = await aCase(file.d, atPlatform);
    const running = c.deadlines.find((x: { step: string; status: string }) => x.step === 'l2_resolve' && x.status === 'pending');
    const res = await file.d.meituan.act(c.id, { action: 'reclassify', category: 'PAY', urgency: 'urgent', requestType: 'help', reason: '实为拖欠报酬，且影响生计' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ category: 'PAY', urgency: 'urgent', requestType: 'help', state: 'platform_handling' });
    // The running clock stays as it was.
    expect(res.body.deadlines.find((x: { id: string }) => x.id === running.id)).toMatchObject({ status: 'pending', dueAt: running.dueAt });
    const events = (await file.d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({
      action: 'reclassify', data: { category: 'PAY', urgency: 'urgent', requestType: 'help', reason: '实为拖欠报酬，且影响生计', previous: { category: 'DED', urgency: 'normal', requestType: null } },
    });
    // The next clock (the department's acceptance) follows the new urgency: hours, not days.
    const handedOff = await file.d.meituan.act(c.id, { action: 'hand_off', reason: '人社局处理' });
    const l3 = handedOff.body.deadlines.find((x: { step: string }) => x.step === 'l3_accept');
    expect(new Date(l3.dueAt).getTime() - new Date(l3.startedAt).getTime()).toBe(4 * 3600_000);
    expect(handedOff.body.holderOrgId).toBe(file.d.orgs.hr);
  });

  it('at L3 too; not at L1, not by others; at least one field must change; a reason is required', async () => {
    const c = await aCase(file.d, [...atPlatform, ['meituan', { action: 'hand_off', reason: '部门' }]]);
    expect((await file.d.market.act(c.id, { action: 'reclassify', workerType: 'courier', reason: '实为快递员' })).body.worker.workerType).toBe('courier');
    const other = await file.d.meituan.act(c.id, { action: 'reclassify', urgency: 'urgent', reason: 'x' });
    expect(other.status, JSON.stringify(other.body)).toBe(422);
    const same = await file.d.market.act(c.id, { action: 'reclassify', workerType: 'courier', reason: '无变化' });
    expect(same.status).toBe(400);
    expect(same.body.message).toContain('at least one');
    const noReason = await file.d.market.act(c.id, { action: 'reclassify', urgency: 'urgent' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toContain('reason');
    const atBranch = await aCase(file.d);
    const early = await file.d.liaison.act(atBranch.id, { action: 'reclassify', urgency: 'urgent', reason: 'x' });
    expect(early.status).toBe(422);
  });

  it('refuses unknown and retired codes, naming the field; a new category drops a sub-item of the old one', async () => {
    const c = await aCase(file.d, atPlatform, aGrievance({ subcategory: 'DED02' }));
    const unknown = await file.d.meituan.act(c.id, { action: 'reclassify', category: 'ZZZ', reason: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('category');
    const moved = await file.d.meituan.act(c.id, { action: 'reclassify', category: 'HRS', reason: '工时问题' });
    expect(moved.body).toMatchObject({ category: 'HRS', subcategory: null });
    const withSub = await file.d.meituan.act(c.id, { action: 'reclassify', subcategory: 'HRS02', reason: '强制在线' });
    expect(withSub.body.subcategory).toBe('HRS02');
  });

  it('corrects the worker\'s platforms (a case at the wrong platform): recorded, and a transfer to the added platform is then allowed', async () => {
    const worker = { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团'] };
    const c = await aCase(file.d, atPlatform, aGrievance({ worker }));
    // The worker named only 美团: 饿了么's committee is not a target yet.
    expect(c.actionTargets?.transfer ?? []).not.toContain(file.d.orgs.eleme);
    const refused = await file.d.meituan.act(c.id, { action: 'transfer', toOrgId: file.d.orgs.eleme, reason: '实为饿了么骑手' });
    expect(refused.status).toBe(422);
    const unknown = await file.d.meituan.act(c.id, { action: 'reclassify', platforms: ['不存在平台'], reason: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('platforms.0');
    const corrected = await file.d.meituan.act(c.id, { action: 'reclassify', platforms: ['饿了么'], reason: '劳动者实为饿了么骑手' });
    expect(corrected.status).toBe(200);
    expect(corrected.body.worker.platforms).toEqual(['饿了么']);
    expect(corrected.body.actionTargets.transfer).toContain(file.d.orgs.eleme);
    const events = (await file.d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ action: 'reclassify', data: { workerPlatforms: ['饿了么'], previous: { workerPlatforms: ['美团'] } } });
    const same = await file.d.meituan.act(c.id, { action: 'reclassify', platforms: ['饿了么'], reason: 'x' });
    expect(same.status).toBe(400);
    const moved = await file.d.meituan.act(c.id, { action: 'transfer', toOrgId: file.d.orgs.eleme, reason: '实为饿了么骑手' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ holderOrgId: file.d.orgs.eleme, state: 'forwarded' });
  });
});

describe('the catalogue', () => {
  it('is seeded from TAXONOMY.md with sub-item codes and the territorial flag; everyone reads it', async () => {
    const res = await file.d.liaison.get('/api/v1/catalogue');
    expect(res.status).toBe(200);
    const codes = res.body.categories.map((c: { code: string }) => c.code);
    expect(codes.slice(0, 3)).toEqual(['PAY', 'DED', 'ALG']);
    expect(codes).toHaveLength(15);
    expect(res.body.categories.filter((c: { territorial: boolean }) => c.territorial).map((c: { code: string }) => c.code)).toEqual(['ACS', 'FAC', 'LIV']);
    expect(res.body.categories[0]).toMatchObject({ name: '劳动报酬', nameEn: 'pay', retired: false, subcategories: expect.arrayContaining([{ code: 'PAY01', name: '拖欠', nameEn: 'arrears', retired: false }]) });
  });

  it('admins replace it whole: add sub-items, retire codes (refused for new cases, old cases keep them), never delete a code in use', async () => {
    const old = await aCase(file.d, [], aGrievance({ category: 'SUG', requestType: 'suggestion' }));
    const catalogue = (await file.d.admin.get('/api/v1/catalogue')).body;
    expect((await file.d.liaison.put('/api/v1/catalogue', catalogue)).status).toBe(403);

    const withoutSug = { categories: catalogue.categories.filter((c: { code: string }) => c.code !== 'SUG') };
    const refused = await file.d.admin.put('/api/v1/catalogue', withoutSug);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('SUG');

    const edited = {
      categories: catalogue.categories.map((c: { code: string; subcategories: unknown[] }) =>
        c.code === 'SUG' ? { ...c, retired: true }
          : c.code === 'FAC' ? { ...c, subcategories: [...c.subcategories, { code: 'FAC05', name: '避暑点', nameEn: 'cooling points', retired: false }] } : c),
    };
    const saved = await file.d.admin.put('/api/v1/catalogue', edited);
    expect(saved.status).toBe(200);
    expect(saved.body.categories.find((c: { code: string }) => c.code === 'FAC').subcategories.at(-1)).toMatchObject({ code: 'FAC05' });

    const fresh = await file.d.liaison.post('/api/v1/cases', aGrievance({ category: 'SUG' }));
    expect(fresh.status).toBe(400);
    expect(fresh.body).toMatchObject({ field: 'category' });
    expect(fresh.body.message).toContain('retired');
    expect((await file.d.liaison.get(`/api/v1/cases/${old.id}`)).body.category).toBe('SUG');
    const into = await aCase(file.d, atPlatform);
    expect((await file.d.meituan.act(into.id, { action: 'reclassify', category: 'SUG', reason: 'x' })).status).toBe(400);

    const twice = await file.d.admin.put('/api/v1/catalogue', { categories: [...edited.categories, edited.categories[0]] });
    expect(twice.status).toBe(400);
    const audit = (await file.d.admin.get('/api/v1/audit/admin?entity=catalogue')).body;
    expect(JSON.stringify(audit)).toContain('catalogue');
    await file.d.admin.put('/api/v1/catalogue', catalogue);
  });
});
