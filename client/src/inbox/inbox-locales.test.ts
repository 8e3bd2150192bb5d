import { describe, expect, it } from 'vitest';
import { DEPARTMENTS, ROLES } from '../../../shared/src/auth.ts';
import { HAZARD_ACTIONS, HAZARD_LEVELS } from '../../../shared/src/hazard-workflow.ts';
import { HAZARD_SEVERITIES, HAZARD_STATES } from '../../../shared/src/schemas/hazards.ts';
import { en } from '../i18n/locales/en.ts';
import { zhCN } from '../i18n/locales/zh-CN.ts';
import { actionFormFields } from './action-form.ts';

const sorted = (values: Iterable<string>) => [...values].sort();

describe.each([
  { language: 'zh-CN', strings: zhCN },
  { language: 'en', strings: en },
])('$language inbox strings', ({ strings }) => {
  it.each([
    { name: 'states', keys: strings.inbox.states, values: HAZARD_STATES },
    { name: 'levels', keys: strings.inbox.levels, values: HAZARD_LEVELS },
    { name: 'severities', keys: strings.inbox.severities, values: [...HAZARD_SEVERITIES, 'none'] },
    { name: 'departments', keys: strings.inbox.departments, values: DEPARTMENTS },
    { name: 'roles', keys: strings.inbox.roles, values: [...ROLES, 'device'] },
    { name: 'steps', keys: strings.hazard.actionNames, values: ['report', ...HAZARD_ACTIONS] },
  ])('name every one of the $name, and nothing else', ({ keys, values }) => {
    expect(sorted(Object.keys(keys))).toEqual(sorted(values));
  });

  it('label every field a step form can ask for', () => {
    const fields = new Set(
      HAZARD_ACTIONS.flatMap((action) =>
        HAZARD_LEVELS.flatMap((level) => actionFormFields(action, level).map((spec) => spec.field)),
      ),
    );
    for (const field of fields) expect(strings.hazard.form[field]).toBeTruthy();
  });

  it('say the step for every hazard event in the ticker', () => {
    expect(sorted(Object.keys(strings.live.ticker.hazard))).toEqual(
      sorted([
        'reported',
        'classified',
        'assigned',
        'handled',
        'checked',
        'closed',
        'escalated',
        'supervised',
      ]),
    );
  });
});
