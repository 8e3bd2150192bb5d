/**
 * Plans one step of the closed loop from the hazard as it is and the request: checks the version, the
 * state, the caller's level and the fields the action needs, and works out the new columns, the timeline
 * step and the audit's before/after. Pure: the service runs it on the locked row inside its transaction.
 */
import type { Principal } from '../../../../shared/src/auth.ts';
import {
  ACTION_REQUIRES,
  ACTION_STATES,
  nextLevel,
  previousLevel,
  refusal,
  type HazardAction,
  type HazardTimers,
  type WorkflowHazard,
} from '../../../../shared/src/hazard-workflow.ts';
import type { HazardActionBody } from '../../../../shared/src/schemas/hazards.ts';
import type { LiveEventType } from '../../../../shared/src/schemas/live.ts';
import { badRequest, HttpError } from '../../errors.ts';
import type { HazardChange, HazardDetailRow, NewStep } from './repo.ts';

type Field = Exclude<keyof HazardActionBody, 'action' | 'version'>;

/** Fields an action uses besides its required ones; anything else sent with it is refused, not ignored. */
const ACTION_OPTIONAL: Record<HazardAction, readonly Field[]> = {
  classify: ['category', 'deadline', 'note'],
  assign: ['assigneeId', 'deadline', 'note'],
  reassign: ['assigneeId'],
  start: ['note'],
  progress: [],
  submit: [],
  accept: ['note'],
  reject: ['deadline'],
  escalate: ['department', 'deadline'],
  deescalate: ['deadline'],
  supervise: [],
};

const EVENT: Record<HazardAction, LiveEventType> = {
  classify: 'hazard.classified',
  assign: 'hazard.assigned',
  reassign: 'hazard.assigned',
  start: 'hazard.handled',
  progress: 'hazard.handled',
  submit: 'hazard.handled',
  accept: 'hazard.closed',
  reject: 'hazard.checked',
  escalate: 'hazard.escalated',
  deescalate: 'hazard.escalated',
  supervise: 'hazard.supervised',
};

export const stepEventType = (action: HazardAction): LiveEventType => EVENT[action];

export function workflowView(r: HazardDetailRow): WorkflowHazard {
  return {
    state: r.state,
    level: r.level,
    department: r.department,
    assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
    deadline: r.deadline?.toISOString() ?? null,
  };
}

export interface PlannedStep {
  change: HazardChange;
  step: NewStep;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

const HOUR_MS = 3_600_000;

export function planStep(
  principal: Principal,
  row: HazardDetailRow,
  body: HazardActionBody,
  now: Date,
  timers: HazardTimers,
): PlannedStep {
  const { action } = body;
  if (body.version !== row.version) {
    throw new HttpError(
      409,
      `hazard ${row.id} is at version ${row.version}, not ${body.version}: someone changed it; reload it`,
      'body.version',
    );
  }
  const states = ACTION_STATES[action];
  if (!states.from.includes(row.state)) {
    throw new HttpError(
      409,
      `a hazard that is ${row.state} cannot be given "${action}" (only from ${states.from.join(' / ')})`,
      'body.action',
    );
  }
  const refused = refusal(principal, workflowView(row), action, now);
  if (refused) throw new HttpError(403, refused, 'body.action');

  for (const field of ACTION_REQUIRES[action]) {
    if (body[field] === undefined) throw badRequest(`body.${field}`, `"${action}" needs ${field}`);
  }
  const used = new Set<string>([...ACTION_REQUIRES[action], ...ACTION_OPTIONAL[action]]);
  for (const field of Object.keys(body) as (keyof HazardActionBody)[]) {
    if (field !== 'action' && field !== 'version' && !used.has(field) && body[field] !== undefined) {
      throw badRequest(`body.${field}`, `"${action}" does not use ${field}`);
    }
  }

  const severity = body.severity ?? row.severity ?? 'general';
  let deadline = row.deadline;
  if (body.deadline !== undefined) {
    deadline = new Date(body.deadline);
    if (!(deadline.getTime() > now.getTime())) {
      throw badRequest('body.deadline', `the deadline ${body.deadline} is not in the future`);
    }
  } else if (action === 'classify' || action === 'escalate' || action === 'deescalate') {
    // a new level starts its own clock
    deadline = new Date(now.getTime() + timers.deadlineH[severity] * HOUR_MS);
  }

  let level = row.level;
  let department = row.department;
  if (action === 'escalate') {
    level = nextLevel(row.level)!;
    if (level === 'department') {
      if (body.department === undefined) {
        throw badRequest(
          'body.department',
          'escalating from the county grid centre names the county department',
        );
      }
      department = body.department;
    } else if (body.department !== undefined) {
      throw badRequest(
        'body.department',
        `a case goes to a department only from the county level, not ${row.level}`,
      );
    }
  } else if (action === 'deescalate') {
    level = previousLevel(row.level)!;
    department = null;
  }

  const to = states.to === 'same' ? row.state : states.to;
  const leavesLevel = action === 'escalate' || action === 'deescalate';
  const assigneeId =
    action === 'assign' || action === 'reassign'
      ? (body.assigneeId ?? null)
      : leavesLevel
        ? null
        : row.assignee_id === null
          ? null
          : Number(row.assignee_id);
  // a new deadline moves the warning point; otherwise the timer keeps its own
  const yellowAt =
    deadline === row.deadline
      ? row.yellow_at
      : deadline === null
        ? null
        : new Date(Math.max(now.getTime(), deadline.getTime() - timers.yellowH[severity] * HOUR_MS));

  const change: HazardChange = {
    category: body.category ?? row.category,
    state: to,
    severity: action === 'classify' ? severity : row.severity,
    level,
    department,
    responsible: body.responsible?.trim() ?? row.responsible,
    assigneeId,
    deadline,
    yellowAt,
    supervisedAt: action === 'supervise' ? (row.supervised_at ?? now) : row.supervised_at,
  };
  const data: Record<string, unknown> = {};
  if (action === 'classify') Object.assign(data, { severity, category: change.category });
  if (action === 'assign' || action === 'reassign') {
    Object.assign(data, { responsible: change.responsible, assigneeId });
  }
  if (action === 'supervise') {
    // who pressed whom: the level (and department) holding the case, and its follow-up grid member
    Object.assign(data, {
      pressed: { level: row.level, department: row.department, assigneeId: change.assigneeId },
      overdueH: row.deadline
        ? Math.round(((now.getTime() - row.deadline.getTime()) / HOUR_MS) * 10) / 10
        : null,
    });
  }
  const step: NewStep = {
    action,
    fromState: row.state,
    toState: to,
    fromLevel: row.level,
    toLevel: level,
    department,
    actorId: principal.userId,
    actorRole: principal.role,
    note: body.note?.trim() ?? null,
    deadline: deadline !== row.deadline ? deadline : null,
    data,
  };
  const before = {
    state: row.state,
    level: row.level,
    department: row.department,
    severity: row.severity,
    responsible: row.responsible,
    assigneeId: row.assignee_id === null ? null : Number(row.assignee_id),
    deadline: row.deadline?.toISOString() ?? null,
    version: row.version,
  };
  const after = {
    state: change.state,
    level: change.level,
    department: change.department,
    severity: change.severity,
    responsible: change.responsible,
    assigneeId: change.assigneeId,
    deadline: change.deadline?.toISOString() ?? null,
    note: step.note,
  };
  return { change, step, before, after };
}
