import { describe, expect, it } from 'vitest';
import type { HazardActionBody, HazardDetail } from '../../../shared/src/schemas/hazards.ts';
import { bulkAssign, failureOf } from './bulk-assign.ts';
import { HazardRequestError } from './hazard-api.ts';

describe('failureOf', () => {
  it.each([
    { error: new HazardRequestError(409, 'hazard 3 is at version 4, not 3'), kind: 'conflict' },
    { error: new HazardRequestError(403, 'only the town_operator may do this'), kind: 'forbidden' },
    { error: new HazardRequestError(400, '"assign" needs responsible'), kind: 'invalid' },
    { error: new HazardRequestError(500, ''), kind: 'other', message: 'HTTP 500' },
    { error: new TypeError('Failed to fetch'), kind: 'other', message: 'TypeError: Failed to fetch' },
  ])('$error.message → $kind', ({ error, kind, message }) => {
    expect(failureOf(error)).toEqual({ kind, message: message ?? (error as HazardRequestError).detail });
  });
});

describe('bulkAssign', () => {
  it('sends one assign per hazard with its version, reports each row, and goes on after a refusal', async () => {
    const sent: Array<{ id: number; body: HazardActionBody }> = [];
    const act = async (id: number, body: HazardActionBody) => {
      sent.push({ id, body });
      if (id === 2) throw new HazardRequestError(409, 'changed');
      return { id, state: 'assigned', version: body.version + 1 } as HazardDetail;
    };
    const seen: number[] = [];
    const results = await bulkAssign(
      [
        { id: 1, version: 3 },
        { id: 2, version: 5 },
        { id: 3, version: 1 },
      ],
      ' 物业公司 ',
      act,
      (result) => seen.push(result.id),
    );
    expect(sent).toEqual([
      { id: 1, body: { action: 'assign', version: 3, responsible: '物业公司' } },
      { id: 2, body: { action: 'assign', version: 5, responsible: '物业公司' } },
      { id: 3, body: { action: 'assign', version: 1, responsible: '物业公司' } },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.failure.kind))).toEqual(['ok', 'conflict', 'ok']);
    expect(seen).toEqual([1, 2, 3]);
  });
});
