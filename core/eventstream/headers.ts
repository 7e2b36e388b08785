/**
 * The headers block of an event-stream message. Per the event-stream spec each header is
 *
 *   name_len u8 | name UTF-8 | type u8 | value
 *
 * with the value laid out by its type (the ten types below); every integer is big-endian. This file
 * has the types and encodes; headers-decode.ts decodes.
 */
import { utf8Length, utf8Write } from '../encoding/utf8.js';
import {
  EventStreamError,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS_LENGTH,
  writeUint32BE,
} from './model.js';
import type { HeaderValue } from './model.js';

export type Headers = Record<string, HeaderValue>;
type HeaderType = HeaderValue['type'];

// The value types of the event-stream spec, by their wire id (names as in smithy's eventstream-codec).
/** `true`: no value bytes. */
export const BOOL_TRUE = 0;
/** `false`: no value bytes. */
export const BOOL_FALSE = 1;
/** int8. */
export const BYTE = 2;
/** int16. */
export const SHORT = 3;
/** int32. */
export const INTEGER = 4;
/** int64 (a bigint here). */
export const LONG = 5;
/** u16 length, then the bytes (`binary` here). */
export const BYTE_ARRAY = 6;
/** u16 length, then UTF-8. */
export const STRING = 7;
/** int64 milliseconds since the epoch (a Date here). */
export const TIMESTAMP = 8;
/** 16 bytes (8-4-4-4-12 lowercase hex here). */
export const UUID = 9;

/** The u16 length in front of a byte array or string value. */
export const LENGTH_PREFIX = 2;

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

const UUID_PATTERN = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;

/** An error about header `name`, quoted (names are never secrets; values may be, so they never appear). */
export function headerError(code: 'HEADER' | 'LENGTH', before: string, name: string, after: string): EventStreamError {
  return new EventStreamError(
    code,
    `${before}header ${JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name)}${after}`,
  );
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
    throw headerError(
      'LENGTH',
      `${length}-byte value of `,
      name,
      ` over the ${MAX_HEADER_VALUE_LENGTH}-byte limit; send it in the payload`,
    );
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
      throw headerError(
        'HEADER',
        `unknown type ${JSON.stringify(type)} of `,
        name,
        `; use one of ${Object.keys(NEEDS).join(', ')}`,
      );
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
      throw headerError(
        'LENGTH',
        `${nameLength}-byte name of `,
        name,
        ` (names are 1..${MAX_HEADER_NAME_LENGTH} UTF-8 bytes)`,
      );
    }
    n += 1 + nameLength + 1 + valueLength(name, headers[name]!);
  }
  if (n > MAX_HEADERS_LENGTH) {
    throw new EventStreamError(
      'LENGTH',
      `headers block of ${n} bytes is over the ${MAX_HEADERS_LENGTH}-byte limit; move data into the payload`,
    );
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
