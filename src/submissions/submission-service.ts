/**
 * Worker-direct intake (连心桥 / 书记信箱): a worker writes a grievance or a suggestion from a
 * station's QR code or a link (no account), adds photos or a voice note, and follows it by a
 * tracking code. It waits in the branch's 待核实 queue on its `l0_verify` clock
 * (submission-clock.ts) until the branch's liaison registers it through the case engine (the
 * worker's words and files kept, the record linking the submission), declines it with a reason
 * the worker sees, or forwards a suggestion to the convener. The rules: workflows/submission-rules.ts.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import QRCode from 'qrcode';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { inTransaction, type Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { may, requireCapability } from '../access/permissions.js';
import { receiveUpload, type Upload } from '../attachments/attachment-service.js';
import type { AttachmentLimits } from '../attachments/attachment-kinds.js';
import type { CaseEngine, CaseEngineDeps, RegisteredCase, RegistrationSource } from '../cases/case-engine.js';
import { appendEvents } from '../cases/case-record.js';
import { RegisterInputSchema, type RegisterInput } from '../cases/case-types.js';
import { categoryRow, classificationOf, readCatalogue } from '../catalogue/catalogue.js';
import { clockTimes } from '../deadlines/deadline-store.js';
import { policyFor } from '../deadlines/sla-policies.js';
import { BadRequest, Conflict, DomainError, NotAllowed, NotFound } from '../errors.js';
import { noticeStatements } from '../notifications/outbox.js';
import type { DirectoryOrg } from '../orgs/org-directory.js';
import { maskFreeText, maskPhone } from '../privacy/masking.js';
import type { FileStorage } from '../storage/file-storage.js';
import { oneOf, text } from '../../workflows/case-actions.js';
import { WORKER_TYPES } from '../../workflows/case-rules.js';
import {
  SUBMISSION_CLOCK, SUBMISSION_KINDS, SUBMISSION_TRANSITIONS, isOpen, notWaiting, submissionRefusal,
  type SubmissionAction, type SubmissionRefusal, type SubmissionKind, type SubmissionSource, type SubmissionState,
} from '../../workflows/submission-rules.js';

/** Tracking codes: 12 characters without look-alikes (about 59 bits), kept only as their HMAC (the receipt codes' key). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TRACKING_CODE_PATTERN = `^[${CODE_ALPHABET}${CODE_ALPHABET.toLowerCase()}]{12}$`;
const issueTrackingCode = () => Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** What a worker sends (API.md "Intake beyond the liaison"). */
export const SubmissionInputSchema = Type.Object({
  branchId: Type.String({ format: 'uuid', description: '二维码或链接所属支部 / the branch of the QR code or link' }),
  kind: oneOf(SUBMISSION_KINDS, 'grievance 诉求 / suggestion 建言献策'),
  description: text(5000, '您遇到的问题或建议 / what happened, or the suggestion'),
  category: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: '诉求类别代码（可不选）/ catalogue code (optional)' })),
  phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,19}$', description: '联系电话（可不填；个人信息，脱敏显示）/ phone (optional; personal, shown masked)' })),
  anonymous: Type.Optional(Type.Boolean({ description: '匿名：不保存电话 / anonymous: no phone kept' })),
  workerType: Type.Optional(oneOf(WORKER_TYPES, '劳动者类型 / worker type')),
  platform: Type.Optional(text(50, '涉及平台 / platform')),
  area: Type.Optional(text(50, '街道或区域 / area')),
}, { additionalProperties: false });
export type SubmissionInput = Static<typeof SubmissionInputSchema>;

/**
 * The liaison's registration of a submission: any field of a registration (POST /cases), each
 * prefilled from the submission when left out; the channel is `online`.
 */
const { channel: _channel, worker: WorkerSchema, ...registrationFields } = RegisterInputSchema.properties;
export const SubmissionRegistrationSchema = Type.Object({
  ...Object.fromEntries(Object.entries(registrationFields).map(([name, schema]) => [name, Type.Optional(schema)])) as {
    [K in keyof typeof registrationFields]: ReturnType<typeof Type.Optional<(typeof registrationFields)[K]>>
  },
  worker: Type.Optional(Type.Partial(WorkerSchema)),
}, { additionalProperties: false, description: '登记内容：未填的字段取自劳动者提交 / the registration; fields left out come from the submission' });
export type SubmissionRegistration = Static<typeof SubmissionRegistrationSchema>;
const checkRegistration = Compile(RegisterInputSchema);

