/**
 * The admin's service: units, users and their tokens, routing rules, SLA policies, the calendar.
 * Every function authorises the caller, makes its change in one transaction together with the
 * admin audit row, and drops the caches the change touches. Routes only validate and shape.
 */
import QRCode from 'qrcode';
import { Type, type Static } from 'typebox';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import { issueToken, type Caller, type TokenCache } from '../access/callers.js';
import { may, requireAdmin } from '../access/permissions.js';
import { createSignInCode, redeemSignInCode, revokeTokens, rotateToken } from '../access/tokens.js';
import type { Cached } from '../cached.js';
import { listCalendarOverrides, replaceCalendarOverrides, type CalendarOverride } from '../calendar/calendar-overrides.js';
import { loadSlaPolicies, replaceSlaPolicies, type SlaPolicy } from '../deadlines/sla-policies.js';
import { NotAllowed, NotFound } from '../errors.js';
import type { RecordKey } from '../cases/case-record.js';
import { checkSuccessor, handOver } from '../orgs/succession.js';
import type { OutboundGuard } from '../notifications/outbound-guard.js';
import {
  OrgSchema, createOrg, createUser, deactivateOrg, findOrg, listOrgs, orgOfType, orgView, updateOrg, type NewOrg, type OrgChanges, type OrgView,
} from '../orgs/org-store.js';
import { MeSchema, deactivateUser, findUser, listUsers, whoAmI, type Me, type UserView } from '../orgs/users.js';
import { loadRoutingRules, replaceRoutingRules, type RoutingRule } from '../routing/routing-rules.js';
import { ROUTING_TARGET_TYPES, type Role } from '../../workflows/case-rules.js';
import { listAdminChanges, recordAdminChange, type AdminEntity } from './admin-changes.js';

export interface ConfigurationDeps {
  sql: Sql;
  settings: { routingRules: Cached<unknown>; slaPolicies: Cached<unknown>; orgs: Cached<unknown>; reloadCalendar: () => Promise<unknown> };
  /** Who a token belongs to, for a few seconds: a rotated or deactivated user's tokens are forgotten at once. */
  tokens: Pick<TokenCache, 'forgetUser'>;
  /** TOKEN_TTL_DAYS; null = tokens do not expire. */
  tokenTtlDays: number | null;
  /** How long a sign-in link works. */
  signInLinkMinutes: number;
  /** A unit's webhook URL passes the outbound rule before it is saved. */
  outbound: Pick<OutboundGuard, 'checkUrl'>;
  /** The record's key: a succession writes one event into each moved case's record. */
  recordKey: RecordKey;
}

export const NewUserSchema = Type.Object({
  id: Type.String(), name: Type.String(), orgId: Type.Union([Type.String(), Type.Null()]), role: Type.String(),
  token: Type.String({ description: '只显示这一次 / shown once' }),
});
export const IssuedTokenSchema = Type.Object({
  userId: Type.String(), token: Type.String({ description: '只显示这一次；旧令牌已失效 / shown once; the old tokens no longer work' }),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});
export const SignInLinkSchema = Type.Object({
  url: Type.String({ description: '一次性登录链接（代码在 # 之后，不进服务器日志）/ one-time link; the code sits after # so it never reaches a server log' }),
  code: Type.String(), expiresAt: Type.String(),
  qrSvg: Type.String({ description: '链接的二维码（SVG）/ the link as a QR code (SVG)' }),
});
export const SuccessionSchema = Type.Object({
  unit: OrgSchema,
  successorId: Type.String(),
  moved: Type.Object({
    cases: Type.Integer({ description: '移交的未结案件（各记一条 succession 记录）/ open cases handed over, one record event each' }),
    clocks: Type.Integer({ description: '移交的计时 / running or paused clocks it owned' }),
    routingRules: Type.Integer(), users: Type.Integer(), channels: Type.Integer(),
  }),
}, { description: '撤并结果：原单位已停用 / the handover; the unit is deactivated' });
export const SignedInSchema = Type.Object({ token: Type.String(), expiresAt: Type.Union([Type.String(), Type.Null()]), me: MeSchema });

