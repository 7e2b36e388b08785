/**
 * The headers block of an event-stream message. Per the event-stream spec each header is
 * name_len u8 | name UTF-8 | type u8 | value, with the value laid out by type:
 * 0/1 bool (none), 2 int8, 3 int16 BE, 4 int32 BE, 5 int64 BE, 6 bytes and 7 string (u16 BE
 * length + bytes), 8 timestamp (int64 BE milliseconds), 9 uuid (16 bytes).
 */
import { utf8Decode, utf8Length, utf8Write } from './utf8.js';
import {
  EventStreamError,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS_LENGTH,
  TYPE_BINARY,
  TYPE_BYTE,
  TYPE_FALSE,
  TYPE_INTEGER,
  TYPE_LONG,
  TYPE_SHORT,
  TYPE_STRING,
  TYPE_TIMESTAMP,
  TYPE_TRUE,
  TYPE_UUID,
  readUint32BE,
  writeUint32BE,
} from './eventstream-model.js';
import type { HeaderValue } from './eventstream-model.js';

type Headers = Record<string, HeaderValue>;

const TWO_32 = 4294967296;
/** ECMAScript's Date range, in ms either side of the epoch. */
const MAX_DATE_MS = 8.64e15;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX: string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
/** Value size by wire type id: -1 for the length-prefixed types (binary, string). */
const FIXED_SIZE: readonly number[] = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16];
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A header name as it may appear in an error message (names are never secrets; values may be). */
function quote(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}

function badValue(name: string, what: string): EventStreamError {
  return new EventStreamError('HEADER', `header ${quote(name)}: ${what}`);
}

function checkInt(name: string, v: unknown, min: number, max: number, type: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badValue(name, `a ${type} header needs an integer in [${min}, ${max}]; convert or pick a wider type`);
  }
}

/** Encoded size of one value, type byte included; validates it. */
function valueLength(name: string, h: HeaderValue): number {
  const v: unknown = h.value;
  switch (h.type) {
    case 'boolean':
      if (typeof v !== 'boolean') throw badValue(name, 'a boolean header needs true or false');
      return 1;
    case 'byte':
      checkInt(name, v, -128, 127, 'byte');
      return 2;
    case 'short':
      checkInt(name, v, -32768, 32767, 'short');
      return 3;
    case 'integer':
      checkInt(name, v, -2147483648, 2147483647, 'integer');
      return 5;
    case 'long':
      if (typeof v !== 'bigint' || BigInt.asIntN(64, v) !== v) {
        throw badValue(name, 'a long header needs a bigint in the signed 64-bit range');
      }
      return 9;
    case 'binary': {
      if (!(v instanceof Uint8Array)) throw badValue(name, 'a binary header needs a Uint8Array');
      if (v.length > MAX_HEADER_VALUE_LENGTH) {
        throw new EventStreamError('LENGTH', `header ${quote(name)}: binary value of ${v.length} bytes is over the ${MAX_HEADER_VALUE_LENGTH}-byte limit; send it in the payload instead`);
      }
      return 3 + v.length;
    }
    case 'string': {
      if (typeof v !== 'string') throw badValue(name, 'a string header needs a string');
      const n = utf8Length(v);
      if (n > MAX_HEADER_VALUE_LENGTH) {
        throw new EventStreamError('LENGTH', `header ${quote(name)}: string value of ${n} UTF-8 bytes is over the ${MAX_HEADER_VALUE_LENGTH}-byte limit; send it in the payload instead`);
      }
      return 3 + n;
    }
    case 'timestamp':
      if (!(v instanceof Date) || !Number.isFinite(v.getTime())) throw badValue(name, 'a timestamp header needs a valid Date');
      return 9;
    case 'uuid':
      if (typeof v !== 'string' || !UUID_PATTERN.test(v)) {
        throw badValue(name, 'a uuid header needs 8-4-4-4-12 hex digits, e.g. 01020304-0506-0708-090a-0b0c0d0e0f10');
      }
      return 17;
    default:
      throw badValue(name, `unknown header type ${JSON.stringify((h as { type: unknown }).type)}; use boolean, byte, short, integer, long, binary, string, timestamp or uuid`);
  }
}

/** Size of the encoded headers block; throws `EventStreamError` for any header that cannot be encoded. */
export function headersLength(headers: Headers): number {
  let n = 0;
  for (const name of Object.keys(headers)) {
    const nameLength = utf8Length(name);
    if (nameLength < 1 || nameLength > MAX_HEADER_NAME_LENGTH) {
      throw new EventStreamError('LENGTH', `header name ${quote(name)} is ${nameLength} UTF-8 bytes; it must be 1..${MAX_HEADER_NAME_LENGTH}`);
    }
    n += 1 + nameLength + valueLength(name, headers[name]!);
  }
  if (n > MAX_HEADERS_LENGTH) {
    throw new EventStreamError('LENGTH', `headers block of ${n} bytes is over the ${MAX_HEADERS_LENGTH}-byte limit; move data into the payload`);
  }
  return n;
}

