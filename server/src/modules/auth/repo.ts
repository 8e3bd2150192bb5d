import type { Department, Role } from '../../../../shared/src/auth.ts';
import type { DeviceKind } from '../../../../shared/src/schemas/auth.ts';
import type { Queryable } from '../../db/transaction.ts';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  scope_code: string;
  scope_name: string;
  scope_level: string;
  department: Department | null;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
}

const USER_COLUMNS = `u.id::int AS id, u.username, u.display_name, u.role, u.scope_code, a.name AS scope_name,
  a.level AS scope_level, u.department, u.password_hash, u.failed_logins, u.locked_until, u.disabled`;

export interface DeviceRow {
  id: number;
  user_id: number;
  username: string;
  name: string;
  kind: DeviceKind;
  tracker_id: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export const authRepository = {
  async userByUsername(db: Queryable, username: string, forUpdate = false): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM app_user u JOIN admin_area a ON a.code = u.scope_code
        WHERE u.username = $1 ${forUpdate ? 'FOR UPDATE OF u' : ''}`,
      [username],
    );
    return rows[0];
  },

  async userById(db: Queryable, id: number): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM app_user u JOIN admin_area a ON a.code = u.scope_code WHERE u.id = $1`,
      [id],
    );
    return rows[0];
  },

  async recordLoginFailure(
    db: Queryable,
    id: number,
    maxFailures: number,
    lockoutS: number,
  ): Promise<UserRow['locked_until']> {
    const { rows } = await db.query<{ locked_until: Date | null }>(
      `UPDATE app_user
          SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END,
              updated_at = now()
        WHERE id = $1 RETURNING locked_until`,
      [id, maxFailures, lockoutS],
    );
    return rows[0]?.locked_until ?? null;
  },

  async recordLoginSuccess(db: Queryable, id: number): Promise<void> {
    await db.query('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
  },

  async insertUser(
    db: Queryable,
    user: {
      username: string;
      displayName: string;
      role: Role;
      scope: string;
      department: Department | null;
      passwordHash: string;
    },
  ): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO app_user (username, display_name, role, scope_code, department, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int`,
      [user.username, user.displayName, user.role, user.scope, user.department, user.passwordHash],
    );
    return rows[0]!.id;
  },

  async areaLevel(db: Queryable, code: string): Promise<string | undefined> {
    const { rows } = await db.query<{ level: string }>('SELECT level FROM admin_area WHERE code = $1', [
      code,
    ]);
    return rows[0]?.level;
  },

  async listUsers(db: Queryable, scope: string): Promise<UserRow[]> {
    const { rows } = await db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM app_user u JOIN admin_area a ON a.code = u.scope_code
        WHERE u.scope_code LIKE $1 || '%' ORDER BY u.username`,
      [scope],
    );
    return rows;
  },

  async insertRefreshToken(
    db: Queryable,
    userId: number,
    hash: string,
    ttlS: number,
    ip: string | null,
  ): Promise<void> {
    await db.query(
      `INSERT INTO refresh_token (user_id, token_hash, expires_at, created_ip)
       VALUES ($1, $2, now() + make_interval(secs => $3), $4)`,
      [userId, hash, ttlS, ip],
    );
  },

  async refreshTokenForUpdate(
    db: Queryable,
    hash: string,
  ): Promise<{ id: number; user_id: number; expired: boolean; revoked: boolean } | undefined> {
    const { rows } = await db.query<{ id: number; user_id: number; expired: boolean; revoked: boolean }>(
      `SELECT id::int, user_id::int, expires_at <= now() AS expired, revoked_at IS NOT NULL AS revoked
         FROM refresh_token WHERE token_hash = $1 FOR UPDATE`,
      [hash],
    );
    return rows[0];
  },

  async revokeRefreshToken(db: Queryable, id: number): Promise<void> {
    await db.query('UPDATE refresh_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  },

  async revokeRefreshTokenByHash(db: Queryable, hash: string, userId: number): Promise<number> {
    const result = await db.query(
      'UPDATE refresh_token SET revoked_at = now() WHERE token_hash = $1 AND user_id = $2 AND revoked_at IS NULL',
      [hash, userId],
    );
    return result.rowCount ?? 0;
  },

  async revokeAllRefreshTokens(db: Queryable, userId: number): Promise<number> {
    const result = await db.query(
      'UPDATE refresh_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
      [userId],
    );
    return result.rowCount ?? 0;
  },

  async insertDevice(
    db: Queryable,
    userId: number,
    name: string,
    hash: string,
    trackerId: string | null,
    kind: DeviceKind = 'handheld',
  ): Promise<DeviceRow> {
    const { rows } = await db.query<DeviceRow>(
      `WITH d AS (INSERT INTO device_token (user_id, name, token_hash, tracker_id, kind) VALUES ($1, $2, $3, $4, $5)
                  RETURNING *)
       SELECT d.id::int, d.user_id::int, u.username, d.name, d.kind, d.tracker_id, d.created_at, d.last_used_at, d.revoked_at
         FROM d JOIN app_user u ON u.id = d.user_id`,
      [userId, name, hash, trackerId, kind],
    );
    return rows[0]!;
  },

  /** Devices of users inside `scope` (and, for a non-admin, only the caller's own). */
  async listDevices(db: Queryable, scope: string, userId: number | null): Promise<DeviceRow[]> {
    const { rows } = await db.query<DeviceRow>(
      `SELECT d.id::int, d.user_id::int, u.username, d.name, d.kind, d.tracker_id, d.created_at, d.last_used_at, d.revoked_at
         FROM device_token d JOIN app_user u ON u.id = d.user_id
        WHERE u.scope_code LIKE $1 || '%' AND ($2::bigint IS NULL OR d.user_id = $2)
        ORDER BY d.id`,
      [scope, userId],
    );
    return rows;
  },

  async deviceForUpdate(
    db: Queryable,
    id: number,
    scope: string,
    userId: number | null,
  ): Promise<DeviceRow | undefined> {
    const { rows } = await db.query<DeviceRow>(
      `SELECT d.id::int, d.user_id::int, u.username, d.name, d.kind, d.tracker_id, d.created_at, d.last_used_at, d.revoked_at
         FROM device_token d JOIN app_user u ON u.id = d.user_id
        WHERE d.id = $1 AND u.scope_code LIKE $2 || '%' AND ($3::bigint IS NULL OR d.user_id = $3)
        FOR UPDATE OF d`,
      [id, scope, userId],
    );
    return rows[0];
  },

  /** Whether a live (unrevoked) device holds the tracker id. */
  async liveTracker(db: Queryable, trackerId: string): Promise<boolean> {
    const { rows } = await db.query(
      'SELECT 1 FROM device_token WHERE tracker_id = $1 AND revoked_at IS NULL FOR UPDATE',
      [trackerId],
    );
    return rows.length > 0;
  },

  async revokeDevice(db: Queryable, id: number): Promise<void> {
    await db.query('UPDATE device_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  },

  /** The active device of `kind` and its user, stamping its last use. */
  async useDevice(
    db: Queryable,
    hash: string,
    kind: DeviceKind = 'handheld',
  ): Promise<(UserRow & { device_id: number }) | undefined> {
    const { rows } = await db.query<UserRow & { device_id: number }>(
      `WITH d AS (UPDATE device_token SET last_used_at = now()
                   WHERE token_hash = $1 AND revoked_at IS NULL AND kind = $2 RETURNING id, user_id)
       SELECT ${USER_COLUMNS}, d.id::int AS device_id FROM d
         JOIN app_user u ON u.id = d.user_id JOIN admin_area a ON a.code = u.scope_code`,
      [hash, kind],
    );
    return rows[0];
  },

  /** The county, its first town and that town's first village: where the demo accounts work. */
  async demoScopes(db: Queryable): Promise<{ county: string; town: string; village: string } | undefined> {
    const { rows } = await db.query<{ county: string; town: string; village: string }>(`
      SELECT c.code AS county, t.code AS town, v.code AS village
        FROM admin_area c
        JOIN LATERAL (SELECT code FROM admin_area WHERE parent_code = c.code ORDER BY code LIMIT 1) t ON true
        JOIN LATERAL (SELECT code FROM admin_area WHERE parent_code = t.code ORDER BY code LIMIT 1) v ON true
       WHERE c.level = 'county' ORDER BY c.code LIMIT 1`);
    return rows[0];
  },

  async secret(db: Queryable, name: string, generate: () => string): Promise<string> {
    await db.query('INSERT INTO server_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      generate(),
    ]);
    const { rows } = await db.query<{ value: string }>('SELECT value FROM server_secret WHERE name = $1', [
      name,
    ]);
    return rows[0]!.value;
  },
};
