/**
 * Imports the synthetic OSM fixture (data/fixtures/osm/grid-town.osm: a 5×5 street grid with a one-way
 * pair, a roundabout, a motorway with links and ways to skip) and checks the network the routing engine
 * builds from it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROAD_CLASS_SPEED_KMH } from '../../shared/src/domain.ts';
import { RoutingEngine } from '../../server/src/modules/routing/engine.ts';
import { buildRoadGraph, haversineM } from '../../server/src/modules/routing/graph.ts';
import { routingRepository } from '../../server/src/modules/routing/repo.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { importOsmRoads, type ImportSummary } from './import.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../data/fixtures/osm/grid-town.osm');
const WITHIN = 0.01;

/** Grid corner coordinates as the fixture places them: column i, row j. */
const lon = (i: number) => 119.4 + 0.002 * i;
const lat = (j: number) => 32.4 + 0.002 * j;
const blockX = haversineM(lon(0), lat(0), lon(1), lat(0));
const blockY = haversineM(lon(0), lat(0), lon(0), lat(1));
const mps = (kmh: number) => kmh / 3.6;

interface RoadRow {
  id: number;
  source: number;
  target: number;
  class: string;
  speed_kmh: number;
  length_m: number;
  oneway: boolean;
  cost_s: number;
  reverse_cost_s: number;
  points: number;
  x0: number;
  x1: number;
}

