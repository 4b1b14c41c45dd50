/** Users and their tokens (admins), and the phone's side of a sign-in link (no token needed). */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { ROLES } from '../../../workflows/case-rules.js';
import { IssuedTokenSchema, NewUserSchema, SignInLinkSchema, SignedInSchema } from '../../admin/configuration.js';
import { UserSchema } from '../../orgs/users.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

const tags = ['users 用户与令牌'];
const Uuid = Type.String({ format: 'uuid' });
const IdParams = Type.Object({ id: Uuid });

const UserInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  orgId: Uuid,
  role: Type.Enum([...ROLES]),
}, { additionalProperties: false });

/** Where the pages are served, for the sign-in link. */
const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

export async function userRoutes(app: App, { configuration }: Api) {
  app.post('/users', {
    schema: {
      tags, summary: '新建用户 / create a user', operationId: 'createUser', description: '令牌只显示这一次 / the token is shown once',
      body: UserInput, response: { 201: NewUserSchema, ...errors(400, 401, 403, 422) },
    },
  }, async (request, reply) => reply.status(201).send(await configuration.createUser(request.caller, request.body)));

  app.get('/users', {
    schema: {
      tags, summary: '用户列表 / the users', operationId: 'listUsers',
      querystring: Type.Object({ orgId: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => ({ items: await configuration.users(request.caller, request.query.orgId) }));

  app.delete('/users/:id', {
    schema: {
      tags, summary: '停用用户 / deactivate a user', operationId: 'deactivateUser',
      description: '其令牌和登录链接全部失效；未结案件仍归单位 / every token and sign-in link stops working; open cases stay with the unit',
      params: IdParams, response: { 200: UserSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => configuration.deactivateUser(request.caller, request.params.id));

  app.post('/users/:id/token', {
    schema: {
      tags, summary: '轮换令牌 / rotate the token', operationId: 'rotateUserToken',
      description: '签发新令牌，旧令牌立即失效 / issues a new token; the old ones stop working at once',
      params: IdParams, response: { 200: IssuedTokenSchema, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => configuration.rotateToken(request.caller, request.params.id));

  app.post('/users/:id/sign-in-link', {
    schema: {
      tags, summary: '一次性登录链接 / one-time sign-in link', operationId: 'createSignInLink',
      description: '手机扫码或打开链接即登录，无需粘贴令牌；链接只能用一次，短时有效 / a phone opens the link (or scans the QR code) and signs in without a pasted token; the link works once, for a few minutes. The page exchanges the code at `POST /api/v1/sign-in`.',
      params: IdParams, response: { 201: SignInLinkSchema, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request, reply) => reply.status(201).send(await configuration.signInLink(request.caller, request.params.id, origin(request))));
}

/** No token: the one-time code is the credential, and a wrong one counts as a failed sign-in. */
export async function signInRoutes(app: App, { configuration, limits }: Api) {
  app.post('/sign-in', {
    schema: {
      tags, summary: '用登录链接换取令牌 / exchange a sign-in code for a token', operationId: 'signIn', security: [],
      body: Type.Object({ code: Type.String({ minLength: 10, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false }),
      response: { 200: SignedInSchema, ...errors(400, 401) },
    },
  }, async (request) => limits.guarded(request, () => configuration.redeemSignIn(request.body.code)));
}
