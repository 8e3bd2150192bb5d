import { describe, expect, it } from 'vitest';
import { searchForView, viewFromSearch } from './view.ts';

describe('viewFromSearch', () => {
  it.each([
    { search: '', state: { view: 'wall', hazardId: null } },
    { search: '?view=inbox', state: { view: 'inbox', hazardId: null } },
    { search: '?view=inbox&hazard=12&lang=en', state: { view: 'inbox', hazardId: 12 } },
    { search: '?view=inbox&hazard=-3', state: { view: 'inbox', hazardId: null } },
    { search: '?view=inbox&hazard=x', state: { view: 'inbox', hazardId: null } },
    { search: '?view=map&hazard=12', state: { view: 'wall', hazardId: null } },
    { search: '?view=desk&lang=en', state: { view: 'desk', hazardId: null } },
    { search: '?view=desk&hazard=12', state: { view: 'desk', hazardId: null } },
    { search: '?view=plan', state: { view: 'plan', hazardId: null } },
    { search: '?view=ledger&lang=en', state: { view: 'ledger', hazardId: null } },
  ])('"$search"', ({ search, state }) => {
    expect(viewFromSearch(search)).toEqual(state);
  });
});

describe('searchForView', () => {
  it.each([
    { search: '?lang=en', state: { view: 'inbox', hazardId: 7 }, result: '?lang=en&view=inbox&hazard=7' },
    { search: '?view=inbox&hazard=7', state: { view: 'wall', hazardId: 7 }, result: '' },
    { search: '?view=inbox&hazard=7', state: { view: 'inbox', hazardId: null }, result: '?view=inbox' },
    { search: '?lang=en', state: { view: 'desk', hazardId: null }, result: '?lang=en&view=desk' },
  ] as const)('$state.view $state.hazardId from "$search"', ({ search, state, result }) => {
    expect(searchForView(search, state)).toBe(result);
  });
});
