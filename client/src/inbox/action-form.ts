/**
 * What the form of each step of the loop asks for: the fields `ACTION_REQUIRES` names, plus the optional
 * ones the server takes with that step and an operator at a desk needs (a note, an own deadline), and
 * the county department when the county grid centre escalates. Pure, so the rules are tested.
 */
import type { Department } from '../../../shared/src/auth.ts';
import { ACTION_REQUIRES, type HazardAction, type HazardLevel } from '../../../shared/src/hazard-workflow.ts';
import type { HazardActionBody } from '../../../shared/src/schemas/hazards.ts';
import type { HazardSeverity } from '../../../shared/src/schemas/live.ts';

export type ActionField = 'severity' | 'responsible' | 'assignee' | 'department' | 'note' | 'deadline';

/** Optional fields the form offers per action (a subset of what the server accepts with it). */
const OFFERED: Record<HazardAction, readonly ActionField[]> = {
  classify: ['deadline', 'note'],
  assign: ['assignee', 'deadline', 'note'],
  reassign: ['assignee'],
  start: ['note'],
  progress: [],
  submit: [],
  accept: ['note'],
  reject: ['deadline'],
  escalate: ['deadline'],
  deescalate: ['deadline'],
  supervise: [],
};

export interface FormFieldSpec {
  field: ActionField;
  required: boolean;
}

const ORDER: readonly ActionField[] = [
  'severity',
  'responsible',
  'assignee',
  'department',
  'note',
  'deadline',
];

export function actionFormFields(action: HazardAction, level: HazardLevel): FormFieldSpec[] {
  const required = new Set<ActionField>(ACTION_REQUIRES[action]);
  // from the county the case goes to a named department (分级处理处置)
  if (action === 'escalate' && level === 'county') required.add('department');
  const offered = new Set<ActionField>([...required, ...OFFERED[action]]);
  return ORDER.filter((field) => offered.has(field)).map((field) => ({
    field,
    required: required.has(field),
  }));
}

export type ActionFormValues = Partial<Record<ActionField, string>>;

export type ActionBodyResult = { body: HazardActionBody } | { missing: ActionField };

/**
 * The request body from what the operator typed: text trimmed, empty optional fields left out (the
 * server refuses fields an action does not use), a `datetime-local` deadline read in the browser's zone.
 */
export function buildActionBody(
  action: HazardAction,
  level: HazardLevel,
  version: number,
  values: ActionFormValues,
): ActionBodyResult {
  const body: HazardActionBody = { action, version };
  for (const { field, required } of actionFormFields(action, level)) {
    const value = values[field]?.trim() ?? '';
    if (value === '') {
      if (required) return { missing: field };
      continue;
    }
    switch (field) {
      case 'severity':
        body.severity = value as HazardSeverity;
        break;
      case 'department':
        body.department = value as Department;
        break;
      case 'assignee':
        // the grid member who follows the case up (a user id from the hazard's assignees)
        body.assigneeId = Number(value);
        break;
      case 'deadline': {
        const time = new Date(value);
        if (Number.isNaN(time.getTime())) return { missing: field };
        body.deadline = time.toISOString();
        break;
      }
      default:
        body[field] = value;
    }
  }
  return { body };
}
