import type pg from 'pg';
import {
  ACCESS_TOKEN_TTL_S,
  DEVICE_TOKEN_PREFIX,
  LOGIN_LOCKOUT_S,
  LOGIN_MAX_FAILURES,
  REFRESH_TOKEN_TTL_S,
  ROLE_SCOPE_LEVEL,
  type Principal,
} from '../../../../shared/src/auth.ts';
import type {
  CreateUserBody,
  DeviceKind,
  DeviceView,
  TokenResponse,
  UserView,
} from '../../../../shared/src/schemas/auth.ts';
import { withTransaction } from '../../db/transaction.ts';
import { HttpError, badRequest, notFound } from '../../errors.ts';
import { recordAudit, type AuditActor } from '../audit/repo.ts';
import { authRepository as repo, type DeviceRow, type UserRow } from './repo.ts';
import { dummyPasswordHash, hashPassword, newOpaqueToken, tokenHash, verifyPassword } from './secrets.ts';

export interface AccessTokenSigner {
  sign(principal: Principal, ttlS: number): string;
}

const unauthorized = (message: string, field: string) => new HttpError(401, message, field);

export function principalOf(user: UserRow): Principal {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    scope: user.scope_code,
    department: user.department,
  };
}

function userView(user: UserRow): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    scope: user.scope_code,
    scopeName: user.scope_name,
    department: user.department,
  };
}

function deviceView(d: DeviceRow): DeviceView {
  return {
    id: d.id,
    userId: d.user_id,
    username: d.username,
    name: d.name,
    kind: d.kind,
    trackerId: d.tracker_id,
    createdAt: d.created_at.toISOString(),
    lastUsedAt: d.last_used_at?.toISOString() ?? null,
    revokedAt: d.revoked_at?.toISOString() ?? null,
  };
}

