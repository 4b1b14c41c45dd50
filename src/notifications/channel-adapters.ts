/**
 * One adapter per message channel a unit can have (`PUT /api/v1/orgs/:id/channels`). Each sends
 * one message — a title, the case reference and a link, never personal data — and throws when the
 * receiver refuses, so the outbox retries and parks it like any receiver.
 *
 * - WeCom group robot (企业微信群机器人): POST `{"msgtype":"markdown","markdown":{"content"}}`;
 *   the robot answers `{"errcode":0}`.
 * - DingTalk robot (钉钉自定义机器人, 加签): the URL gets `&timestamp=<ms>&sign=<url-encoded
 *   base64 HMAC-SHA256 of "<timestamp>\n<secret>" keyed by the secret>`; body
 *   `{"msgtype":"markdown","markdown":{"title","text"}}`; answers `{"errcode":0}`.
 * - E-mail over SMTP (nodemailer; SMTP_URL, SMTP_FROM).
 * - SMS through a generic HTTP gateway: POST `{"to","text"}` with `Authorization: Bearer <token>`;
 *   any 2xx is accepted.
 *
 * Every POST goes through the outbound guard (`outbound-guard.ts`): https or an allowed host, a
 * public address, no redirect followed.
 */
import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { Type, type Static } from 'typebox';
import type { OutboundAnswer, OutboundGuard } from './outbound-guard.js';

const Url = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 });
const Secret = Type.String({ minLength: 1, maxLength: 200 });
export const ChannelSettingsSchema = Type.Object({
  wecom: Type.Optional(Type.Object({ webhookUrl: Url }, { additionalProperties: false, description: '企业微信群机器人 / WeCom group robot' })),
  dingtalk: Type.Optional(Type.Object({ webhookUrl: Url, secret: Secret }, { additionalProperties: false, description: '钉钉机器人（加签）/ DingTalk robot (signed)' })),
  email: Type.Optional(Type.Object({
    to: Type.Array(Type.String({ format: 'email', maxLength: 200 }), { minItems: 1, maxItems: 20 }),
  }, { additionalProperties: false, description: '单位邮箱（SMTP_URL 发送）/ the unit\'s addresses (sent through SMTP_URL)' })),
  sms: Type.Optional(Type.Object({
    gatewayUrl: Url, token: Secret,
    to: Type.Optional(Type.Array(Type.String({ pattern: '^\\+?[0-9]{5,20}$' }), { maxItems: 20, description: '值班手机 / the unit\'s duty phones' })),
  }, { additionalProperties: false, description: '短信网关；以 worker_ 开头的通知发给案件上的劳动者手机 / SMS gateway; `worker_*` messages go to the worker\'s phone on the case' })),
}, { additionalProperties: false });
export type ChannelSettings = Static<typeof ChannelSettingsSchema>;
export type ChannelName = keyof ChannelSettings;
export const CHANNELS: readonly ChannelName[] = ['wecom', 'dingtalk', 'email', 'sms'];

/** What every channel says: no personal data, only the reference, a title and a link. */
/** What every channel carries: a title, what it is about (`label`: a case by default) and a link. */
export interface Message { title: string; reference: string; link: string; label?: string }

export interface MailSettings { url: string; from: string }

export const messageText = (m: Message) => `${m.title}\n${m.label ?? '案件 / case'} ${m.reference}\n${m.link}`;
const markdown = (m: Message) => `**${m.title}**\n\n${m.label ?? '案件 / case'}: ${m.reference}\n\n[打开 / open](${m.link})`;

async function postJson(
  outbound: OutboundGuard, url: string, body: unknown, timeoutMs: number, headers: Record<string, string> = {},
): Promise<OutboundAnswer> {
  const res = await outbound.post(url, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), timeoutMs });
  if (res.status < 200 || res.status >= 300) throw new Error(`receiver answered ${res.status}`);
  return res;
}

/** WeCom and DingTalk answer 200 with `errcode` ≠ 0 for a refused message. */
function robotAnswer(res: OutboundAnswer): void {
  let answer: { errcode?: number; errmsg?: string } = {};
  try { answer = JSON.parse(res.body); } catch { /* not JSON: a 2xx is enough */ }
  if (answer.errcode !== undefined && answer.errcode !== 0) throw new Error(`robot refused: errcode ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
}

export async function sendWeCom(outbound: OutboundGuard, settings: NonNullable<ChannelSettings['wecom']>, m: Message, timeoutMs: number): Promise<void> {
  robotAnswer(await postJson(outbound, settings.webhookUrl, { msgtype: 'markdown', markdown: { content: markdown(m) } }, timeoutMs));
}

export function dingTalkSign(secret: string, timestamp: number): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64'));
}

export async function sendDingTalk(
  outbound: OutboundGuard, settings: NonNullable<ChannelSettings['dingtalk']>, m: Message, timeoutMs: number, now = Date.now(),
): Promise<void> {
  const url = `${settings.webhookUrl}${settings.webhookUrl.includes('?') ? '&' : '?'}timestamp=${now}&sign=${dingTalkSign(settings.secret, now)}`;
  robotAnswer(await postJson(outbound, url, { msgtype: 'markdown', markdown: { title: m.title, text: markdown(m) } }, timeoutMs));
}

export async function sendSms(
  outbound: OutboundGuard, settings: NonNullable<ChannelSettings['sms']>, to: string[], text: string, timeoutMs: number,
): Promise<void> {
  for (const phone of to) {
    await postJson(outbound, settings.gatewayUrl, { to: phone, text }, timeoutMs, { authorization: `Bearer ${settings.token}` });
  }
}

/** One SMTP transport per process, made (and nodemailer loaded) at the first e-mail. */
export function createMailer(mail: MailSettings | null, timeoutMs: number) {
  let transport: Transporter | null = null;
  return {
    async send(to: string[], m: Message): Promise<void> {
      if (!mail) throw new Error('SMTP_URL is not set: e-mail cannot be sent');
      transport ??= (await import('nodemailer')).default.createTransport(smtpOptions(mail.url, timeoutMs));
      await transport.sendMail({ from: mail.from, to, subject: `${m.title} · ${m.reference}`, text: messageText(m) });
    },
    close() { transport?.close(); },
  };
}
export type Mailer = ReturnType<typeof createMailer>;

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`, with our send timeout. */
function smtpOptions(url: string, timeoutMs: number) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname, port: Number(u.port) || (secure ? 465 : 587), secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
  };
}
