/**
 * Which properties the detail panel and tooltip show for each collection, in which order, and how
 * each value reads (enum labels, units, zh-CN number and date formats). Pure: it takes `t`.
 */
import type { CollectionPropertiesMap } from '../../../shared/src/schemas/features.ts';
import type { Selection, SelectableCollection } from '../app/ui-store.ts';
import { formatDate, formatNumber } from '../i18n/format.ts';
import type { Translation } from '../i18n/locales/zh-CN.ts';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

type FieldFormat =
  | { kind: 'text' }
  | { kind: 'enum'; enum: keyof Translation['enums'] }
  | { kind: 'unit'; unit: keyof Translation['units']; digits?: number }
  | { kind: 'date' };

export interface FieldSpec<C extends SelectableCollection> {
  key: keyof CollectionPropertiesMap[C] & string;
  format: FieldFormat;
}

const text = { kind: 'text' } as const;
const enumOf = (name: keyof Translation['enums']): FieldFormat => ({ kind: 'enum', enum: name });
const unit = (name: keyof Translation['units'], digits = 0): FieldFormat => ({
  kind: 'unit',
  unit: name,
  digits,
});

export const DETAIL_FIELDS: { [C in SelectableCollection]: readonly FieldSpec<C>[] } = {
  stations: [
    { key: 'name', format: text },
    { key: 'tier', format: enumOf('tier') },
    { key: 'station_class', format: enumOf('stationClass') },
    { key: 'status', format: enumOf('stationStatus') },
    { key: 'crew', format: unit('people') },
    { key: 'vehicles', format: unit('vehicles') },
    { key: 'target_minutes', format: unit('minutes') },
    { key: 'address', format: text },
    { key: 'phone', format: text },
    { key: 'code', format: text },
  ],
  grids: [
    { key: 'name', format: text },
    { key: 'level', format: enumOf('gridLevel') },
    { key: 'population', format: unit('people') },
    { key: 'households', format: unit('households') },
    { key: 'area_km2', format: unit('km2', 2) },
    { key: 'member_name', format: text },
    { key: 'member_phone', format: text },
    { key: 'code', format: text },
  ],
  'water-sources': [
    { key: 'name', format: text },
    { key: 'kind', format: enumOf('waterKind') },
    { key: 'status', format: enumOf('waterStatus') },
    { key: 'flow_lps', format: unit('lps', 1) },
    { key: 'pressure_mpa', format: unit('mpa', 2) },
    { key: 'capacity_m3', format: unit('m3') },
    { key: 'last_inspected_at', format: { kind: 'date' } },
    { key: 'code', format: text },
  ],
  enterprises: [
    { key: 'name', format: text },
    { key: 'risk', format: enumOf('risk') },
    { key: 'category', format: enumOf('category') },
    { key: 'employees', format: unit('people') },
    { key: 'address', format: text },
    { key: 'code', format: text },
  ],
};

/** How many of the leading rows the hover tooltip shows under the title. */
export const TOOLTIP_ROW_COUNT = 3;

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** Formats a property that has a value (describeSelection leaves the empty ones out). */
export function formatFieldValue(
  value: unknown,
  format: FieldFormat,
  t: Translate,
  language: string,
): string {
  switch (format.kind) {
    case 'enum':
      return t(`enums.${format.enum}.${String(value)}`);
    case 'unit':
      return typeof value === 'number'
        ? t(`units.${format.unit}`, { value: formatNumber(value, language, format.digits) })
        : String(value);
    case 'date':
      return formatDate(String(value), language);
    case 'text':
      return String(value);
  }
}

export interface FeatureDescription {
  collectionLabel: string;
  /** The feature's name, or its code where it has none. */
  title: string;
  /** The other fields that have a value, in DETAIL_FIELDS order. */
  rows: { key: string; label: string; value: string }[];
  synthetic: boolean;
}

export function describeSelection(selection: Selection, t: Translate, language: string): FeatureDescription {
  const { collection } = selection;
  const properties = selection.feature.properties as unknown as Record<string, unknown>;
  const fields = DETAIL_FIELDS[collection] as readonly FieldSpec<SelectableCollection>[];
  // The name is the title; a property without a value (a micro station's class) is left out.
  const rows = fields
    .filter((field) => field.key !== 'name' && !isEmpty(properties[field.key]))
    .map((field) => ({
      key: field.key,
      label: t(`fields.${collection}.${field.key}`),
      value: formatFieldValue(properties[field.key], field.format, t, language),
    }));
  const name = properties['name'];
  return {
    collectionLabel: t(`collections.${collection}`),
    title: typeof name === 'string' && name ? name : String(properties['code'] ?? ''),
    rows,
    synthetic: properties['synthetic'] === true,
  };
}