export function createAuthService(pool: pg.Pool, signer: AccessTokenSigner) {
  async function issueTokens(
    client: pg.PoolClient,
    user: UserRow,
    ip: string | null,
  ): Promise<TokenResponse> {
    const refreshToken = newOpaqueToken();
    await repo.insertRefreshToken(client, user.id, tokenHash(refreshToken), REFRESH_TOKEN_TTL_S, ip);
    return {
      token: signer.sign(principalOf(user), ACCESS_TOKEN_TTL_S),
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_S,
      refreshToken,
      user: userView(user),
    };
  }

  return {
    async login(username: string, password: string, actor: AuditActor): Promise<TokenResponse> {
      const user = await repo.userByUsername(pool, username);
      // Verify outside any transaction (argon2 takes ~30 ms) and against a dummy hash for unknown users.
      const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      const who = {
        ...actor,
        actorId: user?.id ?? null,
        actor: username,
        role: user?.role ?? null,
        scope: user?.scope_code ?? null,
      };
      if (!user || user.disabled) {
        await recordAudit(pool, who, {
          action: 'auth.login_failed',
          target: username,
          after: { reason: 'unknown or disabled' },
        });
        throw unauthorized('invalid username or password', 'body.password');
      }
      if (user.locked_until && user.locked_until > new Date()) {
        await recordAudit(pool, who, { action: 'auth.login_locked', target: username });
        throw new HttpError(
          423,
          `account locked until ${user.locked_until.toISOString()} after repeated failures`,
          'body.username',
        );
      }
      return withTransaction(pool, async (client) => {
        if (!ok) {
          const lockedUntil = await repo.recordLoginFailure(
            client,
            user.id,
            LOGIN_MAX_FAILURES,
            LOGIN_LOCKOUT_S,
          );
          await recordAudit(client, who, {
            action: 'auth.login_failed',
            target: username,
            before: { failedLogins: user.failed_logins },
            after: { failedLogins: user.failed_logins + 1, lockedUntil },
          });
          return null;
        }
        await repo.recordLoginSuccess(client, user.id);
        const tokens = await issueTokens(client, user, actor.ip);
        await recordAudit(client, who, { action: 'auth.login', target: username });
        return tokens;
      }).then((tokens) => {
        if (!tokens) throw unauthorized('invalid username or password', 'body.password');
        return tokens;
      });
    },

    /**
     * A wall display signs itself in: its display token (never a handheld's) gives an ordinary session of
     * the display's account, as a password would. Audited; a wrong, revoked or disabled one is a 401
     * naming body.token.
     */
    async displaySignIn(token: string, actor: AuditActor): Promise<TokenResponse> {
      return withTransaction(pool, async (client) => {
        const user = token.startsWith(DEVICE_TOKEN_PREFIX)
          ? await repo.useDevice(client, tokenHash(token), 'display')
          : undefined;
        if (!user || user.disabled) return null;
        const tokens = await issueTokens(client, user, actor.ip);
        await recordAudit(
          client,
          { ...actor, actorId: user.id, actor: user.username, role: user.role, scope: user.scope_code },
          { action: 'auth.display_login', target: `device:${user.device_id}` },
        );
        return tokens;
      }).then((tokens) => {
        if (!tokens) throw unauthorized('display token is unknown, revoked or not a display’s', 'body.token');
        return tokens;
      });
    },

    /** Rotates a refresh token; a reused (already rotated) token revokes every session of its user. */
    async refresh(refreshToken: string, actor: AuditActor): Promise<TokenResponse> {
      const outcome = await withTransaction(pool, async (client) => {
        const row = await repo.refreshTokenForUpdate(client, tokenHash(refreshToken));
        if (!row) return { error: 'refresh token is not valid' } as const;
        const user = await repo.userById(client, row.user_id);
        const who = {
          ...actor,
          actorId: row.user_id,
          actor: user?.username ?? null,
          role: user?.role ?? null,
          scope: user?.scope_code ?? null,
        };
        if (row.revoked) {
          const revoked = await repo.revokeAllRefreshTokens(client, row.user_id);
          await recordAudit(client, who, {
            action: 'auth.refresh_reuse',
            after: { revokedSessions: revoked },
          });
          return {
            error: 'refresh token was already used; every session of this account has been signed out',
          } as const;
        }
        if (row.expired || !user || user.disabled) return { error: 'refresh token has expired' } as const;
        await repo.revokeRefreshToken(client, row.id);
        const tokens = await issueTokens(client, user, actor.ip);
        await recordAudit(client, who, { action: 'auth.refresh' });
        return { tokens } as const;
      });
      if ('error' in outcome) throw unauthorized(outcome.error ?? 'refresh failed', 'body.refreshToken');
      return outcome.tokens;
    },

    async logout(
      principal: Principal,
      body: { refreshToken?: string; everywhere?: boolean },
      actor: AuditActor,
    ) {
      return withTransaction(pool, async (client) => {
        const revoked = body.everywhere
          ? await repo.revokeAllRefreshTokens(client, principal.userId)
          : body.refreshToken
            ? await repo.revokeRefreshTokenByHash(client, tokenHash(body.refreshToken), principal.userId)
            : 0;
        await recordAudit(client, actor, {
          action: 'auth.logout',
          after: { revokedSessions: revoked, everywhere: !!body.everywhere },
        });
        return { revokedSessions: revoked };
      });
    },

    async me(principal: Principal): Promise<UserView> {
      const user = await repo.userById(pool, principal.userId);
      if (!user) throw notFound('user does not exist', 'headers.authorization');
      return userView(user);
    },

    /** Resolves a device token (handheld terminals) to its user; undefined when unknown or revoked. */
    async authenticateDevice(token: string): Promise<Principal | undefined> {
      if (!token.startsWith(DEVICE_TOKEN_PREFIX)) return undefined;
      const row = await repo.useDevice(pool, tokenHash(token));
      if (!row || row.disabled) return undefined;
      return { ...principalOf(row), deviceId: row.device_id };
    },

    async issueDevice(
      principal: Principal,
      name: string,
      forUserId: number | undefined,
      actor: AuditActor,
      trackerId?: string,
      kind: DeviceKind = 'handheld',
    ) {
      const userId = forUserId ?? principal.userId;
      if (kind === 'display' && trackerId !== undefined)
        throw badRequest('body.trackerId', 'a display has no tracker id (tracker ids are for handhelds)');
      if (userId !== principal.userId && principal.role !== 'admin') {
        throw new HttpError(403, 'only an administrator issues devices for another user', 'body.userId');
      }
      if (trackerId !== undefined && principal.role !== 'admin') {
        throw new HttpError(403, 'only an administrator registers tracker ids', 'body.trackerId');
      }
      const owner = await repo.userById(pool, userId);
      if (!owner || !owner.scope_code.startsWith(principal.scope))
        throw notFound(`user ${userId} does not exist`, 'body.userId');
      const token = newOpaqueToken(DEVICE_TOKEN_PREFIX);
      return withTransaction(pool, async (client) => {
        const taken = () =>
          new HttpError(
            409,
            `tracker id ${trackerId} is already registered to a live device`,
            'body.trackerId',
          );
        if (trackerId !== undefined && (await repo.liveTracker(client, trackerId))) throw taken();
        const device = await repo
          .insertDevice(client, userId, name, tokenHash(token), trackerId ?? null, kind)
          .catch((err: unknown) => {
            // two registrations of one id at once: the unique index decides
            throw (err as { code?: string }).code === '23505' ? taken() : err;
          });
        await recordAudit(client, actor, {
          action: 'device.issue',
          target: `device:${device.id}`,
          after: deviceView(device),
        });
        return { device: deviceView(device), token };
      });
    },

    async listDevices(principal: Principal): Promise<DeviceView[]> {
      const rows = await repo.listDevices(
        pool,
        principal.scope,
        principal.role === 'admin' ? null : principal.userId,
      );
      return rows.map(deviceView);
    },

    async revokeDevice(principal: Principal, id: number, actor: AuditActor): Promise<DeviceView> {
      return withTransaction(pool, async (client) => {
        const device = await repo.deviceForUpdate(
          client,
          id,
          principal.scope,
          principal.role === 'admin' ? null : principal.userId,
        );
        if (!device) throw notFound(`device ${id} does not exist`, 'params.id');
        await repo.revokeDevice(client, id);
        const after = {
          ...deviceView(device),
          revokedAt: device.revoked_at?.toISOString() ?? new Date().toISOString(),
        };
        await recordAudit(client, actor, {
          action: 'device.revoke',
          target: `device:${id}`,
          before: deviceView(device),
          after,
        });
        return after;
      });
    },

    /** Creates an account (the admin command, the demo seed and POST /api/users all come here). */
    async createUser(body: CreateUserBody, actor: AuditActor): Promise<UserView> {
      const level = await repo.areaLevel(pool, body.scope);
      if (!level) throw badRequest('body.scope', `no administrative area has code ${body.scope}`);
      if (level !== ROLE_SCOPE_LEVEL[body.role]) {
        throw badRequest(
          'body.scope',
          `a ${body.role} works in a ${ROLE_SCOPE_LEVEL[body.role]}, ${body.scope} is a ${level}`,
        );
      }
      if (actor.scope && !body.scope.startsWith(actor.scope))
        throw badRequest('body.scope', `${body.scope} is outside your area`);
      if ((body.role === 'department_handler') !== (body.department !== undefined)) {
        throw badRequest(
          'body.department',
          'department is required for department handlers and only for them',
        );
      }
      const passwordHash = await hashPassword(body.password);
      return withTransaction(pool, async (client) => {
        if (await repo.userByUsername(client, body.username)) {
          throw new HttpError(409, `username ${body.username} is taken`, 'body.username');
        }
        const id = await repo.insertUser(client, {
          username: body.username,
          displayName: body.displayName,
          role: body.role,
          scope: body.scope,
          department: body.department ?? null,
          passwordHash,
        });
        const user = userView((await repo.userById(client, id))!);
        await recordAudit(client, actor, { action: 'user.create', target: `user:${id}`, after: user });
        return user;
      });
    },

    async listUsers(principal: Principal): Promise<UserView[]> {
      return (await repo.listUsers(pool, principal.scope)).map(userView);
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
