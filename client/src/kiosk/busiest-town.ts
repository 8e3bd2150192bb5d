/** The `town` step's town: where most open hazards are (turf point-in-polygon, in the kiosk's chunk). */
import { bbox, booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

export interface TownArea {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}
export interface BusiestTown {
  code: string;
  name: string;
  open: number;
  bbox: [number, number, number, number];
}

/**
 * The town with the most of the given open hazard points (ties: the lower code), with its extent; null
 * when none lies in any town.
 */
export function busiestTown(
  points: readonly { lon: number; lat: number }[],
  towns: readonly TownArea[],
): BusiestTown | null {
  const boxes = towns.map((town) => bbox(town.geometry) as [number, number, number, number]);
  const counts = new Array<number>(towns.length).fill(0);
  for (const { lon, lat } of points) {
    const i = towns.findIndex((town, j) => {
      const [w, s, e, n] = boxes[j]!;
      return lon >= w && lon <= e && lat >= s && lat <= n && booleanPointInPolygon([lon, lat], town.geometry);
    });
    if (i >= 0) counts[i]! += 1;
  }
  let best = -1;
  for (let i = 0; i < towns.length; i++) {
    if (counts[i]! === 0) continue;
    if (
      best < 0 ||
      counts[i]! > counts[best]! ||
      (counts[i] === counts[best] && towns[i]!.code < towns[best]!.code)
    )
      best = i;
  }
  if (best < 0) return null;
  return { code: towns[best]!.code, name: towns[best]!.name, open: counts[best]!, bbox: boxes[best]! };
}
