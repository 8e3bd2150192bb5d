import { describe, expect, it } from 'vitest';
import type { Principal, Role } from './auth.ts';
import {
  allowedActions,
  refusal,
  timerState,
  type HazardAction,
  type WorkflowHazard,
} from './hazard-workflow.ts';

const NOW = new Date('2026-06-01T08:00:00Z');
const who = (role: Role, userId = 1, department: Principal['department'] = null): Principal => ({
  userId,
  username: role,
  role,
  scope: '320803',
  department,
});
const hazard = (over: Partial<WorkflowHazard> = {}): WorkflowHazard => ({
  state: 'classified',
  level: 'village',
  department: null,
  assigneeId: null,
  deadline: '2026-06-08T08:00:00Z',
  ...over,
});

describe('who may take which step of the closed loop', () => {
  const cases: Array<[string, Principal, Partial<WorkflowHazard>, HazardAction, boolean]> = [
    [
      'the village officer classifies a village report',
      who('village_officer'),
      { state: 'reported' },
      'classify',
      true,
    ],
    [
      'the town operator does not classify a village case',
      who('town_operator'),
      { state: 'reported' },
      'classify',
      false,
    ],
    [
      'a report is classified before it is assigned',
      who('village_officer'),
      { state: 'reported' },
      'assign',
      false,
    ],
    [
      'the assigned grid member starts the handling',
      who('grid_member', 7),
      { state: 'assigned', assigneeId: 7 },
      'start',
      true,
    ],
    [
      'another grid member does not',
      who('grid_member', 8),
      { state: 'assigned', assigneeId: 7 },
      'start',
      false,
    ],
    [
      'the grid member never accepts',
      who('grid_member', 7),
      { state: 'checking', assigneeId: 7 },
      'accept',
      false,
    ],
    [
      'the officer accepts a checked rectification',
      who('village_officer'),
      { state: 'checking' },
      'accept',
      true,
    ],
    ['the officer sends one back', who('village_officer'), { state: 'checking' }, 'reject', true],
    ['a closed case takes no step', who('admin'), { state: 'closed' }, 'progress', false],
    ['the town escalates a town case', who('town_operator'), { level: 'town' }, 'escalate', true],
    [
      'a department case cannot go higher',
      who('department_handler', 1, 'fire'),
      { level: 'department', department: 'fire' },
      'escalate',
      false,
    ],
    [
      'the fire handler works the fire department case',
      who('department_handler', 1, 'fire'),
      { level: 'department', department: 'fire' },
      'assign',
      true,
    ],
    [
      'the housing handler does not',
      who('department_handler', 1, 'housing'),
      { level: 'department', department: 'fire' },
      'assign',
      false,
    ],
    ['a village case cannot go lower', who('village_officer'), {}, 'deescalate', false],
    [
      'the county sends a county case back to the town',
      who('county_operator'),
      { level: 'county' },
      'deescalate',
      true,
    ],
    ['no supervision before the deadline', who('town_operator'), {}, 'supervise', false],
    [
      'the town presses an overdue village case',
      who('town_operator'),
      { deadline: '2026-05-30T00:00:00Z' },
      'supervise',
      true,
    ],
    [
      'the village does not press a town case',
      who('village_officer'),
      { level: 'town', deadline: '2026-05-30T00:00:00Z' },
      'supervise',
      false,
    ],
    [
      'the county presses an overdue department case',
      who('county_operator'),
      { level: 'department', department: 'fire', deadline: '2026-05-30T00:00:00Z' },
      'supervise',
      true,
    ],
    ['planners take no step', who('planner'), { state: 'reported' }, 'classify', false],
    ['an administrator may', who('admin'), { state: 'reported' }, 'classify', true],
  ];
  it.each(cases)('%s', (_name, principal, over, action, allowed) => {
    expect(refusal(principal, hazard(over), action, NOW) === undefined).toBe(allowed);
  });

  it('lists the buttons a viewer gets', () => {
    expect(allowedActions(who('village_officer'), hazard({ state: 'reported' }), NOW)).toEqual(['classify']);
    expect(allowedActions(who('village_officer'), hazard({ state: 'handling' }), NOW)).toEqual([
      'reassign',
      'progress',
      'submit',
      'escalate',
    ]);
    expect(allowedActions(who('planner'), hazard(), NOW)).toEqual([]);
  });
});

describe('timer colours', () => {
  it.each([
    ['no deadline yet', null, null, null],
    ['green before the warning point', '2026-06-03T00:00:00Z', '2026-06-02T00:00:00Z', 'green'],
    ['yellow from the warning point', '2026-06-02T00:00:00Z', '2026-06-01T08:00:00Z', 'yellow'],
    ['red past the deadline', '2026-06-01T07:59:59Z', '2026-05-31T07:59:59Z', 'red'],
  ] as const)('%s', (_name, deadline, yellowAt, expected) => {
    expect(timerState(deadline, yellowAt, NOW)).toBe(expected);
  });
});
