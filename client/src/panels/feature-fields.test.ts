import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/locales/en.ts';
import { zhCN } from '../i18n/locales/zh-CN.ts';
import { enterprise, grid, station, waterSource } from '../test-support/features.ts';
import { DETAIL_FIELDS, describeSelection, type Translate } from './feature-fields.ts';

async function translator(language: 'zh-CN' | 'en'): Promise<Translate> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: language,
    interpolation: { escapeValue: false },
  });
  return instance.t.bind(instance) as Translate;
}

const rowsOf = (description: ReturnType<typeof describeSelection>) =>
  Object.fromEntries(description.rows.map((row) => [row.label, row.value]));

describe('describeSelection (zh-CN)', () => {
  it('shows a station with Chinese labels, tier, class, status and units', async () => {
    const t = await translator('zh-CN');
    const description = describeSelection(
      { collection: 'stations', feature: station({ status: 'busy', crew: 1234 }) },
      t,
      'zh-CN',
    );
    expect(description.collectionLabel).toBe('消防站点');
    expect(description.title).toBe('淮城消防救援站');
    expect(rowsOf(description)).toMatchObject({
      类别: '消防救援站',
      等级: '一级普通消防站',
      状态: '出警中',
      人员: '1,234 人',
      车辆: '6 辆',
      目标到场时间: '5 分钟',
    });
    expect(Object.keys(rowsOf(description))).not.toContain('电话'); // no phone: no row
    expect(Object.keys(rowsOf(description))).not.toContain('名称'); // the name is the title
    expect(description.synthetic).toBe(true);
  });

  it.each([
    {
      name: 'grid',
      selection: {
        collection: 'grids' as const,
        feature: grid({ level: 'unit', population: 1020, area_km2: 0.0123 }),
      },
      expected: {
        层级: '单元网格',
        人口: '1,020 人',
        户数: '1,400 户',
        面积: '0.01 平方公里',
        网格员: '王芳',
      },
    },
    {
      name: 'water source',
      selection: { collection: 'water-sources' as const, feature: waterSource({ status: 'out_of_service' }) },
      expected: { 类型: '市政消火栓', 状态: '停用', 流量: '20 升/秒', 最近巡检: '2024年5月1日' },
    },
    {
      name: 'enterprise',
      selection: { collection: 'enterprises' as const, feature: enterprise({ risk: 'orange' }) },
      expected: { 风险等级: '较大风险（橙）', 行业类别: '危险化学品', 从业人员: '120 人' },
    },
  ])('shows a $name', async ({ selection, expected }) => {
    const t = await translator('zh-CN');
    expect(rowsOf(describeSelection(selection, t, 'zh-CN'))).toMatchObject(expected);
  });

  it('falls back to the code as the title of a nameless water source', async () => {
    const t = await translator('zh-CN');
    const description = describeSelection(
      { collection: 'water-sources', feature: waterSource({ code: 'WS42' }) },
      t,
      'zh-CN',
    );
    expect(description.title).toBe('WS42');
  });
});

describe('describeSelection (en)', () => {
  it('switches labels and enum values to English', async () => {
    const t = await translator('en');
    const rows = rowsOf(describeSelection({ collection: 'stations', feature: station() }, t, 'en'));
    expect(rows).toMatchObject({
      Tier: 'Fire rescue station',
      Status: 'Available',
      'Target arrival': '5 min',
    });
  });
});

describe('DETAIL_FIELDS', () => {
  it.each(Object.entries(DETAIL_FIELDS).map(([collection, fields]) => ({ collection, fields })))(
    '$collection: every field has a label in both languages and the name comes first',
    ({ collection, fields }) => {
      expect(fields[0]?.key).toBe('name');
      const zh = zhCN.fields[collection as keyof typeof zhCN.fields] as Record<string, string>;
      const english = en.fields[collection as keyof typeof en.fields] as Record<string, string>;
      for (const field of fields) {
        expect(zh[field.key], `${collection}.${field.key}`).toBeTruthy();
        expect(english[field.key], `${collection}.${field.key}`).toBeTruthy();
      }
    },
  );
});
