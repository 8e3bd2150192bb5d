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
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      actor.ip,
      actor.userAgent,
      actor.requestId,
    ],
  );
}
