import { describe, expect, it } from 'vitest';
import type { HazardLive, HazardSeverity, HazardState } from '../../../../shared/src/schemas/live.ts';
import type { HazardRow } from '../../live/live-store.ts';
import { accessor } from '../../test-support/features.ts';
import { hazardIcon } from '../icons.ts';
import { HAZARD_PULSE, HAZARD_SEVERITY_SYMBOLS, HAZARD_STATE_COLOURS } from '../symbols.ts';
import {
  buildHazardPulseLayer,
  buildLiveHazardsLayer,
  hazardSizePx,
  LIVE_HAZARD_PULSE_LAYER_ID,
  LIVE_HAZARDS_LAYER_ID,
  pulsingHazards,
} from './live-hazards.ts';

function row(overrides: Partial<HazardLive> = {}, extra: Partial<HazardRow> = {}): HazardRow {
  return {
    hazard: {
      id: 1,
      category: 'fire_safety',
      state: 'reported',
      severity: null,
      lon: 119.15,
      lat: 33.5,
      title: '消防通道被占用',
      reportedAt: '2026-11-28T08:00:00Z',
      reporter: '王建国',
      photos: 0,
      deadline: null,
      yellowAt: null,
      level: 'village',
      department: null,
      supervised: false,
      version: 1,
      ...overrides,
    },
    open: true,
    arrivedAt: 0,
    place: null,
    ...extra,
  };
}

const options = { visible: true, scale: 1 };
const STATES: HazardState[] = ['reported', 'classified', 'assigned', 'handling', 'checking', 'closed'];
const SEVERITIES: Array<HazardSeverity | null> = ['major', 'general', null];

describe('buildLiveHazardsLayer', () => {
  const cases = STATES.flatMap((state) => SEVERITIES.map((severity) => ({ state, severity })));
  it.each(cases)('$state / $severity: fill by state, shape and size by severity', ({ state, severity }) => {
    const layer = buildLiveHazardsLayer([], options);
    const hazard = row({ state, severity });
    const icon = accessor<HazardRow, ReturnType<typeof hazardIcon>>(layer.props.getIcon)(hazard);
    expect(icon).toBe(hazardIcon(state, severity));
    expect(icon.id).toBe(`hazard/${state}/${severity ?? 'unclassified'}`);
    expect(decodeURIComponent(icon.url)).toContain(`rgb(${HAZARD_STATE_COLOURS[state].join(',')})`);
    expect(accessor<HazardRow, number>(layer.props.getSize)(hazard)).toBe(
      HAZARD_SEVERITY_SYMBOLS[severity ?? 'unclassified'].sizePx,
    );
  });

  it('every state has its own fill and every severity its own shape', () => {
    expect(new Set(STATES.map((s) => HAZARD_STATE_COLOURS[s].join())).size).toBe(STATES.length);
    expect(new Set(Object.values(HAZARD_SEVERITY_SYMBOLS).map((s) => s.shape)).size).toBe(3);
  });

  it('draws a closed row at size 0 (it stays until the next snapshot)', () => {
    expect(hazardSizePx(row({}, { open: false }))).toBe(0);
  });

  it('stable id, pickable, positioned at the hazard, rows diffed by identity', () => {
    const first = row();
    const layer = buildLiveHazardsLayer([first], { visible: true, scale: 2 });
    expect(layer.id).toBe(LIVE_HAZARDS_LAYER_ID);
    expect(layer.props.pickable).toBe(true);
    expect(layer.props.sizeScale).toBe(2);
    expect(accessor<HazardRow, number[]>(layer.props.getPosition)(first)).toEqual([119.15, 33.5]);
    const diff = layer.props._dataDiff as (next: unknown, previous?: unknown) => unknown;
    const second = row({ id: 2 });
    expect(diff([first, second], [first])).toEqual([{ startRow: 1, endRow: 2 }]);
  });
});

describe('pulse', () => {
  it.each([
    { name: 'just arrived', arrivedAt: 10_000, open: true, pulses: true },
    {
      name: `arrived ${HAZARD_PULSE.durationMs} ms ago`,
      arrivedAt: 10_000 - HAZARD_PULSE.durationMs,
      open: true,
      pulses: false,
    },
    { name: 'came with the snapshot', arrivedAt: 0, open: true, pulses: false },
    { name: 'closed meanwhile', arrivedAt: 9_000, open: false, pulses: false },
  ])('$name → pulses: $pulses', ({ arrivedAt, open, pulses }) => {
    expect(pulsingHazards([row({}, { arrivedAt, open })], 10_000)).toHaveLength(pulses ? 1 : 0);
  });

  it.each([
    { now: 0, radiusScale: 1, opacity: 1 },
    { now: HAZARD_PULSE.periodMs / 2, radiusScale: 1.75, opacity: 0.5 },
  ])(
    'at $now ms the ring is scaled $radiusScale with opacity $opacity (uniforms only)',
    ({ now, radiusScale, opacity }) => {
      const layer = buildHazardPulseLayer([row()], { ...options, now });
      expect(layer.id).toBe(LIVE_HAZARD_PULSE_LAYER_ID);
      expect(layer.props.radiusScale).toBeCloseTo(radiusScale);
      expect(layer.props.opacity).toBeCloseTo(opacity);
    },
  );

  it('is hidden when nothing pulses', () => {
    expect(buildHazardPulseLayer([], { ...options, now: 0 }).props.visible).toBe(false);
  });
});
