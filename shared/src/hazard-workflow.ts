/**
 * The hazard closed loop (七步闭环) as rules both sides use: which action moves a hazard from which state
 * to which, at which level of the grid hierarchy, and who may take it. The server enforces them inside the
 * writing transaction; the client shows only the buttons they allow.
 *
 * Steps: discovery (reported) → classification (一般 / 重大, category, deadline) → assignment (the
 * responsible party, and the grid member who follows it up) → handling (progress notes) → check and
 * feedback (an inspector accepts, or sends it back) → closed; an open case past its deadline enters
 * supervision (督查督办). Escalation (分级处理处置) goes village → town → county → a county department,
 * each step with its reason and its own deadline; de-escalation goes back one level.
 */
import type { Department, Principal, Role } from './auth.ts';
import type { SafetyCategory } from './domain.ts';
import type { HazardSeverity, HazardState } from './schemas/live.ts';

export const HAZARD_LEVELS = ['village', 'town', 'county', 'department'] as const;
export type HazardLevel = (typeof HAZARD_LEVELS)[number];

/**
 * The county department in charge of each category's sector (行业主管部门, "管行业必须管安全"): whose
 * key-hazard list a hazard goes on while no department holds it. Gas cylinders sit with housing
 * (城镇燃气), fireworks, dust and chemicals with emergency management, lifts with market supervision;
 * entertainment venues and elderly-care homes, whose own departments (culture, civil affairs) are not in
 * the county list, with fire (their fire safety is what the grid finds).
 */
export const INDUSTRY_DEPARTMENT: Record<SafetyCategory, Department> = {
  fire_safety: 'fire',
  rental_housing: 'housing',
  lpg: 'housing',
  fireworks: 'emergency',
  entertainment_venue: 'fire',
  special_equipment: 'market',
  hazardous_chemicals: 'emergency',
  road_traffic: 'transport',
  construction: 'housing',
  dust_explosion: 'emergency',
  hazardous_waste: 'environment',
  elderly_care: 'fire',
  chemical_park: 'emergency',
};

export const HAZARD_ACTIONS = [
  'classify',
  'assign',
  'reassign',
  'start',
  'progress',
  'submit',
  'accept',
  'reject',
  'escalate',
  'deescalate',
  'supervise',
] as const;
export type HazardAction = (typeof HAZARD_ACTIONS)[number];

/** The states each action is taken from, and the state it leaves (`same` keeps the state). */
export const ACTION_STATES: Record<HazardAction, { from: readonly HazardState[]; to: HazardState | 'same' }> =
  {
    classify: { from: ['reported'], to: 'classified' },
    assign: { from: ['classified'], to: 'assigned' },
    reassign: { from: ['assigned', 'handling'], to: 'assigned' },
    start: { from: ['assigned'], to: 'handling' },
    progress: { from: ['handling'], to: 'same' },
    submit: { from: ['handling'], to: 'checking' },
    accept: { from: ['checking'], to: 'closed' },
    reject: { from: ['checking'], to: 'handling' },
    // a case goes up once it has been judged: the next level classifies and assigns it again
    escalate: { from: ['classified', 'assigned', 'handling'], to: 'classified' },
    deescalate: { from: ['classified', 'assigned', 'handling'], to: 'classified' },
    supervise: { from: ['classified', 'assigned', 'handling', 'checking'], to: 'same' },
  };

/** What each action must carry besides `version`. */
export const ACTION_REQUIRES: Record<HazardAction, readonly ('severity' | 'responsible' | 'note')[]> = {
  classify: ['severity'],
  assign: ['responsible'],
  reassign: ['responsible', 'note'],
  start: [],
  progress: ['note'],
  submit: ['note'],
  accept: [],
  reject: ['note'],
  escalate: ['note'],
  deescalate: ['note'],
  supervise: ['note'],
};

/**
 * The steps that may bring photos (multipart): the handling's progress, the rectification submitted
 * for checking, and the inspector's check (accepted, or sent back with what is still wrong).
 */
export const PHOTO_ACTIONS = [
  'progress',
  'submit',
  'accept',
  'reject',
] as const satisfies readonly HazardAction[];

/** The most photos one case keeps, over all its steps. */
export const HAZARD_PHOTOS_PER_CASE = 200;

/** The operator role working at each level. */
export const LEVEL_ROLE: Record<HazardLevel, Role> = {
  village: 'village_officer',
  town: 'town_operator',
  county: 'county_operator',
  department: 'department_handler',
};

const LEVEL_RANK: Record<HazardLevel, number> = { village: 0, town: 1, county: 2, department: 3 };