/** Write the headers block at `offset`, returning the offset after it. Call `headersLength` first (it validates). */
export function writeHeaders(headers: Headers, out: Uint8Array, offset: number): number {
  let o = offset;
  for (const name of Object.keys(headers)) {
    const h = headers[name]!;
    const lengthAt = o++;
    o = utf8Write(name, out, o);
    out[lengthAt] = o - lengthAt - 1;
    switch (h.type) {
      case 'boolean':
        out[o++] = h.value ? TYPE_TRUE : TYPE_FALSE;
        break;
      case 'byte':
        out[o++] = TYPE_BYTE;
        out[o++] = h.value;
        break;
      case 'short':
        out[o++] = TYPE_SHORT;
        out[o++] = h.value >> 8;
        out[o++] = h.value;
        break;
      case 'integer':
        out[o++] = TYPE_INTEGER;
        writeUint32BE(out, o, h.value);
        o += 4;
        break;
      case 'long':
        out[o++] = TYPE_LONG;
        writeUint32BE(out, o, Number(BigInt.asUintN(32, h.value >> 32n)));
        writeUint32BE(out, o + 4, Number(BigInt.asUintN(32, h.value)));
        o += 8;
        break;
      case 'binary':
        out[o++] = TYPE_BINARY;
        out[o++] = h.value.length >> 8;
        out[o++] = h.value.length;
        out.set(h.value, o);
        o += h.value.length;
        break;
      case 'string': {
        out[o++] = TYPE_STRING;
        const end = utf8Write(h.value, out, o + 2);
        out[o] = (end - o - 2) >> 8;
        out[o + 1] = end - o - 2;
        o = end;
        break;
      }
      case 'timestamp': {
        out[o++] = TYPE_TIMESTAMP;
        const ms = h.value.getTime();
        const hi = Math.floor(ms / TWO_32);
        writeUint32BE(out, o, hi);
        writeUint32BE(out, o + 4, ms - hi * TWO_32);
        o += 8;
        break;
      }
      case 'uuid': {
        out[o++] = TYPE_UUID;
        const hex = h.value.replace(/-/g, '');
        for (let i = 0; i < 32; i += 2) out[o++] = parseInt(hex.slice(i, i + 2), 16);
        break;
      }
    }
  }
  return o;
}

// Header names and short values repeat in every message of a stream (":event-type",
// "TranscriptEvent", "application/json"): short strings are decoded once and reused from a small
// direct-mapped cache. A hit is verified byte by byte, so the cache can never return a wrong
// string; it only saves building one, and its strings are internalized, which makes them cheap
// property keys.
const CACHE_SIZE = 256;
const CACHE_MAX_LENGTH = 64;
const cacheStrings: string[] = /* @__PURE__ */ new Array<string>(CACHE_SIZE).fill('');
const cacheBytes: Uint8Array[] = /* @__PURE__ */ Array.from({ length: CACHE_SIZE }, () => new Uint8Array(0));

/** The engine's canonical copy of `s` (what a property key is stored as). */
function internalize(s: string): string {
  const o: Record<string, number> = {};
  o[s] = 0;
  return Object.keys(o)[0] ?? s;
}

function decodeString(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n > CACHE_MAX_LENGTH) return utf8Decode(b, start, end);
  // A cheap hash (length, first, middle and last byte) picks the slot; the loop below verifies.
  const slot = (n * 31 + b[start]! * 7 + b[start + (n >> 1)]! * 3 + b[end - 1]!) & (CACHE_SIZE - 1);
  const known = cacheBytes[slot]!;
  if (known.length === n) {
    let i = 0;
    while (i < n && known[i] === b[start + i]) i++;
    if (i === n) return cacheStrings[slot]!;
  }
  const s = utf8Decode(b, start, end);
  cacheBytes[slot] = b.slice(start, end);
  cacheStrings[slot] = internalize(s);
  return cacheStrings[slot]!;
}

function headerError(code: 'HEADER' | 'LENGTH', what: string, at: number): EventStreamError {
  return new EventStreamError(code, `${what} (headers block offset ${at}); the message is malformed`);
}

function readI32(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}

// Most streams repeat one headers block byte for byte (every AudioEvent, every TranscriptEvent):
// the last block whose values are all immutable is remembered, and a block equal to it is rebuilt
// from that memo without parsing. The copy is compared in full, so a hit gives exactly what
// parsing would; each call still returns new objects.
const MEMO_MAX_LENGTH = 256;
let memoBlock: Uint8Array = new Uint8Array(0);
let memoNames: string[] = [];
let memoTypes: HeaderValue['type'][] = [];
let memoValues: (string | number | boolean | bigint)[] = [];

