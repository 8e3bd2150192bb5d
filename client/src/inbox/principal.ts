/** The signed-in user as the workflow rules see them, to offer only the steps the server will allow. */
import type { Principal } from '../../../shared/src/auth.ts';
import { allowedActions, type HazardAction } from '../../../shared/src/hazard-workflow.ts';
import type { User } from '../auth/auth-api.ts';
import type { InboxHazard } from './queue.ts';

export const principalOf = (user: User): Principal => ({
  userId: user.id,
  username: user.username,
  role: user.role,
  scope: user.scope,
  department: user.department,
});

/**
 * Whether the user may take `action` on a row. The row carries no assignee, so this answers for the
 * operator's steps (assign, supervise); the hazard page shows the server's own `actions`.
 */
export function mayTake(principal: Principal, row: InboxHazard, action: HazardAction, now: Date): boolean {
  return allowedActions(principal, { ...row, assigneeId: null }, now).includes(action);
}
