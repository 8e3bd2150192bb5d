import type pg from 'pg';
import { ROLE_SCOPE_LEVEL, ROLES, type Role } from '../../../../shared/src/auth.ts';
import type { AuditActor } from '../audit/repo.ts';
import { authRepository } from './repo.ts';
import type { AuthService } from './service.ts';

const DISPLAY: Record<Role, string> = {
  grid_member: '网格员（演示）',
  village_officer: '村（社区）平台信息员（演示）',
  town_operator: '乡镇网格化中心（演示）',
  county_operator: '区网格化中心（演示）',
  department_handler: '区消防救援大队（演示）',
  dispatcher: '指挥中心调度员（演示）',
  planner: '规划人员（演示）',
  admin: '系统管理员（演示）',
};

const SYSTEM: AuditActor = {
  actorId: null,
  actor: 'system:demo-seed',
  role: null,
  scope: null,
  ip: null,
  userAgent: null,
  requestId: null,
};

/**
 * One account per role, named after the role (admin, dispatcher, planner, county_operator, ...),
 * sharing `password`. Town roles work in the first town of the district, village roles in its first village.
 */
export async function ensureDemoAccounts(
  pool: pg.Pool,
  auth: AuthService,
  password: string,
): Promise<string[]> {
  const areas = await authRepository.demoScopes(pool);
  if (!areas) return [];
  const created: string[] = [];
  for (const role of ROLES) {
    if (await authRepository.userByUsername(pool, role)) continue;
    await auth.createUser(
      {
        username: role,
        displayName: DISPLAY[role],
        role,
        scope: areas[ROLE_SCOPE_LEVEL[role]],
        department: role === 'department_handler' ? 'fire' : undefined,
        password,
      },
      SYSTEM,
    );
    created.push(role);
  }
  return created;
}
