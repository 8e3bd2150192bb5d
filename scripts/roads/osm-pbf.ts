/**
 * Reads an OSM PBF file (https://wiki.openstreetmap.org/wiki/PBF_Format) blob by blob: each
 * `OSMData` blob is inflated and its nodes, dense nodes and ways handed to the same callbacks as the
 * XML reader. Only the protobuf wire format's varints and length-delimited fields are needed, so they
 * are decoded here; relations and metadata are skipped.
 */
import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import type { OsmHandlers } from './osm-xml.ts';

/** Minimal protobuf reader over one message. */
class Fields {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  }
  /** int64: a negative value arrives as its 64-bit two's complement */
  int64(): number {
    const n = this.varint();
    return n >= 2 ** 63 ? n - 2 ** 64 : n;
  }
  svarint(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
  bytes(): Uint8Array {
    const len = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  /** next field as [number, wire type] */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k % 8];
  }
  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos += this.varint();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  packed(signed: boolean): number[] {
    const sub = new Fields(this.bytes());
    const out: number[] = [];
    while (!sub.done) out.push(signed ? sub.svarint() : sub.varint());
    return out;
  }
}

const text = new TextDecoder();

function blobData(blob: Uint8Array): Uint8Array {
  const f = new Fields(blob);
  while (!f.done) {
    const [field, wire] = f.key();
    if (field === 1) return f.bytes(); // raw
    if (field === 3) return inflateSync(f.bytes()); // zlib_data
    if (field === 4 || field === 5 || field === 6 || field === 7)
      throw new Error('only zlib or raw PBF blobs are read');
    f.skip(wire);
  }
  throw new Error('empty PBF blob');
}

function primitiveBlock(data: Uint8Array, handlers: OsmHandlers) {
  const strings: string[] = [];
  const groups: Uint8Array[] = [];
  let granularity = 100;
  let latOffset = 0;
  let lonOffset = 0;
  const f = new Fields(data);
  while (!f.done) {
    const [field, wire] = f.key();
    if (field === 1) {
      const st = new Fields(f.bytes());
      while (!st.done) {
        const [sf, sw] = st.key();
        if (sf === 1) strings.push(text.decode(st.bytes()));
        else st.skip(sw);
      }
    } else if (field === 2) groups.push(f.bytes());
    else if (field === 17) granularity = f.varint();
    else if (field === 19) latOffset = f.int64();
    else if (field === 20) lonOffset = f.int64();
    else f.skip(wire);
  }
  const deg = (offset: number, value: number) => (offset + granularity * value) / 1e9;
  for (const group of groups) {
    const g = new Fields(group);
    while (!g.done) {
      const [field, wire] = g.key();
      if (field === 1) {
        const n = new Fields(g.bytes());
        let id = 0;
        let lat = 0;
        let lon = 0;
        while (!n.done) {
          const [nf, nw] = n.key();
          if (nf === 1) id = n.svarint();
          else if (nf === 8) lat = n.svarint();
          else if (nf === 9) lon = n.svarint();
          else n.skip(nw);
        }
        handlers.node({ id, lat: deg(latOffset, lat), lon: deg(lonOffset, lon) });
      } else if (field === 2) {
        const d = new Fields(g.bytes());
        let ids: number[] = [];
        let lats: number[] = [];
        let lons: number[] = [];
        while (!d.done) {
          const [df, dw] = d.key();
          if (df === 1) ids = d.packed(true);
          else if (df === 8) lats = d.packed(true);
          else if (df === 9) lons = d.packed(true);
          else d.skip(dw);
        }
        let id = 0;
        let lat = 0;
        let lon = 0;
        for (let i = 0; i < ids.length; i++) {
          id += ids[i]!;
          lat += lats[i]!;
          lon += lons[i]!;
          handlers.node({ id, lat: deg(latOffset, lat), lon: deg(lonOffset, lon) });
        }
      } else if (field === 3) {
        const w = new Fields(g.bytes());
        let id = 0;
        let keys: number[] = [];
        let vals: number[] = [];
        let refs: number[] = [];
        while (!w.done) {
          const [wf, ww] = w.key();
          if (wf === 1) id = w.int64();
          else if (wf === 2) keys = w.packed(false);
          else if (wf === 3) vals = w.packed(false);
          else if (wf === 8) refs = w.packed(true);
          else w.skip(ww);
        }
        const tags: Record<string, string> = {};
        keys.forEach((k, i) => (tags[strings[k]!] = strings[vals[i]!]!));
        let ref = 0;
        handlers.way({ id, tags, nodeIds: refs.map((delta) => (ref += delta)) });
      } else g.skip(wire);
    }
  }
}

export async function readOsmPbf(file: string, handlers: OsmHandlers): Promise<void> {
  const fh = await open(file);
  try {
    const { size } = await fh.stat();
    let pos = 0;
    const read = async (len: number) => {
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      if (bytesRead < len) throw new Error(`truncated PBF at byte ${pos}`);
      pos += len;
      return buf;
    };
    while (pos < size) {
      const headerLength = (await read(4)).readUInt32BE(0);
      const header = new Fields(await read(headerLength));
      let type = '';
      let dataSize = 0;
      while (!header.done) {
        const [field, wire] = header.key();
        if (field === 1) type = text.decode(header.bytes());
        else if (field === 3) dataSize = header.varint();
        else header.skip(wire);
      }
      const blob = await read(dataSize);
      if (type === 'OSMData') primitiveBlock(blobData(blob), handlers);
    }
  } finally {
    await fh.close();
  }
}
