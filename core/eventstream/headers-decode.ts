/**
 * Decoding the headers block of an event-stream message (the layout and the types: headers.ts).
 */
import { utf8Decode } from '../encoding/utf8.js';
import { MAX_HEADER_VALUE_LENGTH, readUint32BE } from './model.js';
import type { EventStreamError, HeaderValue } from './model.js';
import {
  BOOL_FALSE,
  BOOL_TRUE,
  BYTE,
  BYTE_ARRAY,
  headerError,
  INTEGER,
  LENGTH_PREFIX,
  LONG,
  SHORT,
  STRING,
  TIMESTAMP,
  UUID,
} from './headers.js';
import type { Headers } from './headers.js';

/** ECMAScript's Date range, in ms either side of the epoch. */
const MAX_DATE_MS = 8.64e15;

function endsInside(name: string): EventStreamError {
  return headerError('HEADER', 'the headers block ends inside ', name, '');
}

/**
 * Where the value of header `name`, of wire type `id` at `bytes[p]`, ends; throws `EventStreamError`
 * for an unknown type, a value that runs past `end` or one over the length limit.
 */
function valueEnd(name: string, id: number, bytes: Uint8Array, p: number, end: number): number {
  let size: number;
  switch (id) {
    case BOOL_TRUE:
    case BOOL_FALSE:
      size = 0;
      break;
    case BYTE:
      size = 1;
      break;
    case SHORT:
      size = 2;
      break;
    case INTEGER:
      size = 4;
      break;
    case LONG:
    case TIMESTAMP:
      size = 8;
      break;
    case UUID:
      size = 16;
      break;
    case BYTE_ARRAY:
    case STRING: {
      if (p + LENGTH_PREFIX > end) throw endsInside(name);
      const length = readUint16BE(bytes, p);
      if (length > MAX_HEADER_VALUE_LENGTH)
        throw headerError(
          'LENGTH',
          `${length}-byte value of `,
          name,
          ` over the ${MAX_HEADER_VALUE_LENGTH}-byte limit`,
        );
      size = LENGTH_PREFIX + length;
      break;
    }
    default:
      throw headerError('HEADER', `unknown type ${id} of `, name, ' (known: 0..9)');
  }
  if (p + size > end) throw endsInside(name);
  return p + size;
}

function readUint16BE(b: Uint8Array, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

/** The 16 bytes at `b[p]` as 8-4-4-4-12 lowercase hex. */
function uuidAt(b: Uint8Array, p: number): string {
  let hex = '';
  for (let k = 0; k < 16; k++) hex += (b[p + k]! | 256).toString(16).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The value of wire type `id` in `bytes[p, end)` (its extent checked by `valueEnd`). */
function readValue(name: string, id: number, bytes: Uint8Array, p: number, end: number): HeaderValue {
  switch (id) {
    case BOOL_TRUE:
      return { type: 'boolean', value: true };
    case BOOL_FALSE:
      return { type: 'boolean', value: false };
    case BYTE:
      return { type: 'byte', value: (bytes[p]! << 24) >> 24 };
    case SHORT:
      return { type: 'short', value: (readUint16BE(bytes, p) << 16) >> 16 };
    case INTEGER:
      return { type: 'integer', value: readUint32BE(bytes, p) | 0 };
    case LONG:
      return { type: 'long', value: (BigInt(readUint32BE(bytes, p) | 0) << 32n) | BigInt(readUint32BE(bytes, p + 4)) };
    case BYTE_ARRAY:
      return { type: 'binary', value: bytes.subarray(p + LENGTH_PREFIX, end) };
    case STRING:
      return { type: 'string', value: utf8Decode(bytes, p + LENGTH_PREFIX, end) };
    case TIMESTAMP: {
      // Exact below 2^53 ms; anything near that is far outside the range of Date anyway.
      const ms = (readUint32BE(bytes, p) | 0) * 2 ** 32 + readUint32BE(bytes, p + 4);
      if (!(Math.abs(ms) <= MAX_DATE_MS))
        throw headerError('HEADER', 'the timestamp of ', name, ' is outside the range of Date');
      return { type: 'timestamp', value: new Date(ms) };
    }
    case UUID:
      return { type: 'uuid', value: uuidAt(bytes, p) };
    default:
      throw headerError('HEADER', `unknown type ${id} of `, name, ' (known: 0..9)');
  }
}

/**
 * New header objects with the same values (Dates copied): results never share a mutable object.
 * Only for memoised headers, which have no "__proto__" header (a plain store would set the prototype).
 */
function copyHeaders(headers: Headers): Headers {
  const out: Headers = {};
  for (const name of Object.keys(headers)) {
    const h = headers[name]!;
    out[name] = { type: h.type, value: h.type === 'timestamp' ? new Date(h.value) : h.value } as HeaderValue;
  }
  return out;
}

// Most streams repeat one headers block byte for byte (every AudioEvent, every TranscriptEvent):
// the last short block without binary values (those are views into their own message) or a
// "__proto__" header is remembered, and an identical block is answered from it without parsing.
// The bytes are compared in full, so a hit gives exactly what parsing would, as new objects.
const MEMO_MAX_LENGTH = 256;
let memoBlock = new Uint8Array(0);
let memoHeaders: Headers = {};

/**
 * Parse the headers block `bytes[start, end)`. Binary values are views into `bytes`. Throws
 * `EventStreamError` ('HEADER' or 'LENGTH') for anything malformed, a duplicate name included.
 */
export function readHeaders(bytes: Uint8Array, start: number, end: number): Headers {
  const n = end - start;
  if (n === memoBlock.length && n !== 0) {
    let i = 0;
    while (i < n && memoBlock[i] === bytes[start + i]) i++;
    if (i === n) return copyHeaders(memoHeaders);
  }
  const out: Headers = {};
  let memoable = n <= MEMO_MAX_LENGTH;
  for (let p = start; p < end; ) {
    const nameLength = bytes[p++]!;
    // The name is taken as far as the block goes, for the error messages; then checked.
    const name = utf8Decode(bytes, p, Math.min((p += nameLength), end));
    if (nameLength === 0) throw headerError('LENGTH', '', name, ': empty name (names are 1..255 bytes)');
    if (p >= end) throw endsInside(name);
    if (Object.hasOwn(out, name)) throw headerError('HEADER', 'duplicate ', name, ' (each may appear once)');
    const id = bytes[p++]!;
    const valueEnds = valueEnd(name, id, bytes, p, end);
    const header = readValue(name, id, bytes, p, valueEnds);
    if (id === BYTE_ARRAY) memoable = false;
    // A plain object keeps the value printable and comparable; "__proto__" must not set the prototype.
    if (name === '__proto__') {
      Object.defineProperty(out, name, { value: header, enumerable: true, writable: true, configurable: true });
      memoable = false;
    } else out[name] = header;
    p = valueEnds;
  }
  if (memoable && n !== 0) {
    memoBlock = bytes.slice(start, end);
    memoHeaders = copyHeaders(out);
  }
  return out;
}
