/**
 * No PBF tool is available offline to make a fixture, so the test encodes the XML fixture as PBF
 * (an OSMHeader blob, then one zlib OSMData blob with dense nodes and ways, as osmium writes them)
 * and checks the PBF reader gives back what the XML reader reads.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readOsmPbf } from './osm-pbf.ts';
import { readOsmXml, type OsmNode, type OsmWay } from './osm-xml.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../data/fixtures/osm/grid-town.osm');

/** Protobuf writer for the few field kinds OSM PBF uses. */
class Message {
  private parts: number[] = [];
  private static varint(out: number[], n: number) {
    while (n >= 128) {
      out.push((n % 128) | 128);
      n = Math.floor(n / 128);
    }
    out.push(n);
  }
  private static zigzag = (n: number) => (n < 0 ? -2 * n - 1 : 2 * n);
  varint(field: number, n: number) {
    Message.varint(this.parts, field * 8);
    Message.varint(this.parts, n);
    return this;
  }
  sint(field: number, n: number) {
    return this.varint(field, Message.zigzag(n));
  }
  bytes(field: number, data: Uint8Array) {
    Message.varint(this.parts, field * 8 + 2);
    Message.varint(this.parts, data.length);
    this.parts.push(...data);
    return this;
  }
  string(field: number, s: string) {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  packed(field: number, values: number[], signed: boolean) {
    const body: number[] = [];
    for (const v of values) Message.varint(body, signed ? Message.zigzag(v) : v);
    return this.bytes(field, Uint8Array.from(body));
  }
  finish() {
    return Uint8Array.from(this.parts);
  }
}

const deltas = (xs: number[]) => xs.map((x, i) => x - (i > 0 ? xs[i - 1]! : 0));

function fileBlock(type: string, data: Uint8Array): Buffer {
  const blob = new Message().varint(2, data.length).bytes(3, deflateSync(data)).finish();
  const header = new Message().string(1, type).varint(3, blob.length).finish();
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([length, header, blob]);
}

function encodePbf(nodes: OsmNode[], ways: OsmWay[]): Buffer {
  const strings = [''];
  const index = (s: string) => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  const nano = (deg: number) => Math.round(deg * 1e7); // granularity 100 nanodegrees
  const dense = new Message()
    .packed(1, deltas(nodes.map((n) => n.id)), true)
    .packed(8, deltas(nodes.map((n) => nano(n.lat))), true)
    .packed(9, deltas(nodes.map((n) => nano(n.lon))), true)
    .finish();
  const group = new Message().bytes(2, dense);
  for (const w of ways) {
    const keys = Object.keys(w.tags);
    group.bytes(
      3,
      new Message()
        .varint(1, w.id)
        .packed(2, keys.map(index), false)
        .packed(
          3,
          keys.map((k) => index(w.tags[k]!)),
          false,
        )
        .packed(8, deltas(w.nodeIds), true)
        .finish(),
    );
  }
  const table = new Message();
  for (const s of strings) table.string(1, s);
  const block = new Message().bytes(1, table.finish()).bytes(2, group.finish()).finish();
  const header = new Message().string(4, 'OsmSchema-V0.6').string(4, 'DenseNodes').finish();
  return Buffer.concat([fileBlock('OSMHeader', header), fileBlock('OSMData', block)]);
}

async function readAll(read: typeof readOsmXml, file: string) {
  const nodes: OsmNode[] = [];
  const ways: OsmWay[] = [];
  await read(file, { node: (n) => nodes.push(n), way: (w) => ways.push(w) });
  return { nodes, ways };
}

describe('readOsmPbf', () => {
  it('reads the dense nodes, ways and tags of a PBF encoding of the fixture', async () => {
    const xml = await readAll(readOsmXml, FIXTURE);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridwatch-pbf-'));
    try {
      const file = path.join(dir, 'grid-town.osm.pbf');
      await writeFile(file, encodePbf(xml.nodes, xml.ways));
      const pbf = await readAll(readOsmPbf, file);
      expect(pbf.ways).toEqual(xml.ways);
      expect(pbf.nodes.map((n) => n.id)).toEqual(xml.nodes.map((n) => n.id));
      pbf.nodes.forEach((n, i) => {
        expect(n.lon).toBeCloseTo(xml.nodes[i]!.lon, 7);
        expect(n.lat).toBeCloseTo(xml.nodes[i]!.lat, 7);
      });
      expect(xml.ways).toHaveLength(30);
      expect(xml.nodes).toHaveLength(63);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
