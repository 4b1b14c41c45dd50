/** Systemic issues (the convener's): validate, call one service function, answer. */
import { Type } from 'typebox';
import {
  SystemicDecisionInputSchema, SystemicIssueInputSchema, SystemicIssueListSchema, SystemicIssueSchema,
} from '../../systemic-issues/systemic-issue-view.js';
import { CaseSchema, errors } from '../schemas.js';
import { PeriodQuery, period } from '../request-helpers.js';
import type { Api, App } from '../app.js';

const tags = ['meetings 协调会'];

export async function systemicIssueRoutes(app: App, { systemicIssues }: Api) {
  app.post('/systemic-issues', {
    schema: {
      tags, description: '把同一原因的未结案件（两件以上）关联为系统性问题 / links two or more open cases with one cause into a systemic issue',
      body: SystemicIssueInputSchema, response: { 201: SystemicIssueSchema, ...errors(400, 401, 403, 422) },
    },
  }, async (request, reply) => reply.status(201).send(await systemicIssues.openSystemicIssue(request.caller, request.body)));

  app.get('/systemic-issues', {
    schema: {
      tags, description: '系统性问题，及候选热点（期间内同一 类别×平台×区域 未结案件 ≥ minCases，默认 5）/ systemic issues, and the hot spots ' +
        'with minCases (default 5) or more open cases registered in the period as candidates',
      querystring: Type.Object({ ...PeriodQuery, minCases: Type.Optional(Type.String({ pattern: '^([2-9]|[1-9][0-9]{1,3})$', description: '2–9999, default 5' })) }, { additionalProperties: false }),
      response: { 200: SystemicIssueListSchema, ...errors(400, 401, 403) },
    },
  }, async (request) => systemicIssues.listSystemicIssues(request.caller, {
    ...period(request.query), minCases: request.query.minCases ? Number(request.query.minCases) : undefined,
  }));

  app.post('/systemic-issues/:id/decision', {
    schema: {
      tags, description: '一次决定：对每个关联案件执行 assign_lead（各案记录一条事件）/ one decision: assign_lead on every linked case (one event in each case\'s record)',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: SystemicDecisionInputSchema,
      response: { 200: Type.Object({ issue: SystemicIssueSchema, cases: Type.Array(CaseSchema) }), ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => systemicIssues.decideSystemicIssue(request.caller, request.params.id, request.body));
}
