import { describe, expect, it } from 'vitest';
import { actionFormFields, buildActionBody } from './action-form.ts';

describe('actionFormFields', () => {
  it.each([
    { action: 'classify', level: 'village', fields: ['severity!', 'note', 'deadline'] },
    { action: 'assign', level: 'town', fields: ['responsible!', 'assignee', 'note', 'deadline'] },
    { action: 'reassign', level: 'village', fields: ['responsible!', 'assignee', 'note!'] },
    { action: 'start', level: 'village', fields: ['note'] },
    { action: 'accept', level: 'village', fields: ['note'] },
    { action: 'submit', level: 'village', fields: ['note!'] },
    { action: 'escalate', level: 'village', fields: ['note!', 'deadline'] },
    { action: 'escalate', level: 'county', fields: ['department!', 'note!', 'deadline'] },
    { action: 'supervise', level: 'town', fields: ['note!'] },
  ] as const)('$action at $level', ({ action, level, fields }) => {
    expect(actionFormFields(action, level).map((f) => f.field + (f.required ? '!' : ''))).toEqual(fields);
  });
});

describe('buildActionBody', () => {
  it.each([
    {
      name: 'classify with a severity, empty optional fields left out',
      action: 'classify',
      level: 'village',
      values: { severity: 'major', note: '  ', deadline: '' },
      result: { body: { action: 'classify', version: 3, severity: 'major' } },
    },
    {
      name: 'assign trims the responsible party',
      action: 'assign',
      level: 'village',
      values: { responsible: ' 物业公司 ', note: '限期清理' },
      result: { body: { action: 'assign', version: 3, responsible: '物业公司', note: '限期清理' } },
    },
    {
      name: 'assign names the follow-up grid member by id',
      action: 'assign',
      level: 'village',
      values: { responsible: '房东', assignee: '42' },
      result: { body: { action: 'assign', version: 3, responsible: '房东', assigneeId: 42 } },
    },
    {
      name: 'a missing required field is named',
      action: 'reassign',
      level: 'town',
      values: { responsible: '街道城管' },
      result: { missing: 'note' },
    },
    {
      name: 'the county names the department',
      action: 'escalate',
      level: 'county',
      values: { note: '需消防部门执法', department: 'fire' },
      result: { body: { action: 'escalate', version: 3, department: 'fire', note: '需消防部门执法' } },
    },
    {
      name: 'a county escalation without a department',
      action: 'escalate',
      level: 'county',
      values: { note: 'x' },
      result: { missing: 'department' },
    },
    {
      name: 'fields the action does not use are never sent',
      action: 'supervise',
      level: 'town',
      values: { note: '逾期督办', severity: 'major', deadline: '2030-01-01T10:00' },
      result: { body: { action: 'supervise', version: 3, note: '逾期督办' } },
    },
  ] as const)('$name', ({ action, level, values, result }) => {
    expect(buildActionBody(action, level, 3, values)).toEqual(result);
  });

  it('reads a datetime-local deadline in the local zone as an ISO instant', () => {
    const result = buildActionBody('classify', 'village', 1, {
      severity: 'general',
      deadline: '2030-01-02T03:04',
    });
    expect(result).toEqual({
      body: {
        action: 'classify',
        version: 1,
        severity: 'general',
        deadline: new Date('2030-01-02T03:04').toISOString(),
      },
    });
  });
});
