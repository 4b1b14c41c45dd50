/**
 * The typed API client: openapi-fetch over the types generated from the served OpenAPI document
 * (schema.ts). Every call sends the bearer token; failures become ApiError with API.md's `code` and `field`.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';
import { signal } from '../store.js';

export type ErrorBody = { statusCode: number; error?: string; message: string; code: string; field?: string };

/** The token lives as long as the tab (sessionStorage), never in a URL. */
export const token = signal<string | null>(sessionStorage.getItem('token'));
token.subscribe((value) => (value ? sessionStorage.setItem('token', value) : sessionStorage.removeItem('token')));

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) { super(body.message); }
  get code() { return this.body.code; }
  get field() { return this.body.field; }
  /** No answer at all (offline, connection dropped): the request may or may not have reached the server. */
  get offline() { return this.status === 0; }
}
export const offlineError = () => new ApiError(0, { statusCode: 0, message: 'offline', code: 'offline' });

export const api = createClient<paths>({ baseUrl: '' });
api.use({
  onRequest({ request }) {
    if (token.value) request.headers.set('authorization', `Bearer ${token.value}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && token.value) token.value = null;
    return response;
  },
});

type Answer<T> = { data?: T; error?: unknown; response: Response };
/** Awaits an openapi-fetch call: its data, or an ApiError (status 0 when no answer arrived). */
export async function must<T>(call: Promise<Answer<T>>): Promise<NonNullable<T>> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw offlineError();
  }
  if (answer.response.ok) return answer.data as NonNullable<T>;
  const body = answer.error as Partial<ErrorBody> | undefined;
  throw new ApiError(answer.response.status, {
    statusCode: answer.response.status, message: body?.message ?? `HTTP ${answer.response.status}`,
    code: body?.code ?? 'error', field: body?.field, error: body?.error,
  });
}

/** POST /api/v1/cases/:id/attachments (multipart, field `file`): the stored attachment, or an ApiError. */
export const uploadAttachment = (caseId: string, file: Blob, name: string) => uploadFile(`/api/v1/cases/${encodeURIComponent(caseId)}/attachments`, file, name);

/** One file as multipart (field `file`) to an upload endpoint: a case's attachments, or a worker's submission. */
export async function uploadFile(url: string, file: Blob, name: string): Promise<{ id: string; name: string }> {
  const form = new FormData();
  form.append('file', file, name);
  const res = await fetch(url, {
    method: 'POST', headers: token.value ? { authorization: `Bearer ${token.value}` } : {}, body: form,
  }).catch(() => { throw offlineError(); });
  const answer = await res.json().catch(() => null);
  if (res.status !== 201) throw new ApiError(res.status, answer ?? { statusCode: res.status, message: `HTTP ${res.status}`, code: 'error' });
  return answer as { id: string; name: string };
}
