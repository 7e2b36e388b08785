// Event-stream frames for fuzzing: random messages with every header type, hand-laid header
// blocks (any name length, any type id, any value length), mutations of valid frames, preludes
// that declare huge messages, and ways to cut a byte stream into chunks. CRCs of hand-made frames
// come from node:zlib, independent of the code under test.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { encodeMessage, EventStreamError, MAX_MESSAGE_LENGTH, utf8Encode } from '../../dist/core/index.js';
import type { HeaderValue, Message } from '../../dist/core/index.js';
import { randomString } from './json-random.ts';
import type { Rng } from './rng.ts';
import { concatBytes } from '../helpers/bytes.ts';

const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function writeBe32(b: Uint8Array, at: number, v: number): void {
  b.set(be32(v >>> 0), at);
}

/** A frame around raw header-block bytes and a payload, CRCs right unless told otherwise. */
export function rawFrame(
  headers: Uint8Array,
  payload: Uint8Array,
  o: { total?: number; headersLength?: number } = {},
): Uint8Array {
  const total = o.total ?? 16 + headers.length + payload.length;
  const out = new Uint8Array(16 + headers.length + payload.length);
  writeBe32(out, 0, total);
  writeBe32(out, 4, o.headersLength ?? headers.length);
  writeBe32(out, 8, zlibCrc32(out.subarray(0, 8)));
  out.set(headers, 12);
  out.set(payload, 12 + headers.length);
  writeBe32(out, out.length - 4, zlibCrc32(out.subarray(0, out.length - 4)));
  return out;
}

/** Recompute both CRCs in place, so a mutation reaches the length checks and the header parser. */
export function reseal(b: Uint8Array): void {
  if (b.length >= 12) writeBe32(b, 8, zlibCrc32(b.subarray(0, 8)));
  if (b.length >= 16) writeBe32(b, b.length - 4, zlibCrc32(b.subarray(0, b.length - 4)));
}

// ---- structured messages ---------------------------------------------------------------------------

const NAMES = [
  ':message-type',
  ':event-type',
  ':exception-type',
  ':content-type',
  ':error-code',
  ':error-message',
  '__proto__',
  'constructor',
  '7',
  'x',
];

export function randomHeaderName(r: Rng): string {
  if (r.chance(0.5)) return r.pick(NAMES);
  const n = r.pick([1, 2, 8, 64, 255]);
  let s = randomString(r, n) || 'h';
  // Names are 1..255 UTF-8 bytes: trim (by code points, so no half pair is left).
  while (utf8Encode(s).length > 255) s = Array.from(s).slice(0, -1).join('');
  return s;
}