function fromMemo(): Headers {
  const out: Headers = {};
  for (let k = 0; k < memoNames.length; k++) {
    const type = memoTypes[k]!;
    const value = memoValues[k]!;
    out[memoNames[k]!] = (type === 'timestamp' ? { type, value: new Date(value as number) } : { type, value }) as HeaderValue;
  }
  return out;
}

function remember(bytes: Uint8Array, start: number, end: number, out: Headers): void {
  const names = Object.keys(out);
  const types: HeaderValue['type'][] = [];
  const values: (string | number | boolean | bigint)[] = [];
  for (const name of names) {
    const h = out[name]!;
    if (h.type === 'binary' || name === '__proto__') return; // views and odd keys are never memoised
    types.push(h.type);
    values.push(h.type === 'timestamp' ? h.value.getTime() : h.value);
  }
  memoBlock = bytes.slice(start, end);
  memoNames = names;
  memoTypes = types;
  memoValues = values;
}

/**
 * Parse the headers block `bytes[start, end)`. Binary values are views into `bytes`. Throws
 * `EventStreamError` ('HEADER' or 'LENGTH') for anything malformed, a duplicate name included.
 */
export function readHeaders(bytes: Uint8Array, start: number, end: number): Headers {
  const n = end - start;
  if (n === memoBlock.length && n !== 0) {
    let i = 0;
    while (i < n && memoBlock[i] === bytes[start + i]) i++;
    if (i === n) return fromMemo();
  }
  const out: Headers = {};
  let p = start;
  while (p < end) {
    const at = p - start;
    const nameLength = bytes[p++]!;
    if (nameLength === 0) throw headerError('LENGTH', 'empty header name (names are 1..255 bytes)', at);
    if (p + nameLength + 1 > end) throw headerError('HEADER', 'headers block ends inside a header name', at);
    const name = decodeString(bytes, p, p + nameLength);
    p += nameLength;
    if (hasOwn(out, name)) throw headerError('HEADER', `duplicate header ${quote(name)} (each header may appear once)`, at);
    const type = bytes[p++]!;
    let size = type < FIXED_SIZE.length ? FIXED_SIZE[type]! : -2;
    if (size === -2) throw headerError('HEADER', `header ${quote(name)} has unknown type ${type} (known: 0..9)`, at);
    if (size === -1) {
      // binary or string: a u16 length first
      if (p + 2 > end) throw headerError('HEADER', `headers block ends inside the value of header ${quote(name)}`, at);
      const length = (bytes[p]! << 8) | bytes[p + 1]!;
      if (length > MAX_HEADER_VALUE_LENGTH) {
        throw headerError('LENGTH', `header ${quote(name)} declares a ${length}-byte value, over the ${MAX_HEADER_VALUE_LENGTH}-byte limit`, at);
      }
      size = 2 + length;
    }
    if (p + size > end) throw headerError('HEADER', `headers block ends inside the value of header ${quote(name)}`, at);
    let value: HeaderValue;
    switch (type) {
      case TYPE_TRUE:
      case TYPE_FALSE:
        value = { type: 'boolean', value: type === TYPE_TRUE };
        break;
      case TYPE_BYTE:
        value = { type: 'byte', value: (bytes[p]! << 24) >> 24 };
        break;
      case TYPE_SHORT:
        value = { type: 'short', value: (((bytes[p]! << 8) | bytes[p + 1]!) << 16) >> 16 };
        break;
      case TYPE_INTEGER:
        value = { type: 'integer', value: readI32(bytes, p) };
        break;
      case TYPE_LONG:
        value = { type: 'long', value: (BigInt(readI32(bytes, p)) << 32n) | BigInt(readUint32BE(bytes, p + 4)) };
        break;
      case TYPE_BINARY:
        value = { type: 'binary', value: bytes.subarray(p + 2, p + size) };
        break;
      case TYPE_STRING:
        value = { type: 'string', value: decodeString(bytes, p + 2, p + size) };
        break;
      case TYPE_TIMESTAMP: {
        const ms = readI32(bytes, p) * TWO_32 + readUint32BE(bytes, p + 4);
        if (!(Math.abs(ms) <= MAX_DATE_MS)) throw headerError('HEADER', `timestamp header ${quote(name)} is outside the range of Date`, at);
        value = { type: 'timestamp', value: new Date(ms) };
        break;
      }
      default: {
        // TYPE_UUID, the only type left
        let s = '';
        for (let i = 0; i < 16; i++) s += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + HEX[bytes[p + i]!]!;
        value = { type: 'uuid', value: s };
      }
    }
    // A plain object keeps the value printable and comparable; "__proto__" must not set the prototype.
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
    p += size;
  }
  if (n <= MEMO_MAX_LENGTH && n !== 0) remember(bytes, start, end, out);
  return out;
}