export interface SubmissionView {
  id: string; kind: SubmissionKind; state: SubmissionState; source: SubmissionSource; branchId: string;
  description: string; category: string | null; phone: string | null; anonymous: boolean;
  workerType: string | null; platform: string | null; area: string | null;
  dueAt: string; warnAt: string; overdue: boolean; caseId: string | null; reason: string | null; createdAt: string;
  attachments: { id: string; name: string; contentType: string; size: number }[];
}
export interface PublicSubmissionStatus { state: SubmissionState; reference?: string; reason?: string }

interface SubmissionRow {
  id: string; kind: SubmissionKind; state: SubmissionState; source: SubmissionSource; branchId: string; description: string;
  category: string | null; phone: string | null; anonymous: boolean; workerType: string | null; platform: string | null; area: string | null;
  dueAt: Date; warnAt: Date; warnedAt: Date | null; missedAt: Date | null; caseId: string | null; reason: string | null; createdAt: Date;
}

/** The engine's own configuration, clock and outbox (a submission's clock is woken and its messages delivered as a case's are), and the files. */
export type SubmissionDeps = Pick<CaseEngineDeps, 'sql' | 'slaPolicies' | 'orgs' | 'calendar' | 'wake' | 'deliver' | 'receipts' | 'recordKey' | 'now'> & {
  engine: Pick<CaseEngine, 'register'>;
  storage: FileStorage;
  limits: AttachmentLimits;
  /** PUBLIC_URL: the origin of the QR code's link. */
  publicUrl: string;
};