describe.each(BACKENDS)('import:roads on %s', (backend) => {
  let db: TestDatabase;
  let summary: ImportSummary;

  const roads = async (name: string) =>
    (
      await db.pool.query<RoadRow>(
        `SELECT id::int, source::int, target::int, class, speed_kmh, length_m, oneway, cost_s, reverse_cost_s,
                ST_NPoints(geom) AS points, ST_X(ST_StartPoint(geom)) AS x0, ST_X(ST_EndPoint(geom)) AS x1
           FROM road WHERE name = $1 ORDER BY id`,
        [name],
      )
    ).rows;
  const nodeAt = async (i: number, j: number) => {
    const { rows } = await db.pool.query<{ id: number }>(
      'SELECT id::int FROM road_node WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326), 1e-9)',
      [lon(i), lat(j)],
    );
    expect(rows, `one road node at grid corner ${i},${j}`).toHaveLength(1);
    return rows[0]!.id;
  };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    summary = await importOsmRoads(db.pool, FIXTURE, { replace: true });
  });
  afterAll(async () => db?.destroy());

  it('reads every way, writes the split edges and says what it skipped', async () => {
    expect(summary).toEqual({
      waysRead: 30,
      roadWays: 22,
      nodesWritten: 37,
      edgesWritten: 55,
      onewayEdges: 20,
      skipped: {
        footway: 1,
        path: 1,
        cycleway: 1,
        steps: 1,
        construction: 1,
        proposed: 1,
        'not a highway': 2,
      },
    });
    const { rows } = await db.pool.query<{ roads: number; nodes: number; synthetic: number }>(
      `SELECT (SELECT count(*)::int FROM road) AS roads, (SELECT count(*)::int FROM road_node) AS nodes,
              (SELECT count(*)::int FROM road WHERE synthetic) AS synthetic`,
    );
    // --replace: the demo network is gone
    expect(rows[0]).toEqual({ roads: 55, nodes: 37, synthetic: 0 });
  });

  it('splits ways at intersections, one edge per block', async () => {
    const south = await roads('South Lane');
    expect(south).toHaveLength(4);
    for (const r of south) expect(r.points).toBe(2);
    // Main Road is two OSM ways of two blocks each
    expect(await roads('Main Road')).toHaveLength(4);
    // the dead-end yard lane keeps its middle vertex: it meets nothing there
    expect((await roads('Smith & Sons Yard')).map((r) => r.points)).toEqual([3]);
  });

  it('makes one-way edges impassable backwards, in the direction the tag says', async () => {
    const { rows } = await db.pool.query<{ wrong: number }>(
      'SELECT count(*)::int AS wrong FROM road WHERE oneway <> (reverse_cost_s = -1)',
    );
    expect(rows[0]!.wrong).toBe(0);
    const ferry = await roads('Ferry Street'); // oneway=yes, drawn west to east
    expect(ferry.every((r) => r.oneway && r.reverse_cost_s === -1 && r.x1 > r.x0)).toBe(true);
    const mill = await roads('Mill Street'); // oneway=-1, drawn west to east, driven east to west
    expect(mill.every((r) => r.oneway && r.reverse_cost_s === -1 && r.x1 < r.x0)).toBe(true);
    const north = await roads('North Lane'); // oneway=no
    expect(north.every((r) => !r.oneway && r.reverse_cost_s === r.cost_s)).toBe(true);
  });

  it('treats the roundabout and the motorway as one-way', async () => {
    const ring = await roads('Tower Roundabout');
    expect(ring).toHaveLength(2);
    expect(ring.every((r) => r.oneway && r.reverse_cost_s === -1 && r.class === 'arterial')).toBe(true);
    const motorway = await roads('Coast Expressway');
    expect(motorway.every((r) => r.oneway && r.class === 'expressway')).toBe(true);
  });

  it('skips the footway', async () => {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM road
        WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint(119.401, 32.401), 4326), 1e-7)`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('costs an edge its geodesic length over its speed, maxspeed capped by the class', async () => {
    const [main] = await roads('Main Road'); // maxspeed=60, capped at the arterial 50
    expect(main!.speed_kmh).toBe(ROAD_CLASS_SPEED_KMH.arterial);
    expect(Math.abs(main!.length_m - blockX) / blockX).toBeLessThan(WITHIN);
    const expected = blockX / mps(50);
    expect(Math.abs(main!.cost_s - expected) / expected).toBeLessThan(WITHIN);
    const [station] = await roads('Station Road'); // tertiary, maxspeed=30 below the collector 40
    expect(station!.speed_kmh).toBe(30);
    expect(Math.abs(station!.cost_s - blockY / mps(30)) / (blockY / mps(30))).toBeLessThan(WITHIN);
  });

  it('gives the routing engine real travel times across the grid', async () => {
    const engine = new RoutingEngine(buildRoadGraph(await routingRepository.roadEdges(db.pool)));
    const along = (metres: number, kmh: number) => metres / mps(kmh);
    const near = (actual: number, expected: number) =>
      expect(Math.abs(actual - expected) / expected, `${actual} s vs ${expected} s`).toBeLessThan(WITHIN);

    // South Lane, four residential blocks at 30 km/h
    near(engine.nodeToNodeS(await nodeAt(0, 0), await nodeAt(4, 0)), along(4 * blockX, 30));
    // with Ferry Street's one-way: east along it, ...
    near(engine.nodeToNodeS(await nodeAt(0, 1), await nodeAt(4, 1)), along(4 * blockX, 30));
    // ... west by Field Road (30 mph, capped at the village 25 km/h), Main Road (50) and West Street (30)
    near(
      engine.nodeToNodeS(await nodeAt(4, 1), await nodeAt(0, 1)),
      along(blockY, 25) + along(4 * blockX, 50) + along(blockY, 30),
    );
  });

  it('adds to the network without --replace, keeping ids apart', async () => {
    const bbox: [number, number, number, number] = [119.3995, 32.3995, 119.4085, 32.4025];
    const added = await importOsmRoads(db.pool, FIXTURE, { replace: false, bbox });
    // rows 0 and 1 (four blocks each) and the five columns' first block
    expect(added.edgesWritten).toBe(13);
    const { rows } = await db.pool.query<{ roads: number; nodes: number }>(
      'SELECT (SELECT count(*)::int FROM road) AS roads, (SELECT count(*)::int FROM road_node) AS nodes',
    );
    expect(rows[0]).toEqual({ roads: 55 + 13, nodes: 37 + 10 });
  });
});
