import { describe, expect, it } from 'vitest';
import * as parser from 'socket.io-parser';
import { asciiJson, asciiParser } from './ascii-parser.ts';

/** What the standard Socket.IO decoder (every client's) makes of the encoder's output. */
function decodeAll(parts: unknown[]): parser.Packet[] {
  const decoder = new parser.Decoder();
  const out: parser.Packet[] = [];
  decoder.on('decoded', (p: parser.Packet) => out.push(p));
  for (const part of parts) decoder.add(part as string);
  return out;
}

describe('the live stream’s Socket.IO encoder', () => {
  const batch = [
    {
      seq: 41,
      type: 'patrol.position',
      at: '2026-11-30T06:00:00.000Z',
      data: { member: '网格员 张三', note: 'emoji 🚒, quote " and backslash \\', lon: 119.1234567 },
    },
  ];

  it('sends text packets in ASCII that the standard decoder reads back to the same values', () => {
    const parts = new asciiParser.Encoder().encode({
      type: parser.PacketType.EVENT,
      nsp: '/',
      data: ['events', batch],
    });
    expect(parts).toHaveLength(1);
    const text = parts[0] as string;
    expect([...text].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    expect(text).toContain('\\u7f51\\u683c\\u5458'); // 网格员
    expect(text).toContain('\\ud83d\\ude92'); // 🚒 as its surrogate pair
    const [packet] = decodeAll(parts);
    expect(packet!.data).toEqual(['events', batch]);
  });

  it('gives the same packets as the standard encoder where the text is ASCII already', () => {
    const packet = {
      type: parser.PacketType.EVENT,
      nsp: '/',
      id: 7,
      data: ['subscribed', { seq: 3, area: '320803' }],
    };
    expect(new asciiParser.Encoder().encode(packet)).toEqual(new parser.Encoder().encode(packet));
  });

  it('leaves binary attachments as they are', () => {
    const bytes = Buffer.from([0xe7, 0xbd, 0x91]);
    const parts = new asciiParser.Encoder().encode({
      type: parser.PacketType.EVENT,
      nsp: '/',
      data: ['photo', { name: '照片', bytes }],
    });
    expect(parts[1]).toBe(bytes);
    const [packet] = decodeAll(parts);
    expect(packet!.data[1].name).toBe('照片');
    expect(Buffer.from(packet!.data[1].bytes)).toEqual(bytes);
  });

  it('escapes exactly the characters beyond ASCII', () => {
    expect(asciiJson('{"a":"é\\n\\u0041"}')).toBe('{"a":"\\u00e9\\n\\u0041"}');
    expect(JSON.parse(asciiJson(JSON.stringify({ s: 'ÿĀ\u2028\uffff' })))).toEqual({ s: 'ÿĀ\u2028\uffff' });
  });
});