export function createConfigurationService(deps: ConfigurationDeps) {
  const { sql } = deps;
  const expiry = () => (deps.tokenTtlDays ? new Date(Date.now() + deps.tokenTtlDays * 86_400_000).toISOString() : null);

  /** Admin only, one transaction, one audit row. */
  function change<T>(caller: Caller, work: (tx: Tx, audit: (entity: AdminEntity, action: string, entityId?: string | null, details?: Record<string, unknown>) => Promise<void>) => Promise<T>) {
    requireAdmin(caller);
    return inTransaction(sql, (tx) => work(tx, (entity, action, entityId, details) => recordAdminChange(tx, { actor: caller, entity, action, entityId, details })));
  }

  async function orgToChange(tx: Tx, id: string) {
    const org = await findOrg(tx, id);
    if (!org) throw new NotFound(`单位不存在 / no organisation with id '${id}'`);
    return org;
  }

  /** Routing rules may only send cases to active units of the right type (an inactive one: 422). */
  async function checkRuleTargets(tx: Tx, rules: RoutingRule[]) {
    for (const [i, rule] of rules.entries()) {
      await orgOfType(tx, rule.toOrgId, ROUTING_TARGET_TYPES[rule.step], `body[${i}].toOrgId`);
    }
  }

  return {
    me: (caller: Caller): Promise<Me> => whoAmI(sql, caller),

    /** Every role reads the units; only admins see their channels. */
    orgs: async (caller: Caller): Promise<OrgView[]> => (await listOrgs(sql)).map((o) => orgView(o, may(caller, 'configure'))),

    createOrg: (caller: Caller, input: NewOrg) => change(caller, async (tx, audit) => {
      if (input.webhookUrl) deps.outbound.checkUrl('body.webhookUrl', input.webhookUrl);
      const org = await createOrg(tx, input);
      await audit('org', 'create', org.id, { name: org.name, type: org.type, hasWebhook: Boolean(org.webhookUrl) });
      return orgView(org, true);
    }).finally(() => deps.settings.orgs.invalidate()),

    updateOrg: (caller: Caller, id: string, changes: OrgChanges) => change(caller, async (tx, audit) => {
      if (changes.webhookUrl) deps.outbound.checkUrl('body.webhookUrl', changes.webhookUrl);
      const org = await updateOrg(tx, await orgToChange(tx, id), changes);
      const { webhookUrl, ...rest } = changes;
      await audit(webhookUrl !== undefined ? 'channels' : 'org', 'update', org.id, { ...rest, ...(webhookUrl !== undefined ? { webhookChanged: true } : {}) });
      return orgView(org, true);
    }).finally(() => deps.settings.orgs.invalidate()),

    deactivateOrg: (caller: Caller, id: string) => change(caller, async (tx, audit) => {
      const org = await deactivateOrg(tx, await orgToChange(tx, id));
      await audit('org', 'deactivate', org.id, { name: org.name });
      return orgView(org, true);
    }).finally(() => { deps.settings.routingRules.invalidate(); deps.settings.orgs.invalidate(); }),

    /**
     * 组建/撤并: the unit hands its open cases, clocks, routing rules, users and channels to its
     * successor and is deactivated, in one transaction (src/orgs/succession.ts), audited.
     */
    succession: async (caller: Caller, id: string, successorId: string): Promise<Succession> => {
      let movedUsers: string[] = [];
      try {
        return await change(caller, async (tx, audit) => {
          const unit = await orgToChange(tx, id);
          const successor = await findOrg(tx, successorId);
          if (!successor) throw new NotFound(`successorId: 承继单位不存在 / no organisation with id '${successorId}'`);
          checkSuccessor(unit, successor);
          const actor = { ...(caller.userId ? { userId: caller.userId } : {}), system: 'succession' };
          const { users, ...moved } = await handOver(tx, deps.recordKey, unit, successor, actor, new Date());
          movedUsers = users;
          await audit('org', 'succession', unit.id, { name: unit.name, successorId, ...moved, users: users.length });
          return { unit: orgView((await findOrg(tx, id))!, true), successorId, moved: { ...moved, users: users.length } };
        });
      } finally {
        deps.settings.routingRules.invalidate();
        deps.settings.orgs.invalidate();
        for (const userId of movedUsers) deps.tokens.forgetUser(userId);
      }
    },

    users: (caller: Caller, orgId?: string): Promise<UserView[]> => {
      requireAdmin(caller);
      return listUsers(sql, orgId);
    },

    createUser: (caller: Caller, input: { name: string; orgId: string; role: Role }): Promise<NewUser> => change(caller, async (tx, audit) => {
      const user = await createUser(tx, input);
      await audit('user', 'create', user.id, { role: user.role, orgId: user.orgId });
      return { id: user.id, name: user.name, orgId: user.orgId, role: user.role, token: await issueToken(tx, user.id, deps.tokenTtlDays) };
    }),

    /** Deactivation kills every token and sign-in link; the user's open work stays with the unit. */
    deactivateUser: (caller: Caller, id: string): Promise<UserView> => change(caller, async (tx, audit) => {
      const user = await deactivateUser(tx, id);
      const revoked = await revokeTokens(tx, id);
      await audit('user', 'deactivate', id, { revokedTokens: revoked });
      return (await listUsers(tx, user.orgId ?? undefined)).find((u) => u.id === id)!;
    }).finally(() => deps.tokens.forgetUser(id)),

    rotateToken: (caller: Caller, id: string): Promise<IssuedToken> => change(caller, async (tx, audit) => {
      const user = await findUser(tx, id);
      if (user.deactivatedAt) throw new NotAllowed('用户已停用 / the user is deactivated');
      const { token, revoked } = await rotateToken(tx, id, deps.tokenTtlDays);
      await audit('token', 'rotate', id, { revokedTokens: revoked });
      return { userId: id, token, expiresAt: expiry() };
    }).finally(() => deps.tokens.forgetUser(id)),

    /** `origin` is where the pages are served; the code goes after `#`, so no server logs it. */
    signInLink: (caller: Caller, id: string, origin: string): Promise<SignInLink> => change(caller, async (tx, audit) => {
      const user = await findUser(tx, id);
      if (user.deactivatedAt) throw new NotAllowed('用户已停用 / the user is deactivated');
      const { code, expiresAt } = await createSignInCode(tx, id, deps.signInLinkMinutes);
      await audit('token', 'sign_in_link', id, { expiresAt: expiresAt.toISOString() });
      const url = `${origin}/#/sign-in/${code}`;
      return { url, code, expiresAt: expiresAt.toISOString(), qrSvg: await QRCode.toString(url, { type: 'svg', margin: 1 }) };
    }),

    /** The phone's side of a sign-in link: the one-time code for a new token. */
    redeemSignIn: (code: string): Promise<SignedIn> => inTransaction(sql, async (tx) => {
      const { token, userId } = await redeemSignInCode(tx, code, deps.tokenTtlDays);
      const user = await findUser(tx, userId);
      return { token, expiresAt: expiry(), me: await whoAmI(tx, { userId, orgId: user.orgId, role: user.role }) };
    }),

    routingRules: (caller: Caller) => {
      requireAdmin(caller);
      return loadRoutingRules(sql);
    },
    replaceRoutingRules: (caller: Caller, rules: RoutingRule[]) => change(caller, async (tx, audit) => {
      await checkRuleTargets(tx, rules);
      await replaceRoutingRules(tx, rules);
      await audit('routing_rules', 'replace', null, { rules: rules.length });
      return loadRoutingRules(tx);
    }).finally(() => deps.settings.routingRules.invalidate()),

    slaPolicies: (caller: Caller) => {
      requireAdmin(caller);
      return loadSlaPolicies(sql);
    },
    replaceSlaPolicies: (caller: Caller, policies: SlaPolicy[]) => change(caller, async (tx, audit) => {
      await replaceSlaPolicies(tx, policies);
      await audit('sla_policies', 'replace', null, { policies: policies.length });
      return loadSlaPolicies(tx);
    }).finally(() => deps.settings.slaPolicies.invalidate()),

    calendarOverrides: (caller: Caller) => {
      requireAdmin(caller);
      return listCalendarOverrides(sql);
    },
    replaceCalendarOverrides: async (caller: Caller, days: CalendarOverride[]) => {
      const saved = await change(caller, async (tx, audit) => {
        await replaceCalendarOverrides(tx, days);
        await audit('calendar', 'replace', null, { days: days.length });
        return listCalendarOverrides(tx);
      });
      await deps.settings.reloadCalendar();
      return saved;
    },

    adminChanges: (caller: Caller, q: { from: Date; to: Date; entity?: AdminEntity }) => {
      requireAdmin(caller);
      return listAdminChanges(sql, q);
    },
  };
}

export type ConfigurationService = ReturnType<typeof createConfigurationService>;
type NewUser = Static<typeof NewUserSchema>;
type IssuedToken = Static<typeof IssuedTokenSchema>;
type SignInLink = Static<typeof SignInLinkSchema>;
type SignedIn = Static<typeof SignedInSchema>;
type Succession = Static<typeof SuccessionSchema>;
