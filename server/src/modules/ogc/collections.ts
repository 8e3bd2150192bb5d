import {
  GRID_LEVELS,
  RISK_COLOURS,
  ROAD_CLASSES,
  SAFETY_CATEGORIES,
  STATION_STATUSES,
  STATION_TIERS,
  WATER_SOURCE_KINDS,
  WATER_SOURCE_STATUSES,
  ADMIN_LEVELS,
} from '../../../../shared/src/domain.ts';
import type { CollectionId } from '../../../../shared/src/schemas/features.ts';

/** A property a client may filter items on (`?level=town,village`), with its allowed values. */
export interface CollectionFilter {
  param: string;
  values: readonly string[];
  description: string;
}

export interface CollectionDefinition {
  id: CollectionId;
  title: string;
  description: string;
  /** numeric ids (roads) or codes */
  idType: 'integer' | 'string';
  filters: CollectionFilter[];
}

/** The collections served at /ogc/collections, in the order they are listed. */
export const COLLECTIONS: CollectionDefinition[] = [
  {
    id: 'admin-areas',
    title: '行政区划 Administrative areas',
    description:
      'County (real boundary), towns and villages (generated polygons carrying the real 2023 NBS names and codes).',
    idType: 'string',
    filters: [{ param: 'level', values: ADMIN_LEVELS, description: 'county, town or village' }],
  },
  {
    id: 'grids',
    title: '网格 Grids',
    description: 'Grids in three levels: town/street, village/community, unit grid (about 1,000 people).',
    idType: 'string',
    filters: [{ param: 'level', values: GRID_LEVELS, description: 'town, village or unit' }],
  },
  {
    id: 'stations',
    title: '消防力量 Fire forces',
    description: 'Fire rescue stations, full-time teams, skid-mounted joint stations and micro stations.',
    idType: 'string',
    filters: [
      { param: 'tier', values: STATION_TIERS, description: 'force tier' },
      { param: 'status', values: STATION_STATUSES, description: 'availability' },
    ],
  },
  {
    id: 'water-sources',
    title: '消防水源 Water sources',
    description:
      'Municipal hydrants, fire pools, natural intakes and fire cranes with flow, pressure and status.',
    idType: 'string',
    filters: [
      { param: 'kind', values: WATER_SOURCE_KINDS, description: 'kind of water source' },
      { param: 'status', values: WATER_SOURCE_STATUSES, description: 'service status' },
    ],
  },
  {
    id: 'enterprises',
    title: '企业 Enterprises',
    description: 'Enterprises under safety supervision with category and four-colour risk.',
    idType: 'string',
    filters: [
      { param: 'risk', values: RISK_COLOURS, description: 'four-colour risk' },
      { param: 'category', values: SAFETY_CATEGORIES, description: 'safety category' },
    ],
  },
  {
    id: 'roads',
    title: '道路 Roads',
    description:
      'Directed-capable road edges with pgRouting conventions: source, target, cost_s, reverse_cost_s (−1 = not passable that way).',
    idType: 'integer',
    filters: [{ param: 'class', values: ROAD_CLASSES, description: 'road class' }],
  },
  {
    id: 'coverage-circles',
    title: '5分钟消防圈（直线） Coverage circles',
    description:
      "Straight-line coverage circle per force from its tier's target minutes (micro stations 3, others 5); radius rule in the properties.",
    idType: 'string',
    filters: [
      { param: 'tier', values: STATION_TIERS, description: 'force tier' },
      { param: 'status', values: STATION_STATUSES, description: 'availability' },
    ],
  },
  {
    id: 'waterways',
    title: '河道 Waterways',
    description: 'Rivers and canals that only bridges cross (illustrative geometry).',
    idType: 'string',
    filters: [],
  },
];

export function findCollection(id: string): CollectionDefinition | undefined {
  return COLLECTIONS.find((c) => c.id === id);
}
