/**
 * The headers block of an event-stream message. Per the event-stream spec each header is
 *
 *   name_len u8 | name UTF-8 | type u8 | value
 *
 * with the value laid out by its type (the ten types below); every integer is big-endian.
 */
import { utf8Decode, utf8Length, utf8Write } from '../encoding/utf8.js';
import { EventStreamError, MAX_HEADER_NAME_LENGTH, MAX_HEADER_VALUE_LENGTH, MAX_HEADERS_LENGTH, readUint32BE, writeUint32BE } from './model.js';
import type { HeaderValue } from './model.js';

type Headers = Record<string, HeaderValue>;
type HeaderType = HeaderValue['type'];

// The value types of the event-stream spec, by their wire id (names as in smithy's eventstream-codec).
/** `true`: no value bytes. */
const BOOL_TRUE = 0;
/** `false`: no value bytes. */
const BOOL_FALSE = 1;
/** int8. */
const BYTE = 2;
/** int16. */
const SHORT = 3;
/** int32. */
const INTEGER = 4;
/** int64 (a bigint here). */
const LONG = 5;
/** u16 length, then the bytes (`binary` here). */
const BYTE_ARRAY = 6;
/** u16 length, then UTF-8. */
const STRING = 7;
/** int64 milliseconds since the epoch (a Date here). */
const TIMESTAMP = 8;
/** 16 bytes (8-4-4-4-12 lowercase hex here). */
const UUID = 9;

/** The u16 length in front of a byte array or string value. */
const LENGTH_PREFIX = 2;

/** What a value of each type must be (for error messages). */
const NEEDS: Record<HeaderType, string> = {
  boolean: 'true or false',
  byte: 'an integer in [-128, 127]',
  short: 'an integer in [-32768, 32767]',
  integer: 'an integer in [-2^31, 2^31-1]',
  long: 'a bigint in [-2^63, 2^63-1]',
  binary: 'a Uint8Array',
  string: 'a string',
  timestamp: 'a valid Date',
  uuid: '8-4-4-4-12 hex digits',
};

/** ECMAScript's Date range, in ms either side of the epoch. */
const MAX_DATE_MS = 8.64e15;
const UUID_PATTERN = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;

/** An error about header `name`, quoted (names are never secrets; values may be, so they never appear). */
function headerError(code: 'HEADER' | 'LENGTH', before: string, name: string, after: string): EventStreamError {
  return new EventStreamError(code, `${before}header ${JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name)}${after}`);
}

function endsInside(name: string): EventStreamError {
  return headerError('HEADER', 'the headers block ends inside ', name, '');
}

// --- encoding ------------------------------------------------------------------------------------

/** Whether `v` is an integer that fits in `bits` signed bits (bits <= 32). */
function isIntN(v: unknown, bits: number): boolean {
  const max = 2 ** (bits - 1);
  return Number.isInteger(v) && (v as number) >= -max && (v as number) < max;
}

/** `length` bytes of a byte array or string value, checked against the limit; the prefix included. */
function prefixed(name: string, length: number): number {
  if (length > MAX_HEADER_VALUE_LENGTH) {
    throw headerError('LENGTH', `${length}-byte value of `, name, ` over the ${MAX_HEADER_VALUE_LENGTH}-byte limit; send it in the payload`);
  }
  return LENGTH_PREFIX + length;
}

/**
 * Bytes of the value of header `name` (after its type byte). Throws `EventStreamError` 'HEADER'
 * unless the value is one its type can carry (a value is never truncated), 'LENGTH' over the limit.
 */
function valueLength(name: string, h: HeaderValue): number {
  const v: unknown = h.value;
  const type = h.type;
  let ok: boolean;
  let size: number;
  switch (type) {
    case 'boolean':
      ok = typeof v === 'boolean';
      size = 0;
      break;
    case 'byte':
      ok = isIntN(v, 8);
      size = 1;
      break;
    case 'short':
      ok = isIntN(v, 16);
      size = 2;
      break;
    case 'integer':
      ok = isIntN(v, 32);
      size = 4;
      break;
    case 'long':
      ok = typeof v === 'bigint' && BigInt.asIntN(64, v) === v;
      size = 8;
      break;
    case 'binary':
      ok = v instanceof Uint8Array;
      size = ok ? prefixed(name, (v as Uint8Array).length) : 0;
      break;
    case 'string':
      ok = typeof v === 'string';
      size = ok ? prefixed(name, utf8Length(v as string)) : 0;
      break;
    case 'timestamp':
      // Any valid Date is an integer number of ms within +-8.64e15: it fits in int64.
      ok = v instanceof Date && !Number.isNaN(v.getTime());
      size = 8;
      break;
    case 'uuid':
      ok = typeof v === 'string' && UUID_PATTERN.test(v);
      size = 16;
      break;
    default:
      throw headerError('HEADER', `unknown type ${JSON.stringify(type)} of `, name, `; use one of ${Object.keys(NEEDS).join(', ')}`);
  }
  if (!ok) throw headerError('HEADER', 'the ', name, ` is a ${type}: it needs ${NEEDS[type]}`);
  return size;
}

