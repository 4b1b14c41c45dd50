/** The worker's public endpoints (no sign-in): a case's progress, and the one-time feedback link. */
import { api, must } from '../../api/client.js';

export const publicCase = (reference: string, proof: { code: string } | { phoneLast4: string }) =>
  must(api.GET('/api/v1/public/cases/{reference}', { params: { path: { reference }, query: proof } }));
export type PublicCase = Awaited<ReturnType<typeof publicCase>>;
export const sendAppeal = (reference: string, code: string, reason: string) =>
  must(api.POST('/api/v1/public/cases/{reference}/appeal', { params: { path: { reference }, query: { code } }, body: { reason } }));
/** Demo mode only: the texts workers would have received (404 otherwise). */
export const demoSms = () => must(api.GET('/api/v1/public/demo/sms'));
export const feedbackSubject = (token: string) => must(api.GET('/api/v1/public/feedback/{token}', { params: { path: { token } } }));
export const sendFeedback = (token: string, body: { rating: string; solved: string; comment?: string }) =>
  must(api.POST('/api/v1/public/feedback/{token}', { params: { path: { token } }, body: body as never }));
