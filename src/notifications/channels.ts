/**
 * A unit's message channels (WeCom, DingTalk, e-mail, SMS), set by admins. Robot URLs, secrets and
 * tokens are in `org_channels.settings`, shown to admins only and never written to the admin log
 * (it records which channels a unit has, not their settings). Every URL passes the outbound rule
 * before anything is written (`outbound-guard.ts`).
 */
import { inTransaction, jsonb, type Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import type { Cached } from '../cached.js';
import { requireAdmin } from '../access/permissions.js';
import { recordAdminChange } from '../admin/admin-changes.js';
import { NotFound } from '../errors.js';
import { CHANNELS, type ChannelSettings } from './channel-adapters.js';
import type { OutboundGuard } from './outbound-guard.js';

async function requireOrg(sql: Sql, orgId: string): Promise<void> {
  const [org] = await sql`select 1 from orgs where id = ${orgId}`;
  if (!org) throw new NotFound(`单位不存在 / no unit '${orgId}'`);
}

export async function unitChannels(sql: Sql, caller: Caller, orgId: string): Promise<ChannelSettings> {
  requireAdmin(caller, '通知渠道 channels');
  await requireOrg(sql, orgId);
  const rows = await sql<{ channel: keyof ChannelSettings; settings: never }[]>`select channel, settings from org_channels where org_id = ${orgId}`;
  return Object.fromEntries(rows.map((r) => [r.channel, r.settings])) as ChannelSettings;
}

/** Replaces the unit's channels with the ones given: a channel left out is removed (its waiting rows are logged, not sent). */
export async function replaceUnitChannels(
  sql: Sql, outbound: Pick<OutboundGuard, 'checkUrl'>, caller: Caller, orgId: string, channels: ChannelSettings,
): Promise<ChannelSettings> {
  requireAdmin(caller, '通知渠道 channels');
  if (channels.wecom) outbound.checkUrl('body.wecom.webhookUrl', channels.wecom.webhookUrl);
  if (channels.dingtalk) outbound.checkUrl('body.dingtalk.webhookUrl', channels.dingtalk.webhookUrl);
  if (channels.sms) outbound.checkUrl('body.sms.gatewayUrl', channels.sms.gatewayUrl);
  await requireOrg(sql, orgId);
  const kinds = CHANNELS.filter((kind) => channels[kind]);
  await inTransaction(sql, async (tx) => {
    await tx`delete from org_channels where org_id = ${orgId}`;
    if (kinds.length > 0) {
      await tx`insert into org_channels ${tx(kinds.map((channel) => ({ orgId, channel, settings: jsonb(tx, channels[channel]) })))}`;
    }
    await recordAdminChange(tx, { actor: caller, entity: 'channels', entityId: orgId, action: 'replace', details: { channels: kinds } });
  });
  return unitChannels(sql, caller, orgId);
}

/** What the channel routes call; a replacement also drops the cached unit directory, which holds each unit's kinds of channel. */
export function createChannelService(deps: { sql: Sql; outbound: Pick<OutboundGuard, 'checkUrl'>; orgs: Pick<Cached<unknown>, 'invalidate'> }) {
  return {
    unitChannels: (caller: Caller, orgId: string) => unitChannels(deps.sql, caller, orgId),
    replaceUnitChannels: (caller: Caller, orgId: string, channels: ChannelSettings) =>
      replaceUnitChannels(deps.sql, deps.outbound, caller, orgId, channels).finally(() => deps.orgs.invalidate()),
  };
}
export type ChannelService = ReturnType<typeof createChannelService>;
