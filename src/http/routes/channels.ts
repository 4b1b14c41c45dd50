/** A unit's message channels, for admins: read and replace. Thin: validate, call the service, shape. */
import { Type } from 'typebox';
import { ChannelSettingsSchema } from '../../notifications/channel-adapters.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

const tags = ['configuration 配置'];
const params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const description = '企业微信群机器人、钉钉机器人（加签）、邮件、短信网关；消息只含案件编号、标题和链接，不含个人信息；仅管理员可见 / WeCom robot, DingTalk robot (signed), e-mail, SMS gateway; messages carry the reference, a title and a link, never personal data; admins only (URLs and secrets are never shown to other roles). 地址须为 https（http 仅限 OUTBOUND_ALLOW_HOSTS 所列主机）并指向公网地址，否则 400 `outbound_url_refused`，`field` 指出哪一项 / URLs must be https (http only for a host in OUTBOUND_ALLOW_HOSTS) and reach a public address, else 400 `outbound_url_refused` with the `field`';

export async function channelRoutes(app: App, { channels }: Api) {
  app.get('/orgs/:id/channels', {
    schema: { tags, summary: '单位通知渠道 / a unit\'s channels', operationId: 'getOrgChannels', description, params, response: { 200: ChannelSettingsSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => channels.unitChannels(request.caller, request.params.id));

  app.put('/orgs/:id/channels', {
    schema: {
      tags, summary: '设置单位通知渠道 / set a unit\'s channels', operationId: 'putOrgChannels',
      description: `${description}. 整体替换：未给出的渠道被移除 / replaces the set: a channel left out is removed`,
      params, body: ChannelSettingsSchema, response: { 200: ChannelSettingsSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => channels.replaceUnitChannels(request.caller, request.params.id, request.body));
}
