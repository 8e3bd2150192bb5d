import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  CreateUserBody,
  DeviceIssueBody,
  DeviceIssued,
  DeviceView,
  DisplaySignInBody,
  LoginBody,
  LogoutBody,
  RefreshBody,
  TokenResponse,
  UserView,
} from '../../../../shared/src/schemas/auth.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { HttpError } from '../../errors.ts';
import { auditActor, requirePrincipal } from '../../plugins/authenticate.ts';
import type { AuthService } from './service.ts';

const tags = ['accounts'];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function authRoutes(app: FastifyInstance, opts: { auth: AuthService; loginPerMinute: number }) {
  const { auth } = opts;
  // Per account, on top of the per-IP limit: a username can only be guessed at so fast from anywhere.
  const perAccount = app.rateLimit({
    max: opts.loginPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      `login:${String((request.body as { username?: unknown } | undefined)?.username ?? '')}`,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        `too many sign-in attempts for this account: retry in ${context.after}`,
        'body.username',
      ),
  });

  app.post(
    '/api/auth/login',
    {
      config: { auth: 'public', rateLimit: { max: opts.loginPerMinute * 3, timeWindow: 60_000 } },
      preHandler: perAccount,
      schema: {
        tags,
        summary: 'Sign in',
        body: LoginBody,
        response: { 200: TokenResponse, ...errors, 423: ErrorResponse },
      },
    },
    async (request) => {
      const { username, password } = request.body as LoginBody;
      return auth.login(username, password, auditActor(request));
    },
  );

  app.post(
    '/api/auth/display',
    {
      config: { auth: 'public', rateLimit: { max: opts.loginPerMinute * 3, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'A wall display signs itself in with its display token',
        description:
          'Kiosk screens run without keyboard: an account’s display token (POST /api/devices with kind ' +
          '"display") is exchanged here for an ordinary session of that account, so the screen shows what ' +
          'the account’s role and area may see. 401 naming body.token when the token is unknown, revoked or a ' +
          'handheld’s. Audited as auth.display_login.',
        body: DisplaySignInBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request) => auth.displaySignIn((request.body as DisplaySignInBody).token, auditActor(request)),
  );

  app.post(
    '/api/auth/refresh',
    {
      config: { auth: 'public', rateLimit: { max: opts.loginPerMinute * 3, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair',
        body: RefreshBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request) =>
      auth.refresh((request.body as { refreshToken: string }).refreshToken, auditActor(request)),
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags,
        summary: 'Sign out (revoke this refresh token, or every session)',
        body: LogoutBody,
        response: { 200: Type.Object({ revokedSessions: Type.Integer() }), ...errors },
      },
    },
    async (request) =>
      auth.logout(
        requirePrincipal(request),
        (request.body ?? {}) as { refreshToken?: string; everywhere?: boolean },
        auditActor(request),
      ),
  );

  app.get(
    '/api/auth/me',
    { schema: { tags, summary: 'The signed-in user', response: { 200: UserView, ...errors } } },
    async (request) => auth.me(requirePrincipal(request)),
  );

  app.get(
    '/api/devices',
    {
      schema: {
        tags,
        summary: 'Device tokens (yours; an admin sees those of the area)',
        response: { 200: Type.Array(DeviceView), ...errors },
      },
    },
    async (request) => auth.listDevices(requirePrincipal(request)),
  );

  app.post(
    '/api/devices',
    {
      schema: {
        tags,
        summary:
          'Issue a device token for a handheld (an administrator may register its tracker id), or for a wall display',
        body: DeviceIssueBody,
        response: { 201: DeviceIssued, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const body = request.body as DeviceIssueBody;
      const issued = await auth.issueDevice(
        requirePrincipal(request),
        body.name,
        body.userId,
        auditActor(request),
        body.trackerId,
        body.kind,
      );
      return reply.code(201).send(issued);
    },
  );

  app.delete(
    '/api/devices/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a device token',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) }),
        response: { 200: DeviceView, ...errors },
      },
    },
    async (request) =>
      auth.revokeDevice(
        requirePrincipal(request),
        (request.params as { id: number }).id,
        auditActor(request),
      ),
  );

  app.get(
    '/api/device/me',
    {
      config: { auth: 'device' },
      schema: {
        tags,
        summary: 'The user a device token belongs to (device endpoints take device tokens)',
        response: { 200: UserView, ...errors },
      },
    },
    async (request) => auth.me(requirePrincipal(request)),
  );

  app.get(
    '/api/users',
    {
      config: { auth: ['admin'] },
      schema: { tags, summary: 'Accounts in your area', response: { 200: Type.Array(UserView), ...errors } },
    },
    async (request) => auth.listUsers(requirePrincipal(request)),
  );

  app.post(
    '/api/users',
    {
      config: { auth: ['admin'] },
      schema: {
        tags,
        summary: 'Create an account',
        body: CreateUserBody,
        response: { 201: UserView, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await auth.createUser(request.body as CreateUserBody, auditActor(request))),
  );
}