/**
 * Size of the encoded headers block, checking every header on the way (`writeHeaders` relies on
 * it): `EventStreamError` 'HEADER' for a value its type cannot carry, 'LENGTH' for a name, a value
 * or the block over its limit.
 */
export function headersLength(headers: Headers): number {
  let n = 0;
  for (const name of Object.keys(headers)) {
    const nameLength = utf8Length(name);
    if (nameLength < 1 || nameLength > MAX_HEADER_NAME_LENGTH) {
      throw headerError('LENGTH', `${nameLength}-byte name of `, name, ` (names are 1..${MAX_HEADER_NAME_LENGTH} UTF-8 bytes)`);
    }
    n += 1 + nameLength + 1 + valueLength(name, headers[name]!);
  }
  if (n > MAX_HEADERS_LENGTH) {
    throw new EventStreamError('LENGTH', `headers block of ${n} bytes is over the ${MAX_HEADERS_LENGTH}-byte limit; move data into the payload`);
  }
  return n;
}

/** Write the low 16 bits of `v` big-endian at `out[o]` (a short, or the length of a value). */
function writeUint16BE(out: Uint8Array, o: number, v: number): void {
  out[o] = v >> 8;
  out[o + 1] = v;
}

/** Write int64 `x` big-endian at `out[o]` (BigInt bit operations work in two's complement). */
function writeInt64BE(out: Uint8Array, o: number, x: bigint): void {
  writeUint32BE(out, o, Number(x >> 32n));
  writeUint32BE(out, o + 4, Number(x & 0xffffffffn));
}

/** Write the type byte and value of `h` at `out[o]`; returns the offset after them. */
function writeValue(h: HeaderValue, out: Uint8Array, o: number): number {
  switch (h.type) {
    case 'boolean':
      out[o] = h.value ? BOOL_TRUE : BOOL_FALSE;
      return o + 1;
    case 'byte':
      out[o] = BYTE;
      out[o + 1] = h.value;
      return o + 2;
    case 'short':
      out[o] = SHORT;
      writeUint16BE(out, o + 1, h.value);
      return o + 3;
    case 'integer':
      out[o] = INTEGER;
      writeUint32BE(out, o + 1, h.value);
      return o + 5;
    case 'long':
      out[o] = LONG;
      writeInt64BE(out, o + 1, h.value);
      return o + 9;
    case 'binary':
      out[o] = BYTE_ARRAY;
      writeUint16BE(out, o + 1, h.value.length);
      out.set(h.value, o + 3);
      return o + 3 + h.value.length;
    case 'string': {
      out[o] = STRING;
      const end = utf8Write(h.value, out, o + 3);
      writeUint16BE(out, o + 1, end - o - 3);
      return end;
    }
    case 'timestamp':
      out[o] = TIMESTAMP;
      writeInt64BE(out, o + 1, BigInt(h.value.getTime()));
      return o + 9;
    case 'uuid': {
      out[o] = UUID;
      const hex = h.value.replace(/-/g, '');
      for (let k = 0; k < 16; k++) out[o + 1 + k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
      return o + 17;
    }
  }
}

/**
 * Write the headers block at `out[o]`, returning the offset after it. The headers must have passed
 * `headersLength`, which checks them and gives the room they need here.
 */
export function writeHeaders(headers: Headers, out: Uint8Array, o: number): number {
  for (const name of Object.keys(headers)) {
    const at = o;
    o = utf8Write(name, out, at + 1);
    out[at] = o - at - 1;
    o = writeValue(headers[name]!, out, o);
  }
  return o;
}

// --- decoding ------------------------------------------------------------------------------------

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
      if (length > MAX_HEADER_VALUE_LENGTH) throw headerError('LENGTH', `${length}-byte value of `, name, ` over the ${MAX_HEADER_VALUE_LENGTH}-byte limit`);
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
      if (!(Math.abs(ms) <= MAX_DATE_MS)) throw headerError('HEADER', 'the timestamp of ', name, ' is outside the range of Date');
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
    if (Object.prototype.hasOwnProperty.call(out, name)) throw headerError('HEADER', 'duplicate ', name, ' (each may appear once)');
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
