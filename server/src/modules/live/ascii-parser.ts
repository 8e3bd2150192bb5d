import * as parser from 'socket.io-parser';

/** JSON text with every character beyond ASCII written as a \uXXXX escape: the same JSON value. */
export function asciiJson(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Socket.IO's own parser, except that text packets go out with every character beyond ASCII escaped
 * (\uXXXX). The packets are the same Socket.IO packets of the same JSON values, so every client decodes
 * them with the standard parser; but an ASCII message is far cheaper for each client to take in: a
 * single Chinese name in a batch otherwise makes the whole message a UTF-8 decode and a two-byte-string
 * JSON.parse, about twice the work (`bench:live`'s 200 clients spent most of their time there). The
 * escaping happens once per message sent, a broadcast being encoded once for all its sockets.
 */
class AsciiEncoder extends parser.Encoder {
  override encode(packet: parser.Packet): unknown[] {
    return super.encode(packet).map((part: unknown) => (typeof part === 'string' ? asciiJson(part) : part));
  }
}

export const asciiParser = { ...parser, Encoder: AsciiEncoder };
