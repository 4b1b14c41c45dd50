/**
 * Sending a registration so that a lost answer never makes a second case: the body and its
 * Idempotency-Key are kept with the draft before sending, and replayed unchanged until an answer
 * arrives (the server answers a replay with the first answer).
 */
import { ApiError, api, must, uploadAttachment } from '../../api/client.js';
import type { Draft, DraftValues } from './draft.js';

export type Registered = { id: string; reference: string; receiptCode?: string };

/** The API body from the form's values (empty choices are left out, so the API names what is missing). */
export function registrationBody(v: DraftValues, territorial: boolean): Record<string, unknown> {
  const anonymous = v.anonymous === 'on';
  const platform = v.platform || undefined;
  return {
    worker: {
      workerType: v.workerType || undefined, platforms: platform ? [platform] : [],
      ...(anonymous ? { anonymous: true } : {}),
      ...(!anonymous && v.name?.trim() ? { name: v.name.trim() } : {}),
      ...(!anonymous && v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      ...(!anonymous && v.consentToLink === 'on' ? { consentToLink: true } : {}),
    },
    channel: v.channel || undefined, category: v.category || undefined, description: v.description?.trim() || undefined,
    urgency: v.urgency || undefined,
    ...(platform && !(territorial && !v.platform) ? { platform } : {}),
    ...(v.area?.trim() ? { area: v.area.trim() } : {}),
    ...(v.requestType ? { requestType: v.requestType } : {}),
    ...(v.subcategory ? { subcategory: v.subcategory } : {}),
    ...(v.category === 'ALG' ? { algorithm: algorithmBody(v) } : {}),
  };
}

/** ALG cases carry the platform's decision: order id, rule or model version, when, how much. */
function algorithmBody(v: DraftValues) {
  return {
    orderId: v.orderId?.trim() || undefined, ruleVersion: v.ruleVersion?.trim() || undefined,
    decidedAt: v.decidedAt ? `${v.decidedAt}:00+08:00` : undefined,
    ...(v.amount?.trim() ? { amount: Number(v.amount) } : {}),
  };
}

export function sendRegistration(draft: Draft): Promise<Registered> {
  return must(api.POST('/api/v1/cases', {
    body: draft.pending as never,
    params: { header: { 'idempotency-key': draft.key } },
  })) as Promise<Registered>;
}

/** Retries a send whose answer was lost until the server answers (online again, backoff up to 15 s). */
export function replayUntilAnswered(draft: Draft, signal: AbortSignal): Promise<Registered> {
  return new Promise((resolve, reject) => {
    let wait = 1000;
    const attempt = () => {
      if (signal.aborted) return;
      sendRegistration(draft).then(resolve, (error) => {
        if (!(error instanceof ApiError) || !error.offline) return reject(error);
        setTimeout(attempt, wait);
        wait = Math.min(15_000, wait * 2);
      });
    };
    attempt();
  });
}

/** The photo (and the voice note) go up after the case exists (POST /api/v1/cases/:id/attachments, field `file`). */
export const uploadEvidence = (caseId: string, photo: Blob, name: string): Promise<boolean> =>
  uploadAttachment(caseId, photo, name).then(() => true, () => false);