export function nextLevel(level: HazardLevel): HazardLevel | undefined {
  return HAZARD_LEVELS[LEVEL_RANK[level] + 1];
}
export function previousLevel(level: HazardLevel): HazardLevel | undefined {
  return LEVEL_RANK[level] === 0 ? undefined : HAZARD_LEVELS[LEVEL_RANK[level] - 1];
}

/** What the rules need to know of a hazard. */
export interface WorkflowHazard {
  state: HazardState;
  level: HazardLevel;
  department: Department | null;
  assigneeId: number | null;
  deadline: string | null;
}

/** The level a role works at, if it is an operator role. */
function roleLevel(role: Role): HazardLevel | undefined {
  return (Object.keys(LEVEL_ROLE) as HazardLevel[]).find((l) => LEVEL_ROLE[l] === role);
}

/** Whether the principal works at the hazard's current level (scope is checked by the query). */
function atLevel(p: Principal, h: WorkflowHazard): boolean {
  if (p.role === 'admin') return true;
  if (roleLevel(p.role) !== h.level) return false;
  return h.level !== 'department' || p.department === h.department;
}

/** Whether the principal works at the hazard's level or above it (may press an overdue case). */
function atOrAbove(p: Principal, h: WorkflowHazard): boolean {
  if (p.role === 'admin') return true;
  const mine = roleLevel(p.role);
  if (mine === undefined) return false;
  if (mine === 'department') return h.level === 'department' && p.department === h.department;
  // a department case is pressed by the county grid centre, which forwarded it
  return LEVEL_RANK[mine] >= Math.min(LEVEL_RANK[h.level], LEVEL_RANK.county);
}

export function isOverdue(h: Pick<WorkflowHazard, 'deadline' | 'state'>, now: Date): boolean {
  return h.state !== 'closed' && h.deadline !== null && Date.parse(h.deadline) < now.getTime();
}

/** Why the principal may not take the action now, or undefined when it may. */
export function refusal(
  p: Principal,
  h: WorkflowHazard,
  action: HazardAction,
  now: Date,
): string | undefined {
  const { from } = ACTION_STATES[action];
  if (!from.includes(h.state)) {
    return `a hazard that is ${h.state} cannot be given "${action}" (only from ${from.join(' / ')})`;
  }
  switch (action) {
    case 'start':
    case 'progress':
    case 'submit':
      // the grid member following the case up reports its handling, as does the level's operator
      if (p.role === 'grid_member' && h.assigneeId === p.userId) return undefined;
      return atLevel(p, h)
        ? undefined
        : `only the ${LEVEL_ROLE[h.level]} or the assigned grid member may do this`;
    case 'escalate':
      if (!nextLevel(h.level)) return 'a case with a county department cannot go higher';
      return atLevel(p, h) ? undefined : `only the ${LEVEL_ROLE[h.level]} may escalate it`;
    case 'deescalate':
      if (!previousLevel(h.level)) return 'a village case cannot go lower';
      return atLevel(p, h) ? undefined : `only the ${LEVEL_ROLE[h.level]} may send it back down`;
    case 'supervise':
      if (!isOverdue(h, now)) return 'only a case past its deadline enters supervision';
      return atOrAbove(p, h) ? undefined : `only the ${LEVEL_ROLE[h.level]} or a higher level may press it`;
    default:
      return atLevel(p, h)
        ? undefined
        : `only the ${LEVEL_ROLE[h.level]} may do this at the ${h.level} level`;
  }
}

/** The actions the principal may take on the hazard now, for the buttons. */
export function allowedActions(p: Principal, h: WorkflowHazard, now: Date): HazardAction[] {
  return HAZARD_ACTIONS.filter((a) => refusal(p, h, a, now) === undefined);
}

/** Deadlines and warning thresholds per severity, in hours (configurable on the server). */
export interface HazardTimers {
  deadlineH: Record<HazardSeverity, number>;
  /** yellow when this many hours or fewer are left */
  yellowH: Record<HazardSeverity, number>;
}

/** Defaults: a general hazard is rectified within 7 days, a major one within 30 (with a plan). */
export const DEFAULT_HAZARD_TIMERS: HazardTimers = {
  deadlineH: { general: 7 * 24, major: 30 * 24 },
  yellowH: { general: 24, major: 72 },
};

export type TimerState = 'green' | 'yellow' | 'red';

/** The colour of an open case's timer: red past its deadline, yellow within its threshold. */
export function timerState(deadline: string | null, yellowAt: string | null, now: Date): TimerState | null {
  if (deadline === null) return null;
  const t = now.getTime();
  if (t > Date.parse(deadline)) return 'red';
  if (yellowAt !== null && t >= Date.parse(yellowAt)) return 'yellow';
  return 'green';
}
