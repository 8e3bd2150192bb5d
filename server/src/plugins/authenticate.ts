import type { FastifyInstance, FastifyRequest } from 'fastify';
import jwt from '@fastify/jwt';
import { DEVICE_TOKEN_PREFIX, ROLES, type Principal, type Role } from '../../../shared/src/auth.ts';
import { HttpError } from '../errors.ts';
import type { AuditActor } from '../modules/audit/repo.ts';
import type { AccessTokenSigner, AuthService } from '../modules/auth/service.ts';

/**
 * What a route accepts: `public` (no token), `device` (a handheld's device token), a list of roles,
 * `{ roles, devices: true }` (those roles signed in, or a device token of an account with one of them),
 * or nothing = any signed-in user. Every route under /api and /ogc is guarded unless it says otherwise.
 */
export type RouteAuth = 'public' | 'device' | readonly Role[] | { roles: readonly Role[]; devices: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

interface AccessClaims {
  sub: string;
  usr: string;
  role: Role;
  scope: string;
  dept: Principal['department'];
}

const GUARDED = /^\/(api|ogc|tiles)(\/|$|\?)/;

const unauthorized = (message: string) => new HttpError(401, message, 'headers.authorization');

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized('sign in first');
  return request.principal;
}

/** Who is acting, for the audit log. */
export function auditActor(request: FastifyRequest): AuditActor {
  const p = request.principal;
  return {
    actorId: p?.userId ?? null,
    actor: p ? (p.deviceId ? `${p.username}@device:${p.deviceId}` : p.username) : null,
    role: p?.role ?? null,
    scope: p?.scope ?? null,
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 256) ?? null,
    requestId: request.id,
  };
}

/**
 * Registers access-token signing, builds the account service on it, and guards every route.
 * Returns the service (the routes and the demo seed use it).
 */
export async function registerAuthentication(
  app: FastifyInstance,
  opts: { secret: string; createService: (signer: AccessTokenSigner) => AuthService },
): Promise<AuthService> {
  await app.register(jwt, {
    secret: opts.secret,
    sign: { algorithm: 'HS256' },
    verify: { algorithms: ['HS256'] },
  });
  const auth = opts.createService(jwtSigner(app));
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request) => {
    const routeAuth = request.routeOptions.config?.auth;
    if (routeAuth === 'public' || (routeAuth === undefined && !GUARDED.test(request.url))) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match)
      throw unauthorized('missing bearer token: send Authorization: Bearer <token> (POST /api/auth/login)');
    const token = match[1]!;
    if (routeAuth === 'device') {
      const principal = await auth.authenticateDevice(token);
      if (!principal) throw unauthorized('device token is unknown or revoked');
      request.principal = principal;
      return;
    }
    const takesDevices = typeof routeAuth === 'object' && 'devices' in routeAuth;
    if (takesDevices && token.startsWith(DEVICE_TOKEN_PREFIX)) {
      const principal = await auth.authenticateDevice(token);
      if (!principal) throw unauthorized('device token is unknown or revoked');
      request.principal = principal;
    } else {
      request.principal = verifyAccessToken(app, token);
    }
    const roles = takesDevices ? routeAuth.roles : Array.isArray(routeAuth) ? routeAuth : undefined;
    if (roles && !roles.includes(request.principal.role)) {
      throw new HttpError(
        403,
        `this action needs one of the roles ${roles.join(', ')}`,
        'headers.authorization',
      );
    }
  });
  return auth;
}

/** The principal an access token (not a device token) carries; a 401 naming the problem otherwise. */
export function verifyAccessToken(
  app: FastifyInstance,
  token: string,
  field = 'headers.authorization',
): Principal {
  const fail = (message: string) => new HttpError(401, message, field);
  if (token.startsWith(DEVICE_TOKEN_PREFIX))
    throw fail('device tokens are accepted only on device endpoints');
  let claims: AccessClaims;
  try {
    claims = app.jwt.verify<AccessClaims>(token);
  } catch (err) {
    const expired = (err as { code?: string }).code === 'FAST_JWT_EXPIRED';
    throw fail(expired ? 'access token has expired: refresh it' : 'access token is not valid');
  }
  if (!ROLES.includes(claims.role)) throw fail('access token is not valid');
  return {
    userId: Number(claims.sub),
    username: claims.usr,
    role: claims.role,
    scope: claims.scope,
    department: claims.dept ?? null,
  };
}

function jwtSigner(app: FastifyInstance): AccessTokenSigner {
  return {
    sign(p: Principal, ttlS: number): string {
      const claims: AccessClaims = {
        sub: String(p.userId),
        usr: p.username,
        role: p.role,
        scope: p.scope,
        dept: p.department,
      };
      return app.jwt.sign(claims, { expiresIn: ttlS });
    },
  };
}
