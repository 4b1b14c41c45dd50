/** The worker's public endpoints (no sign-in): a case's progress, and the one-time feedback link. */
import { ApiError, offlineError, type ErrorBody } from '../../api/client.js';

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init).catch(() => { throw offlineError(); });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, (body as ErrorBody | null) ?? { statusCode: res.status, message: `HTTP ${res.status}`, code: 'error' });
  return body as T;
}

export type PublicCase = {
  reference: string; state: string; stateName?: string; level: string; levelName?: string; category: string; categoryName?: string;
  registeredAt: string; steps: { at: string; what: string }[]; next?: string | null;
};
export type FeedbackSubject = { reference: string; resolution: string | null; ratings?: string[] };

export const publicCase = (reference: string, proof: { code?: string; phoneLast4?: string }) =>
  call<PublicCase>(`/api/v1/public/cases/${encodeURIComponent(reference)}?${new URLSearchParams(proof as Record<string, string>)}`);
export const feedbackSubject = (token: string) => call<FeedbackSubject>(`/api/v1/public/feedback/${encodeURIComponent(token)}`);
export const sendFeedback = (token: string, body: { rating: string; solved: string; comment?: string }) =>
  call<unknown>(`/api/v1/public/feedback/${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