export function createSubmissionService(deps: SubmissionDeps) {
  const now = deps.now ?? (() => new Date());

  /** An active branch (404 otherwise: the QR code or link names no branch that takes submissions). */
  async function branchOf(branchId: string): Promise<DirectoryOrg> {
    const org = (await deps.orgs.get()).find(branchId);
    if (!org || !org.active || org.type !== 'branch') throw new NotFound(`branchId: 支部不存在或已撤销 / no active branch '${branchId}'`);
    return org;
  }

  /** What the public page shows before the worker writes: the branch's name and the catalogue in plain words. */
  async function intakeForm(branchId: string) {
    const branch = await branchOf(branchId);
    const catalogue = await readCatalogue(deps.sql);
    return {
      branchId: branch.id, branchName: branch.name,
      categories: catalogue.categories.filter((c) => !c.retired).map((c) => ({ code: c.code, name: c.name, nameEn: c.nameEn })),
    };
  }

  /** A worker's submission from the public page, or (`open311KeyId`) an Open311 client system's request. */
  async function submit(input: SubmissionInput, open311KeyId?: string): Promise<{ id: string; trackingCode: string; state: SubmissionState }> {
    await branchOf(input.branchId);
    if (input.category) classificationOf((await categoryRow(deps.sql, input.category))[0], input.category, null);
    const [policies, calendar] = [await deps.slaPolicies.get(), deps.calendar()];
    const policy = policyFor(policies, SUBMISSION_CLOCK.step, input.category ?? '', 'normal');
    const at = now();
    const { dueAt, warnAt } = clockTimes(calendar, { startedAt: at, amount: policy.amount, unit: policy.unit, givenBackMs: 0, extensions: [] });
    const trackingCode = issueTrackingCode();
    const anonymous = input.anonymous ?? false;
    const row = {
      id: randomUUID(), trackingCodeHash: deps.receipts.digest(trackingCode), branchId: input.branchId, kind: input.kind, state: 'waiting',
      source: open311KeyId ? 'open311' : 'public', open311KeyId: open311KeyId ?? null,
      description: input.description, category: input.category ?? null, phone: anonymous ? null : input.phone ?? null, anonymous,
      workerType: input.workerType ?? null, platform: input.platform ?? null, area: input.area ?? null, dueAt, warnAt, createdAt: at,
    };
    await deps.sql`insert into submissions ${deps.sql(row)}`;
    await deps.wake([{ id: row.id, rev: 0, dueAt, warnAt, warnedAt: null }]);
    return { id: row.id, trackingCode, state: 'waiting' };
  }

  /** The worker's view: the state, the case's reference once registered, the reason once declined; nothing personal. */
  async function status(trackingCode: string): Promise<PublicSubmissionStatus> {
    const [row] = await deps.sql<{ state: SubmissionState; reason: string | null; reference: string | null }[]>`
      select s.state, s.reason, c.reference from submissions s left join cases c on c.id = s.case_id
      where s.tracking_code_hash = ${deps.receipts.digest(trackingCode)}`;
    if (!row) throw trackingNotFound();
    return {
      state: row.state, ...(row.reference ? { reference: row.reference } : {}),
      ...(row.state === 'declined' && row.reason ? { reason: maskFreeText(row.reason) } : {}),
    };
  }

  /** A photo or voice note, checked as a case attachment is; only while the submission waits (409 after). */
  async function attach(trackingCode: string, upload: Upload) {
    const hash = deps.receipts.digest(trackingCode);
    // Checked before the upload is read, and again under the row's lock when its row is written.
    const waiting = async (tx: Tx, lock: boolean) => {
      const [row] = await tx<{ id: string; state: SubmissionState }[]>`
        select id, state from submissions where tracking_code_hash = ${hash} ${lock ? tx`for update` : tx``}`;
      if (!row) throw trackingNotFound();
      if (!isOpen(row.state)) throw refused(notWaiting(row.state));
      return row.id;
    };
    const submissionId = await waiting(deps.sql, false);
    return receiveUpload(upload, deps.limits, async (file) => {
      const id = randomUUID();
      const storageKey = `submissions/${submissionId}/${id}.${file.detected.ext}`;
      await deps.storage.write(storageKey, createReadStream(file.path), file.detected.contentType);
      try {
        return await inTransaction(deps.sql, async (tx) => {
          await waiting(tx, true);
          const [saved] = await tx<{ id: string; name: string; contentType: string; size: number }[]>`insert into submission_attachments
            ${tx({ id, submissionId, name: file.name, contentType: file.detected.contentType, size: file.size, sha256: file.sha256, storageKey, createdAt: now() })}
            returning id, name, content_type, size`;
          return { ...saved, size: Number(saved.size) };
        });
      } catch (error) {
        await deps.storage.remove(storageKey);
        throw error;
      }
    });
  }

  /** The branch's 待核实 queue (its liaison only), oldest first (at most 500); phones masked. */
  async function list(caller: Caller, state: SubmissionState = 'waiting'): Promise<SubmissionView[]> {
    return views(caller, { state });
  }

  /** The caller's branch's submissions in a state, or the one with an id. */
  async function views(caller: Caller, which: { state: SubmissionState } | { id: string }): Promise<SubmissionView[]> {
    requireCapability(caller, 'verifySubmissions');
    const rows = await deps.sql<SubmissionRow[]>`
      select * from submissions where branch_id = ${caller.orgId}
        and ${'id' in which ? deps.sql`id = ${which.id}` : deps.sql`state = ${which.state}`}
      order by created_at, id limit 500`;
    const files = rows.length === 0 ? [] : await deps.sql<{ submissionId: string; id: string; name: string; contentType: string; size: number }[]>`
      select submission_id, id, name, content_type, size from submission_attachments where submission_id = any(${rows.map((r) => r.id)}::uuid[]) order by created_at, id`;
    const at = now();
    return rows.map((r) => ({
      id: r.id, kind: r.kind, state: r.state, source: r.source, branchId: r.branchId, description: maskFreeText(r.description),
      category: r.category, phone: maskPhone(r.phone), anonymous: r.anonymous, workerType: r.workerType, platform: r.platform, area: r.area,
      dueAt: r.dueAt.toISOString(), warnAt: r.warnAt.toISOString(), overdue: r.state === 'waiting' && r.dueAt <= at, caseId: r.caseId,
      reason: r.reason, createdAt: r.createdAt.toISOString(),
      attachments: files.filter((f) => f.submissionId === r.id).map(({ submissionId: _s, ...f }) => ({ ...f, size: Number(f.size) })),
    }));
  }

  /** Locks a submission of the caller's branch (404 for any other: no existence leak) and checks the action against the rules. */
  async function claim(tx: Tx, caller: Caller, id: string, action: SubmissionAction): Promise<SubmissionRow> {
    requireCapability(caller, 'verifySubmissions');
    const [row] = await tx<SubmissionRow[]>`select * from submissions where id = ${id} for update`;
    if (!row || row.branchId !== caller.orgId) throw new NotFound(`提交不存在 / no submission '${id}'`);
    const refusal = submissionRefusal(row.state, row.kind, action);
    if (refusal) throw refused(refusal);
    return row;
  }

  /**
   * Registers the submission as a case through the engine, in the engine's transaction: the
   * worker's words and phone prefill the registration, the files are copied to the case (each an
   * `attachment_added` event after the registration), the submission is marked registered.
   */
  async function register(caller: Caller, id: string, edits: SubmissionRegistration): Promise<RegisteredCase> {
    const [row] = await deps.sql<SubmissionRow[]>`select * from submissions where id = ${id}`;
    if (!row || row.branchId !== caller.orgId) throw new NotFound(`提交不存在 / no submission '${id}'`);
    const input = registrationOf(row, edits);
    const source: RegistrationSource = {
      submissionId: id,
      claim: async (tx) => { await claim(tx, caller, id, 'register'); },
      settle: async (tx, caseRow, actor, at) => {
        const [, files] = await Promise.all([
          // The phone moves to the case (masked, revealed, erased with it): the submission keeps none.
          tx`update submissions set state = ${SUBMISSION_TRANSITIONS.register.to}, case_id = ${caseRow.id}, phone = null, decided_by = ${actor.userId}, decided_at = ${at}
            where id = ${id}`,
          tx<{ id: string; name: string; contentType: string; size: number; sha256: string }[]>`insert into attachments
            (id, case_id, name, content_type, size, sha256, storage_key, uploaded_by, uploaded_by_org_id, created_at)
            select gen_random_uuid(), ${caseRow.id}, name, content_type, size, sha256, storage_key, ${actor.userId}, ${actor.orgId}, ${at}
            from submission_attachments where submission_id = ${id} order by created_at, id
            returning id, name, content_type, size, sha256`,
        ]);
        if (files.length === 0) return caseRow;
        const head = await appendEvents(tx, deps.recordKey, caseRow, files.map((f) => ({
          caseId: caseRow.id, action: 'attachment_added' as const, fromState: caseRow.state, toState: caseRow.state, level: caseRow.level,
          holderOrgId: caseRow.holderOrgId, actor, at, data: { attachmentId: f.id, name: f.name, contentType: f.contentType, size: Number(f.size), sha256: f.sha256 },
        })));
        return { eventSeq: head.seq, eventHash: head.hash };
      },
    };
    return deps.engine.register(caller, input, undefined, source);
  }

  /** Declined with a reason the worker sees on the status page (masked there). */
  async function decline(caller: Caller, id: string, reason: string): Promise<SubmissionView> {
    await inTransaction(deps.sql, async (tx) => {
      await claim(tx, caller, id, 'decline');
      await tx`update submissions set state = ${SUBMISSION_TRANSITIONS.decline.to}, reason = ${reason}, decided_by = ${caller.userId}, decided_at = ${now()} where id = ${id}`;
    });
    return (await views(caller, { id }))[0];
  }

  /** A suggestion (建言献策) goes to every convener unit as a message; a grievance is refused (422). */
  async function forwardToConvener(caller: Caller, id: string, note?: string): Promise<SubmissionView> {
    const orgs = await deps.orgs.get();
    await inTransaction(deps.sql, async (tx) => {
      await claim(tx, caller, id, 'forward_to_convener');
      const conveners = orgs.active().filter((o) => o.type === 'convener');
      await Promise.all([
        tx`update submissions set state = ${SUBMISSION_TRANSITIONS.forward_to_convener.to}, reason = ${note ?? null}, decided_by = ${caller.userId}, decided_at = ${now()}
          where id = ${id}`,
        ...noticeStatements(tx, conveners.map((c) => ({
          orgId: c.id, caseId: null, kind: 'submission_forwarded' as const,
          payload: { label: `${orgs.find(caller.orgId!)?.name ?? ''} 建言献策 / suggestion`, reference: id, link: `${deps.publicUrl}/#/submissions` },
        })), (orgId) => orgs.find(orgId)?.channels ?? []),
      ]);
    });
    deps.deliver();
    return (await views(caller, { id }))[0];
  }

  /**
   * The station's printable poster (SVG, Chinese first): the branch's name, the QR code of its
   * submission page and the link. The branch's liaison or an admin; a unit that is not a branch 422.
   */
  async function poster(caller: Caller, orgId: string): Promise<string> {
    requireCapability(caller, 'printIntakePoster');
    const org = (await deps.orgs.get()).find(orgId);
    if (!org || !org.active || (!may(caller, 'configure') && caller.orgId !== orgId)) throw new NotFound(`机构不存在 / no active unit '${orgId}'`);
    if (org.type !== 'branch') throw new NotAllowed(`id: 只有支部有自助提交二维码（此单位类型为 ${org.type}）/ only a branch has an intake QR code, not a ${org.type} unit`, 'not_a_branch');
    const link = `${deps.publicUrl}/submit/${org.id}`;
    const qr = (await QRCode.toString(link, { type: 'svg', margin: 1 })).replace('<svg ', '<svg x="90" y="250" width="420" height="420" ');
    const name = escapeXml(org.name);
    return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="600" height="860" viewBox="0 0 600 860" font-family="'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif">
<rect width="600" height="860" fill="#fff"/>
<text x="300" y="80" font-size="40" font-weight="bold" text-anchor="middle">扫码反映诉求 · 建言献策</text>
<text x="300" y="125" font-size="22" text-anchor="middle" fill="#444">Scan to tell us your problem or suggestion</text>
<text x="300" y="185" font-size="30" text-anchor="middle">${name}</text>
<text x="300" y="225" font-size="18" text-anchor="middle" fill="#444">可匿名 · 电话可不填 · 凭查询码查看进度 / anonymous allowed · phone optional · follow it by your tracking code</text>
${qr}
<text x="300" y="730" font-size="20" text-anchor="middle">支部联络员 1 个工作日内核实 / the branch verifies within 1 working day</text>
<text x="300" y="790" font-size="16" text-anchor="middle" fill="#444">${escapeXml(link)}</text>
</svg>`;
  }

  return { intakeForm, submit, status, attach, list, register, decline, forwardToConvener, poster };
}

export type SubmissionService = ReturnType<typeof createSubmissionService>;

/** The registration: the liaison's edits over what the worker wrote; checked as any registration is (400 naming the field). */
function registrationOf(row: SubmissionRow, edits: SubmissionRegistration): RegisterInput {
  const worker = {
    ...(row.workerType ? { workerType: row.workerType } : {}),
    platforms: row.platform ? [row.platform] : [],
    ...(row.anonymous ? { anonymous: true } : row.phone ? { phone: row.phone } : {}),
    ...edits.worker,
  };
  const input = JSON.parse(JSON.stringify({
    urgency: 'normal', description: row.description, category: row.category ?? undefined, platform: row.platform ?? undefined, area: row.area ?? undefined,
    ...(row.kind === 'suggestion' ? { requestType: 'suggestion' } : {}),
    ...edits, worker, channel: 'online',
  }));
  const [error] = checkRegistration.Errors(input);
  if (error) {
    const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties;
    const field = missing ? [path, missing.join(', ')].filter(Boolean).join('.') : path || 'body';
    throw new BadRequest(`${field}: 请补全登记内容 / complete the registration (${error.message})`);
  }
  return input as RegisterInput;
}

/** A refusal of the rules as its answer: 409 once the submission left `waiting`, 422 for the wrong kind. */
function refused(refusal: SubmissionRefusal): DomainError {
  const error = refusal.status === 409 ? new Conflict(refusal.message) : new NotAllowed(refusal.message);
  error.code = refusal.code;
  return error;
}

function trackingNotFound() {
  return new NotFound('查询码不存在 / no submission with this tracking code');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '\'': '&apos;', '"': '&quot;' })[c]!);
}
