import type { Queryable } from '../../db/transaction.ts';

/** Who did something, from where: taken from the request. */
export interface AuditActor {
  actorId: number | null;
  actor: string | null;
  role: string | null;
  scope: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * JSON for a jsonb column. PostgreSQL refuses an unpaired surrogate escape (`"\udfff"`) in jsonb, while
 * text columns receive U+FFFD for it (pg encodes strings as UTF-8): do the same here, so a client's odd
 * string (a station status reason) is recorded instead of failing the request.
 */
function jsonb(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' ? v.replace(LONE_SURROGATE, '\uFFFD') : v,
  );
}

/** Appends to the audit log, inside the caller's transaction. Nothing updates or deletes it (a trigger refuses). */
export async function recordAudit(db: Queryable, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_id, actor, role, scope_code, action, target, before, after, ip, user_agent, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      actor.actorId,
      actor.actor,
      actor.role,
      actor.scope,
      entry.action,
      entry.target ?? null,
      jsonb(entry.before),
      jsonb(entry.after),
      actor.ip,
      actor.userAgent,
      actor.requestId,
    ],
  );
}
