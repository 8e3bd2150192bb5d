/**
 * Streams an OSM XML file (`<osm>` of `<node>`, `<way>` with `<nd>` and `<tag>`, `<relation>`) and
 * calls back per node and per way. OSM XML is flat and regular, so a tag scanner over the byte stream
 * suffices and keeps memory to one chunk plus the current way; relations are ignored.
 */
import { createReadStream } from 'node:fs';

export interface OsmNode {
  id: number;
  lon: number;
  lat: number;
}

export interface OsmWay {
  id: number;
  nodeIds: number[];
  tags: Record<string, string>;
}

export interface OsmHandlers {
  node(node: OsmNode): void;
  way(way: OsmWay): void;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref[0] === '#')
      return String.fromCodePoint(
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)),
      );
    return ENTITIES[ref] ?? whole;
  });
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    out[m[1]!] = decode(m[2] ?? m[3] ?? '');
  return out;
}

const ELEMENT = /<(\/?)(node|way|nd|tag|relation)\b([^>]*?)(\/?)>/g;

export async function readOsmXml(file: string, handlers: OsmHandlers): Promise<void> {
  let way: OsmWay | undefined;
  let inRelation = false;
  let pending = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = pending + (chunk as string);
    // only scan up to the last complete element; the rest waits for the next chunk
    const end = text.lastIndexOf('>') + 1;
    pending = text.slice(end);
    ELEMENT.lastIndex = 0;
    const body = text.slice(0, end);
    for (let m = ELEMENT.exec(body); m; m = ELEMENT.exec(body)) {
      const [, closing, name, attrText, selfClosing] = m;
      if (closing) {
        if (name === 'way' && way) {
          handlers.way(way);
          way = undefined;
        } else if (name === 'relation') inRelation = false;
        continue;
      }
      if (name === 'relation') {
        inRelation = !selfClosing;
        continue;
      }
      if (inRelation) continue;
      const a = attributes(attrText!);
      if (name === 'node') handlers.node({ id: Number(a.id), lon: Number(a.lon), lat: Number(a.lat) });
      else if (name === 'way') {
        way = { id: Number(a.id), nodeIds: [], tags: {} };
        if (selfClosing) {
          handlers.way(way);
          way = undefined;
        }
      } else if (name === 'nd' && way) way.nodeIds.push(Number(a.ref));
      else if (name === 'tag' && way && a.k !== undefined) way.tags[a.k] = a.v ?? '';
    }
  }
}
