import { Type, type Static } from 'typebox';
import { DEPARTMENTS, ROLES } from '../auth.ts';

export const Username = Type.String({
  pattern: '^[a-z0-9_.-]{3,32}$',
  description: 'lower-case letters, digits, _ . -',
});
const Password = Type.String({ minLength: 1, maxLength: 256 });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Password },
  {
    additionalProperties: false,
  },
);
export type LoginBody = Static<typeof LoginBody>;

export const UserView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum([...ROLES]),
  scope: Type.String({ description: 'division code of the area the user works in' }),
  scopeName: Type.String(),
  department: Type.Union([Type.Enum([...DEPARTMENTS]), Type.Null()]),
});
export type UserView = Static<typeof UserView>;

export const TokenResponse = Type.Object({
  token: Type.String({ description: 'access token: send as Authorization: Bearer <token>' }),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  refreshToken: Type.String({ description: 'single use; exchange at /api/auth/refresh for a new pair' }),
  user: UserView,
});
export type TokenResponse = Static<typeof TokenResponse>;

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 20, maxLength: 200 }) },
  {
    additionalProperties: false,
  },
);

export const LogoutBody = Type.Object(
  {
    refreshToken: Type.Optional(Type.String({ minLength: 20, maxLength: 200 })),
    everywhere: Type.Optional(Type.Boolean({ description: 'revoke every refresh token of the user' })),
  },
  { additionalProperties: false },
);

/** A handheld (its token on the device endpoints) or a wall display (its token signs the screen in). */
export const DEVICE_KINDS = ['handheld', 'display'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const DeviceIssueBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'e.g. the handheld terminal number' }),
    kind: Type.Optional(
      Type.Enum([...DEVICE_KINDS], {
        default: 'handheld',
        description: 'display: a wall screen that signs itself in with the token (POST /api/auth/display)',
      }),
    ),
    userId: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'admin only: issue for another user',
      }),
    ),
    trackerId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_.:-]{1,64}$',
        description:
          'admin only: the identifier a stock tracking app (OsmAnd, Traccar Client) sends as `id` to /osmand',
      }),
    ),
  },
  { additionalProperties: false },
);

export type DeviceIssueBody = Static<typeof DeviceIssueBody>;

export const DeviceView = Type.Object({
  id: Type.Integer(),
  userId: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  kind: Type.Enum([...DEVICE_KINDS]),
  trackerId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type DeviceView = Static<typeof DeviceView>;

export const DeviceIssued = Type.Object({
  device: DeviceView,
  token: Type.String({ description: 'shown once; the handheld sends it as Authorization: Bearer <token>' }),
});

export const DisplaySignInBody = Type.Object(
  {
    token: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'a display token (issued with kind "display"), as the screen’s URL carries it',
    }),
  },
  { additionalProperties: false },
);
export type DisplaySignInBody = Static<typeof DisplaySignInBody>;

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
    role: Type.Enum([...ROLES]),
    scope: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }),
    department: Type.Optional(Type.Enum([...DEPARTMENTS])),
    password: Type.String({ minLength: 10, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;
