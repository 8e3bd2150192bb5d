/**
 * The real inputs: district polygons and the 2023 division lists, read from data/reference/ (copies of
 * the shared reference data; the product never reads ../shared at run time).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import type { Polygonal } from './geo.ts';

export interface VillageDef {
  name: string;
  code: string;
  kind: string;
}

export interface TownshipDef {
  name: string;
  code: string;
  kind: string;
  villages: VillageDef[];
}

export interface DistrictInput {
  name: string;
  code: string;
  kind: string;
  cityName: string;
  cityCode: string;
  /** Telephone area code of the city, for synthetic landline numbers. */
  phoneAreaCode: string;
  /** Real boundary (WGS84), Polygon or MultiPolygon. */
  geometry: Polygonal;
  townships: TownshipDef[];
  /** Approximate seat of the district government (lon, lat), where the urban core is placed; may be absent. */
  seat: [number, number] | null;
}

export const REFERENCE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../data/reference',
);

const SOURCES = [
  { divisions: 'divisions_huaian.json', polygons: 'huaian_districts.geojson', phone: '0517' },
  { divisions: 'divisions_yangzhou.json', polygons: 'yangzhou_districts.geojson', phone: '0514' },
] as const;

/**
 * Rough positions (WGS84, good to a couple of kilometres) of the district seats. They only place the
 * synthetic urban core; a position outside its polygon falls back to a point near the centroid.
 * 淮安区 uses the old town of 楚州 (淮城街道).
 */
export const SEATS: Record<string, [number, number]> = {
  '320803': [119.14, 33.5],
  '320804': [119.03, 33.63],
  '320812': [119.03, 33.59],
  '320813': [118.87, 33.29],
  '320826': [119.26, 33.78],
  '320830': [118.54, 33.0],
  '320831': [119.02, 33.02],
  '321002': [119.45, 32.39],
  '321003': [119.4, 32.38],
  '321012': [119.57, 32.43],
  '321023': [119.31, 33.24],
  '321081': [119.18, 32.28],
  '321084': [119.45, 32.78],
};

interface DivisionsFile {
  city: string;
  code: string;
  districts: { name: string; code: string; kind: string; townships: TownshipDef[] }[];
}

interface DistrictProps {
  name: string;
  adcode: string;
}

/** Every district in the reference files, for listings and error messages. */
export function listDistricts(
  refDir = REFERENCE_DIR,
): { name: string; code: string; kind: string; city: string }[] {
  const out: { name: string; code: string; kind: string; city: string }[] = [];
  for (const src of SOURCES) {
    const div = JSON.parse(readFileSync(path.join(refDir, src.divisions), 'utf8')) as DivisionsFile;
    for (const d of div.districts) out.push({ name: d.name, code: d.code, kind: d.kind, city: div.city });
  }
  return out;
}

/** Load one district by its Chinese name or 6-digit code. Development zones are rejected (no polygon). */
export function loadDistrict(query: string, refDir = REFERENCE_DIR): DistrictInput {
  const q = query.trim();
  for (const src of SOURCES) {
    const div = JSON.parse(readFileSync(path.join(refDir, src.divisions), 'utf8')) as DivisionsFile;
    const d = div.districts.find((x) => x.code === q || x.name === q);
    if (!d) continue;
    if (d.kind === 'development_zone') {
      throw new Error(
        `${d.name} (${d.code}) is a development zone: an NBS statistical functional zone with no boundary ` +
          `polygon of its own (it lies inside the ordinary districts), so no demo can be generated for it. ` +
          `Pick a district, county or county-level city instead.`,
      );
    }
    const fc = JSON.parse(readFileSync(path.join(refDir, src.polygons), 'utf8')) as FeatureCollection<
      Polygonal,
      DistrictProps
    >;
    const f = fc.features.find((x: Feature<Polygonal, DistrictProps>) => x.properties.adcode === d.code);
    if (!f) throw new Error(`no polygon for ${d.name} (${d.code}) in ${src.polygons}`);
    return {
      name: d.name,
      code: d.code,
      kind: d.kind,
      cityName: div.city,
      cityCode: div.code,
      phoneAreaCode: src.phone,
      geometry: f.geometry,
      townships: d.townships,
      seat: SEATS[d.code] ?? null,
    };
  }
  const names = listDistricts(refDir)
    .map((x) => `${x.name} ${x.code}`)
    .join(', ');
  throw new Error(`unknown district "${query}"; known: ${names}`);
}
