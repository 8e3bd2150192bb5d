/** Roles from the seeds' organisation, and what scope each works in. */
export const ROLES = [
  'grid_member', // 网格员 (handheld)
  'village_officer', // 村（社区）平台信息员
  'town_operator', // 乡镇（街道）网格化中心
  'county_operator', // 县（区）网格化中心
  'department_handler', // 县级职能部门
  'dispatcher', // 指挥中心调度员
  'planner', // 规划 / 应急管理
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** County departments that escalated hazards go to (分级处理处置). */
export const DEPARTMENTS = [
  'fire',
  'emergency',
  'housing',
  'market',
  'transport',
  'environment',
  'education',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** The administrative level a role's scope code must have. */
export const ROLE_SCOPE_LEVEL: Record<Role, 'county' | 'town' | 'village'> = {
  grid_member: 'village',
  village_officer: 'village',
  town_operator: 'town',
  county_operator: 'county',
  department_handler: 'county',
  dispatcher: 'county',
  planner: 'county',
  admin: 'county',
};

/** Access tokens are short-lived; refresh tokens rotate on every use. */
export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const REFRESH_TOKEN_TTL_S = 7 * 24 * 3600;
/** Lockout after repeated failures. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCKOUT_S = 15 * 60;
/** Device tokens start with this prefix so the server tells them from access tokens. */
export const DEVICE_TOKEN_PREFIX = 'gwd_';

/** The identity every authenticated request carries. */
export interface Principal {
  userId: number;
  username: string;
  role: Role;
  /** division code: the county, town or village the user works in */
  scope: string;
  department: Department | null;
  /** set when the request came with a device token */
  deviceId?: number;
}

/** Who sends fire forces out and calls them back (出警 / 归队): the command centre (POST /api/dispatches, the desk). */
export const DISPATCH_RECORD_ROLES = [
  'dispatcher',
  'county_operator',
  'admin',
] as const satisfies readonly Role[];

/** Who records the video roll-call of the skid-mounted stations (视频点名): the command centre. */
export const ROLLCALL_ROLES = ['dispatcher', 'county_operator', 'admin'] as const satisfies readonly Role[];
