/**
 * Every list of open cases leaves out the final states of case-rules (FINAL_STATES, passed to SQL
 * as a parameter): the oversight board, the meeting's agenda and the systemic-issue candidates.
 */
import { describe, expect, it } from 'vitest';
import { aCase, districtPerFile } from '../support/builders.js';
import { FINAL_STATES, OPEN_STATES, STATES } from '../../workflows/case-rules.js';

const file = districtPerFile();
const toDepartment: Parameters<typeof aCase>[1] = [
  ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '需部门处理' }],
  ['market', { action: 'accept' }],
];

describe('open and final cases', () => {
  it('the states split into open and final, and the final ones are API.md\'s', () => {
    expect([...FINAL_STATES]).toEqual(['closed', 'withdrawn', 'merged']);
    expect([...OPEN_STATES, ...FINAL_STATES].sort()).toEqual([...STATES].sort());
  });

  it('the oversight board shows the department\'s open cases only, unless a final state is asked for', async () => {
    const { d } = file;
    const open = await aCase(d, toDepartment);
    const closed = await aCase(d, [...toDepartment, ['market', { action: 'resolve', resolution: '已处理' }],
      ['liaison', { action: 'feedback', rating: 'satisfied' }]]);
    expect(closed).toMatchObject({ state: 'closed', level: 'department' });
    const board = (await d.market.get('/api/v1/oversight')).body.items.map((c: { id: string }) => c.id);
    expect(board).toContain(open.id);
    expect(board).not.toContain(closed.id);
    expect((await d.convener.get('/api/v1/oversight')).body.items.map((c: { id: string }) => c.id)).not.toContain(closed.id);
    expect((await d.market.get('/api/v1/oversight?state=closed')).body.items.map((c: { id: string }) => c.id)).toEqual([closed.id]);
  });

  it('a case returned twice and then withdrawn is not on the meeting\'s agenda; one still open is', async () => {
    const { d } = file;
    const from = new Date(Date.now() - 1000).toISOString();
    const twice: Parameters<typeof aCase>[1] = [
      ['liaison', { action: 'forward' }], ['meituan', { action: 'return', reason: '一' }],
      ['liaison', { action: 'forward' }], ['meituan', { action: 'return', reason: '二' }],
    ];
    const stillOpen = await aCase(d, twice);
    const withdrawn = await aCase(d, [...twice, ['liaison', { action: 'withdraw', reason: '已协商' }]]);
    const meeting = await d.convener.post('/api/v1/meetings', { title: '终态', periodFrom: from, periodTo: new Date(Date.now() + 3600_000).toISOString() });
    const agenda = Object.fromEntries(meeting.body.agenda.map((a: { caseId: string; reasons: string[] }) => [a.caseId, a.reasons]));
    expect(agenda[stillOpen.id]).toEqual(['returned_twice']);
    expect(agenda[withdrawn.id]).toBeUndefined();
  });
});
