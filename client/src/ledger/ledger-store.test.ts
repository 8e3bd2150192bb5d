import { describe, expect, it } from 'vitest';
import type { PatrolCompliance, PatrolComplianceRow } from '../../../shared/src/schemas/patrol.ts';
import { accessor, grid } from '../test-support/features.ts';
import {
  buildComplianceLayer,
  complianceFeatures,
  complianceFill,
  COMPLIANCE_LAYER_ID,
} from '../map/layers/compliance.ts';
import { COMPLIANCE_CLASSES, complianceClass } from '../map/symbols.ts';
import { createLedgerStore, initialLedgerState, listFileName, listUrl } from './ledger-store.ts';

const row = (code: string, compliantPct: number): PatrolComplianceRow => ({
  code,
  name: code,
  level: 'village',
  village: code,
  town: 'G320803001',
  reports: 0,
  units: 4,
  patrolOk: 0,
  reportsOk: 0,
  compliant: (compliantPct / 100) * 4,
  compliantPct,
});
const compliance = (rows: PatrolComplianceRow[], month = '2026-11'): PatrolCompliance => ({
  month,
  level: 'village',
  from: '2026-10-31T16:00:00.000Z',
  to: '2026-11-30T16:00:00.000Z',
  weeks: [],
  monthOver: false,
  rule: { reportsPerMonth: 2, minInsideS: 300 },
  rows,
  total: { reports: 0, units: 4, patrolOk: 0, reportsOk: 0, compliant: 0, compliantPct: 0 },
});

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });

describe('the ledger store', () => {
  it('asks for each list by its period and format, and names its workbook', () => {
    const state = { month: '2026-11', half: 2 as const };
    expect(listUrl({ ...state, list: 'key-hazards' })).toBe(
      '/api/ledger/key-hazards?half=2026-11-2&format=json',
    );
    expect(listUrl({ ...state, list: 'bulletin' }, 'xlsx')).toBe(
      '/api/ledger/bulletin?month=2026-11&format=xlsx',
    );
    expect(listUrl({ ...state, list: 'coordination' }, 'html')).toBe(
      '/api/ledger/coordination?month=2026-11&format=html',
    );
    expect(listFileName({ ...state, list: 'key-hazards' })).toBe('key-hazards-2026-11-2.xlsx');
    expect(listFileName({ ...state, list: 'joint-tackling' })).toBe('joint-tackling-2026-11.xlsx');
  });

  it('starts on the Beijing month and half month', () => {
    // 16:30 UTC on 15 November is 00:30 on the 16th in Beijing
    expect(initialLedgerState(new Date('2026-11-15T16:30:00Z'))).toMatchObject({ month: '2026-11', half: 2 });
    expect(initialLedgerState(new Date('2026-11-30T16:30:00Z'))).toMatchObject({ month: '2026-12', half: 1 });
  });

  it('keeps the answer of the month asked last, whichever arrives first', async () => {
    const asked: string[] = [];
    const waiting: (() => void)[] = [];
    const fetch = (async (url: string) => {
      asked.push(url);
      const month = /month=(\d{4}-\d{2})/.exec(url)?.[1] ?? '';
      // the first month asked answers last
      if (month === '2026-09') await new Promise<void>((resolve) => waiting.push(resolve));
      return json(url.includes('/compliance') ? compliance([row('G1', 50)], month) : { final: true, month });
    }) as unknown as typeof globalThis.fetch;
    const store = createLedgerStore(() => fetch);
    const slow = store.setMonth('2026-09');
    await store.setMonth('2026-10');
    waiting.forEach((resolve) => resolve());
    await slow;
    expect(store.getSnapshot().compliance?.month).toBe('2026-10');
    expect(store.getSnapshot().loading).toBe(0);
    expect(asked).toContain('/api/patrols/compliance?month=2026-10&level=village');
    expect(asked).toContain(
      '/api/ledger/key-hazards?half=2026-10-' + store.getSnapshot().half + '&format=json',
    );
    // an invalid month typed half-way is not asked for
    await store.setMonth('2026-1');
    expect(store.getSnapshot().month).toBe('2026-10');
  });

  it('shows the server’s refusal', async () => {
    const fetch = (async () =>
      new Response(JSON.stringify({ message: 'month must match', field: 'query.month' }), {
        status: 400,
      })) as unknown as typeof globalThis.fetch;
    const store = createLedgerStore(() => fetch);
    await store.setLevel('town');
    expect(store.getSnapshot().error).toBe('400 month must match (query.month)');
  });
});

describe('the compliance layer', () => {
  it('colours by class, from orange (few comply) to purple (all do)', () => {
    expect(complianceClass(0).key).toBe('under50');
    expect(complianceClass(49.9).key).toBe('under50');
    expect(complianceClass(50).key).toBe('under80');
    expect(complianceClass(99.9).key).toBe('under100');
    expect(complianceClass(100).key).toBe('all');
    expect(complianceFill(100).slice(0, 3)).toEqual([...COMPLIANCE_CLASSES[3].colour]);
  });

  it('draws the grids that have a row, outlining the ones short of full compliance thicker', () => {
    const grids = [grid({ code: 'G1' }), grid({ code: 'G2' }), grid({ code: 'G3' })];
    const shown = complianceFeatures(grids, compliance([row('G1', 100), row('G3', 25)]));
    expect(shown.features.map((f) => [f.properties.code, shown.pctOf.get(f.properties.code)])).toEqual([
      ['G1', 100],
      ['G3', 25],
    ]);
    const layer = buildComplianceLayer(shown, 'G1', { scale: 2 });
    expect(layer.id).toBe(COMPLIANCE_LAYER_ID);
    expect((layer.props.data as unknown[]).length).toBe(2);
    // the same answer draws from the same array (deck.gl would tessellate a new one again)
    expect(buildComplianceLayer(shown, null, { scale: 1 }).props.data).toBe(layer.props.data);
    const width = accessor<(typeof grids)[number], number>(layer.props.getLineWidth);
    expect(width(grids[0]!)).toBe(8);
    expect(width(grids[2]!)).toBe(4);
    const fill = accessor<(typeof grids)[number], number[]>(layer.props.getFillColor);
    expect(fill(grids[2]!).slice(0, 3)).toEqual([...COMPLIANCE_CLASSES[0].colour]);
  });
});
