/**
 * The headers block of an event-stream message. Per the event-stream spec each header is
 * name_len u8 | name UTF-8 | type u8 | value, with the value laid out by type:
 * 0/1 bool (none), 2 int8, 3 int16 BE, 4 int32 BE, 5 int64 BE, 6 bytes and 7 string (u16 BE
 * length + bytes), 8 timestamp (int64 BE milliseconds), 9 uuid (16 bytes).
 */
import { utf8Decode, utf8Write } from '../encoding/utf8.js';
import { EventStreamError, MAX_HEADER_NAME_LENGTH, MAX_HEADER_VALUE_LENGTH, MAX_HEADERS_LENGTH } from './model.js';
import type { HeaderValue } from './model.js';

type Headers = Record<string, HeaderValue>;
type HeaderType = HeaderValue['type'];

/** The value type of each wire type id (the index; 0 is true, 1 false). */
const TYPES: readonly HeaderType[] = ['boolean', 'boolean', 'byte', 'short', 'integer', 'long', 'binary', 'string', 'timestamp', 'uuid'];
/** Value size by wire type id: -1 for the types with a u16 length first (binary, string). */
const SIZES: readonly number[] = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16];
const ID_LONG = 5;
const ID_BINARY = 6;
const ID_STRING = 7;
const ID_TIMESTAMP = 8;
const ID_UUID = 9;

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

/**
 * Write the headers block at `out[o]`, returning the offset after it; every header is checked on
 * the way ('HEADER' for a value its type cannot carry, never truncated; 'LENGTH' for a name or
 * value over its limit). Every write is a byte store, so into a zero-length `out` nothing is
 * written (typed arrays drop writes past their end) and the result is the block's size: the same
 * code measures, checks and writes, so they cannot disagree.
 */
export function writeHeaders(headers: Headers, out: Uint8Array, o: number): number {
  for (const name of Object.keys(headers)) {
    const { type } = headers[name]!;
    let v: unknown = headers[name]!.value;
    const at = o;
    o = utf8Write(name, out, o + 1);
    const nameLength = o - at - 1;
    if (nameLength < 1 || nameLength > MAX_HEADER_NAME_LENGTH) {
      throw headerError('LENGTH', `${nameLength}-byte name of `, name, ` (names are 1..${MAX_HEADER_NAME_LENGTH} UTF-8 bytes)`);
    }
    out[at] = nameLength;
    const id = TYPES.indexOf(type);
    if (id < 0) throw headerError('HEADER', `unknown type ${JSON.stringify(type)} of `, name, `; use one of ${Object.keys(NEEDS).join(', ')}`);
    const size = SIZES[id]!;
    out[o++] = id === 0 && v === false ? 1 : id;
    let ok: boolean;
    if (id === 0) ok = typeof v === 'boolean';
    else if (size < 0) {
      // binary or string: u16 length, then the bytes (copied one by one: see above)
      let end = o + 2;
      if (id === ID_STRING) {
        ok = typeof v === 'string';
        if (ok) end = utf8Write(v as string, out, end);
      } else if ((ok = v instanceof Uint8Array)) {
        for (const b of v as Uint8Array) out[end++] = b;
      }
      const length = end - o - 2;
      if (length > MAX_HEADER_VALUE_LENGTH) {
        throw headerError('LENGTH', `${length}-byte value of `, name, ` over the ${MAX_HEADER_VALUE_LENGTH}-byte limit; send it in the payload`);
      }
      out[o] = length >> 8;
      out[o + 1] = length;
      o = end;
    } else if (id === ID_UUID) {
      ok = typeof v === 'string' && UUID_PATTERN.test(v);
      const hex = ok ? (v as string).replace(/-/g, '') : '';
      for (let k = 0; k < 32; k += 2) out[o++] = parseInt(hex.slice(k, k + 2), 16);
    } else {
      // byte, short, integer, long and timestamp: signed big-endian integers of `size` bytes
      if (id === ID_TIMESTAMP) v = v instanceof Date ? v.getTime() : NaN;
      let x = id === ID_LONG ? v : Number.isInteger(v) ? BigInt(v as number) : 0.5;
      ok = typeof x === 'bigint' && BigInt.asIntN(size * 8, x) === x;
      for (let k = size - 1; ok && k >= 0; k--, x = (x as bigint) >> 8n) out[o + k] = Number((x as bigint) & 0xffn);
      o += size;
    }
    if (!ok) throw headerError('HEADER', 'the ', name, ` is a ${type}: it needs ${NEEDS[type]}`);
  }
  return o;
}

/** Size of the encoded headers block; throws `EventStreamError` for any header that cannot be encoded. */
export function headersLength(headers: Headers): number {
  const n = writeHeaders(headers, new Uint8Array(0), 0);
  if (n > MAX_HEADERS_LENGTH) {
    throw new EventStreamError('LENGTH', `headers block of ${n} bytes is over the ${MAX_HEADERS_LENGTH}-byte limit; move data into the payload`);
  }
  return n;
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
// "__proto__" header is remembered, and an identical block is answered from it without parsing. The bytes are compared
// in full, so a hit gives exactly what parsing would, as new objects.
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
    if (p >= end) throw headerError('HEADER', 'the headers block ends inside ', name, '');
    if (Object.prototype.hasOwnProperty.call(out, name)) throw headerError('HEADER', 'duplicate ', name, ' (each may appear once)');
    const id = bytes[p++]!;
    const type = TYPES[id];
    if (type === undefined) throw headerError('HEADER', `unknown type ${id} of `, name, ' (known: 0..9)');
    let size = SIZES[id]!;
    if (size < 0 && p + 2 <= end) {
      // binary or string: a u16 length first
      size = (bytes[p]! << 8) | bytes[p + 1]!;
      if (size > MAX_HEADER_VALUE_LENGTH) throw headerError('LENGTH', `${size}-byte value of `, name, ` over the ${MAX_HEADER_VALUE_LENGTH}-byte limit`);
      size += 2;
    }
    if (size < 0 || p + size > end) throw headerError('HEADER', 'the headers block ends inside ', name, '');
    let value: HeaderValue['value'];
    if (id < 2) value = id === 0;
    else if (id === ID_BINARY) {
      value = bytes.subarray(p + 2, p + size);
      memoable = false;
    } else if (id === ID_STRING) value = utf8Decode(bytes, p + 2, p + size);
    else if (id === ID_UUID) {
      value = '';
      for (let k = 0; k < 16; k++) value += ([4, 6, 8, 10].includes(k) ? '-' : '') + (bytes[p + k]! | 256).toString(16).slice(1);
    } else {
      // byte, short, integer, long and timestamp: signed big-endian integers of `size` bytes
      let x = BigInt((bytes[p]! << 24) >> 24);
      for (let k = 1; k < size; k++) x = (x << 8n) | BigInt(bytes[p + k]!);
      value = id === ID_LONG ? x : Number(x);
      if (id === ID_TIMESTAMP) {
        if (!(Math.abs(value as number) <= MAX_DATE_MS)) throw headerError('HEADER', 'the timestamp of ', name, ' is outside the range of Date');
        value = new Date(value as number);
      }
    }
    // A plain object keeps the value printable and comparable; "__proto__" must not set the prototype.
    const header = { type, value } as HeaderValue;
    if (name === '__proto__') {
      Object.defineProperty(out, name, { value: header, enumerable: true, writable: true, configurable: true });
      memoable = false;
    } else out[name] = header;
    p += size;
  }
  if (memoable && n !== 0) {
    memoBlock = bytes.slice(start, end);
    memoHeaders = copyHeaders(out);
  }
  return out;
}