export function randomHeaderValue(r: Rng): HeaderValue {
  switch (r.int(0, 9)) {
    case 0:
      return { type: 'boolean', value: r.chance(0.5) };
    case 1:
      return { type: 'byte', value: r.pick([-128, 127, 0, r.int(-128, 127)]) };
    case 2:
      return { type: 'short', value: r.pick([-32768, 32767, r.int(-32768, 32767)]) };
    case 3:
      return { type: 'integer', value: r.pick([-(2 ** 31), 2 ** 31 - 1, r.int(-(2 ** 31), 2 ** 31 - 1)]) };
    case 4:
      return { type: 'long', value: r.pick([-(2n ** 63n), 2n ** 63n - 1n, BigInt(r.int(-1e9, 1e9)) * 1000003n]) };
    case 5:
      return { type: 'binary', value: r.bytes(r.size(r.chance(0.05) ? 32767 : 64)) };
    case 6:
      return { type: 'timestamp', value: new Date(r.pick([0, -8.64e15, 8.64e15, r.int(-1e12, 1e13)])) };
    case 7: {
      const hex = Array.from(r.bytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
      return {
        type: 'uuid',
        value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      };
    }
    default:
      return {
        type: 'string',
        value: r.chance(0.3)
          ? r.pick(['event', 'exception', 'error', 'TranscriptEvent', 'application/json'])
          : randomString(r, r.chance(0.05) ? 10_000 : 40),
      };
  }
}

export function randomMessage(r: Rng): Message {
  const headers: Record<string, HeaderValue> = {};
  for (let i = r.int(0, 6); i > 0; i--) {
    const name = randomHeaderName(r);
    // A plain store of "__proto__" would set the prototype: define it, as the decoder does.
    Object.defineProperty(headers, name, {
      value: randomHeaderValue(r),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const big = r.chance(0.01);
  return { headers, body: r.bytes(big ? r.int(65_536, 300_000) : r.size(2000)) };
}

/** encodeMessage, or undefined when the message is over a limit (the encoder says so, typed). */
export function tryEncode(m: Message): Uint8Array | undefined {
  try {
    return encodeMessage(m);
  } catch (err) {
    if (err instanceof EventStreamError) return undefined;
    throw err;
  }
}

// ---- hand-laid header blocks -----------------------------------------------------------------------

/** A header block with any name length (0 too), any type id (0..255) and any value length. */
export function rawHeaderBlock(r: Rng): Uint8Array {
  const parts: number[] = [];
  for (let i = r.int(0, 4); i > 0; i--) {
    const name = r.chance(0.7)
      ? Array.from(utf8Encode(r.pick(NAMES)))
      : Array.from(r.bytes(r.pick([0, 1, 255, r.int(0, 20)])));
    parts.push(r.chance(0.9) ? name.length : r.int(0, 255), ...name);
    const type = r.chance(0.8) ? r.int(0, 9) : r.int(10, 255);
    parts.push(type);
    const sizes = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16];
    const size = sizes[type];
    if (size === -1 || size === undefined) {
      const len = r.pick([0, 1, 5, 32767, 32768, 65535, r.int(0, 30)]);
      const real = Math.min(len, r.chance(0.8) ? len : r.int(0, 40), 2000);
      parts.push(len >> 8, len & 255, ...r.bytes(real));
    } else {
      parts.push(...r.bytes(r.chance(0.9) ? size : r.int(0, 20)));
    }
  }
  return Uint8Array.from(parts);
}

// ---- mutations ----------------------------------------------------------------------------------------

/** Corrupt a frame 1 to 4 times: bit flips, random bytes, cuts, growth, lying lengths; resealed or not. */
export function mutateFrame(r: Rng, src: Uint8Array): Uint8Array {
  let b: Uint8Array = src.slice();
  for (let i = r.int(1, 4); i > 0; i--) {
    const k = r.next();
    if (k < 0.25 && b.length > 0) {
      const at = r.int(0, b.length - 1);
      b[at] = b[at]! ^ (1 << r.int(0, 7));
    } else if (k < 0.4 && b.length > 0) {
      b[r.int(0, b.length - 1)] = r.int(0, 255);
    } else if (k < 0.5) {
      b = b.slice(0, r.int(0, b.length));
    } else if (k < 0.6) {
      b = concatBytes([b, r.bytes(r.int(1, 16))]);
    } else if (k < 0.7 && b.length > 4) {
      const at = r.int(0, b.length - 1);
      b = concatBytes([b.subarray(0, at), b.subarray(Math.min(b.length, at + r.int(1, 8)))]);
    } else if (k < 0.85 && b.length > 16) {
      // A byte of the header block that matters: a name length, a type, a value length.
      b[r.int(12, Math.min(b.length - 5, 60))] = r.pick([0, 1, 6, 7, 9, 10, 0x7f, 0x80, 0xff]);
    } else if (b.length >= 8) {
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      v.setUint32(
        r.chance(0.5) ? 0 : 4,
        r.pick([
          0,
          11,
          15,
          16,
          b.length - 1,
          b.length + 1,
          0xffffffff,
          MAX_MESSAGE_LENGTH,
          MAX_MESSAGE_LENGTH + 1,
          r.int(0, 400),
        ]) >>> 0,
      );
    }
  }
  if (r.chance(0.5)) reseal(b);
  return b;
}

/** A prelude (with a right CRC) that declares a message of `total` bytes, then a few bytes of it. */
export function hugePrelude(r: Rng): Uint8Array {
  const total = r.pick([
    MAX_MESSAGE_LENGTH,
    MAX_MESSAGE_LENGTH + 1,
    0xffffffff,
    r.int(17, MAX_MESSAGE_LENGTH),
    r.int(0, 15),
    2 ** 31,
  ]);
  const headersLength = r.pick([0, 128 * 1024, 128 * 1024 + 1, r.int(0, total), 0xffffffff]);
  const head = new Uint8Array(12);
  writeBe32(head, 0, total);
  writeBe32(head, 4, headersLength);
  writeBe32(head, 8, zlibCrc32(head.subarray(0, 8)));
  return concatBytes([head, r.bytes(r.size(64))]);
}

/** Any byte stream a broken server or proxy could send. */
export function hostileBytes(r: Rng, valid: () => Uint8Array): Uint8Array {
  const k = r.int(0, 5);
  if (k === 0) return r.bytes(r.size(300));
  if (k === 1) return mutateFrame(r, valid());
  if (k === 2) return hugePrelude(r);
  if (k === 3) {
    const b = valid();
    return b.subarray(0, r.int(0, b.length - 1));
  }
  if (k === 4) return rawFrame(rawHeaderBlock(r), r.bytes(r.size(100)));
  // Text a proxy might send: an HTML error page or JSON, not an event stream at all.
  return utf8Encode(
    r.pick([
      '<html><body>502 Bad Gateway</body></html>',
      '{"message":"Forbidden"}',
      'HTTP/1.1 400 Bad Request\r\n\r\n',
      '',
    ]),
  );
}

// ---- cutting -------------------------------------------------------------------------------------------

/** Cut points (sorted, inside 1..n-1) in one of several styles: none, few, every byte, near boundaries. */
export function randomCuts(r: Rng, n: number, boundaries: readonly number[] = []): number[] {
  if (n <= 1) return [];
  const style = r.int(0, 5);
  const cuts = new Set<number>();
  if (style === 0) return [];
  if (style === 1 && n <= 4096) {
    for (let i = 1; i < n; i++) cuts.add(i);
  } else if (style === 2) {
    for (const b of boundaries) for (const d of [-1, 0, 1, 12, 11, 13]) cuts.add(b + d);
  } else {
    const count = style === 3 ? r.int(1, 3) : r.int(1, Math.min(64, n));
    for (let i = 0; i < count; i++) cuts.add(r.int(1, n - 1));
  }
  return [...cuts].filter((c) => c > 0 && c < n).sort((a, b) => a - b);
}

/** `bytes` cut at `cuts`; sometimes an empty chunk is slipped in (a runtime may deliver one). */
export function cutAt(bytes: Uint8Array, cuts: readonly number[], r?: Rng): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...cuts, bytes.length]) {
    if (r?.chance(0.02)) out.push(new Uint8Array(0));
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out;
}
