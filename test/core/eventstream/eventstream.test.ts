import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { EventStreamCodec, Int64 } from '@smithy/eventstream-codec';
import { getChunkedStream } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { MessageHeaders as SmithyHeaders } from '@smithy/types';
import {
  decodeMessage,
  encodeMessage,
  EventStreamError,
  MAX_HEADERS_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PAYLOAD_LENGTH,
  MessageDecoder,
} from '../../../dist/core/index.js';
import type { EventStreamErrorCode, HeaderValue, Message } from '../../../dist/core/index.js';
import { concatBytes } from '../../helpers/bytes.ts';

type Headers = Record<string, HeaderValue>;
const empty = new Uint8Array(0);

// ---------------------------------------------------------------------------------------------
// Helpers. CRCs of hand-made frames come from node:zlib, independent of the code under test.

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const u8 = (...parts: (ArrayLike<number> | string)[]): Uint8Array =>
  concatBytes(parts.map((p) => (typeof p === 'string' ? new Uint8Array(Buffer.from(p, 'utf8')) : Uint8Array.from(p))));
const be32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const be16 = (v: number): number[] => [(v >>> 8) & 255, v & 255];

/** A frame around raw headers bytes and payload, with correct CRCs unless told otherwise. */
function frame(
  headers: Uint8Array,
  payload: Uint8Array,
  o: { total?: number; headersLength?: number } = {},
): Uint8Array {
  const total = o.total ?? 16 + headers.length + payload.length;
  const prelude = u8(be32(total), be32(o.headersLength ?? headers.length));
  const preludeCrc = zlibCrc32(prelude);
  const body = u8(prelude, be32(preludeCrc), headers, payload);
  return u8(body, be32(zlibCrc32(body)));
}

/** Recompute both CRCs of `b` in place (fuzzing reaches the header parser this way). */
function reseal(b: Uint8Array): void {
  if (b.length < 16) return;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setUint32(8, zlibCrc32(b.subarray(0, 8)));
  v.setUint32(b.length - 4, zlibCrc32(b.subarray(0, b.length - 4)));
}

/** Raw bytes of one header: name_len, name, type, value. */
const rawHeader = (name: string, type: number, value: ArrayLike<number> = []): Uint8Array =>
  u8([Buffer.byteLength(name)], name, [type], value);

function throwsCode(fn: () => unknown, code: EventStreamErrorCode, what: string): EventStreamError {
  try {
    fn();
  } catch (err) {
    assert.instance(err, EventStreamError, `${what}: not an EventStreamError: ${String(err)}`);
    const e = err as EventStreamError;
    assert.is(e.code, code, `${what}: ${e.message}`);
    assert.ok(e.message.length > 10, `${what}: the message says what is wrong`);
    return e;
  }
  assert.unreachable(`${what}: expected ${code}`);
  throw new Error('unreachable');
}

const ascii = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

// ---------------------------------------------------------------------------------------------
// Golden vectors (aws-sdk-go's event-stream testdata, kept in test/vectors/ with its licence).

const VECTORS = new URL('../../vectors/eventstream/aws-sdk-go/', import.meta.url);
const vectors = suite('vectors: aws-sdk-go eventstream testdata');
const haveVectors = existsSync(VECTORS);
vectors('the vector files are there', () =>
  assert.ok(haveVectors, `${VECTORS.pathname} is missing; the vectors ship with the repository`),
);

interface DecodedCase {
  total_length: number;
  headers_length: number;
  prelude_crc: number;
  message_crc: number;
  headers: { name: string; type: number; value: boolean | number | string }[];
  payload: string;
}

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

function expectedHeader(h: DecodedCase['headers'][number]): HeaderValue {
  const v = h.value;
  switch (h.type) {
    case 0:
    case 1:
      return { type: 'boolean', value: v as boolean };
    case 2:
      return { type: 'byte', value: v as number };
    case 3:
      return { type: 'short', value: v as number };
    case 4:
      return { type: 'integer', value: v as number };
    case 5:
      return { type: 'long', value: BigInt(v as number) };
    case 6:
      return { type: 'binary', value: b64(v as string) };
    case 7:
      return { type: 'string', value: Buffer.from(v as string, 'base64').toString('utf8') };
    case 8:
      return { type: 'timestamp', value: new Date(v as number) };
    case 9:
      return {
        type: 'uuid',
        value: Buffer.from(v as string, 'base64')
          .toString('hex')
          .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
      };
    default:
      throw new Error(`vector has unknown type ${h.type}`);
  }
}

const POSITIVE = ['empty_message', 'payload_no_headers', 'payload_one_str_header', 'int32_header', 'all_headers'];
const NEGATIVE = ['corrupted_length', 'corrupted_header_len', 'corrupted_headers', 'corrupted_payload'];

vectors('every positive case decodes to the listed headers and payload and re-encodes to the same bytes', () => {
  if (!haveVectors) return;
  for (const name of POSITIVE) {
    const bytes = new Uint8Array(readFileSync(new URL(`encoded/positive/${name}`, VECTORS)));
    const want = JSON.parse(readFileSync(new URL(`decoded/positive/${name}`, VECTORS), 'utf8')) as DecodedCase;
    assert.is(bytes.length, want.total_length, name);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    assert.is(v.getUint32(4), want.headers_length, name);
    assert.is(v.getInt32(8), want.prelude_crc, name);
    assert.is(v.getInt32(bytes.length - 4), want.message_crc, name);

    const msg = decodeMessage(bytes);
    const headers: Headers = {};
    for (const h of want.headers) headers[h.name] = expectedHeader(h);
    assert.equal(msg.headers, headers, name);
    assert.equal(
      Object.keys(msg.headers),
      want.headers.map((h) => h.name),
      `${name}: wire order kept`,
    );
    assert.equal(msg.body, b64(want.payload), name);
    assert.equal(encodeMessage(msg), bytes, `${name}: re-encoded bytes`);
    assert.equal(encodeMessage({ headers, body: b64(want.payload) }), bytes, `${name}: encoded from the JSON`);
    // And through the streaming decoder, byte by byte.
    const d = new MessageDecoder();
    const got: Message[] = [];
    for (let i = 0; i < bytes.length; i++) got.push(...d.push(bytes.subarray(i, i + 1)));
    assert.is(got.length, 1, name);
    assert.equal(got[0], msg, name);
  }
});

vectors('every negative case fails with the matching code, whole and streamed', () => {
  if (!haveVectors) return;
  const codeFor: Record<string, EventStreamErrorCode> = {
    'Prelude checksum mismatch': 'PRELUDE_CRC',
    'Message checksum mismatch': 'MESSAGE_CRC',
  };
  for (const name of NEGATIVE) {
    const bytes = new Uint8Array(readFileSync(new URL(`encoded/negative/${name}`, VECTORS)));
    const text = readFileSync(new URL(`decoded/negative/${name}`, VECTORS), 'utf8').trim();
    const code = codeFor[text];
    assert.ok(code, `${name}: unexpected expectation text ${JSON.stringify(text)}`);
    throwsCode(() => decodeMessage(bytes), code!, name);
    const d = new MessageDecoder();
    throwsCode(() => d.push(bytes), code!, `${name} streamed`);
    assert.is(d.pending, 0, `${name}: nothing kept after the error`);
  }
});

vectors('corrupted_length: the prelude CRC fails on the 12th byte, the declared body is never awaited', () => {
  if (!haveVectors) return;
  const bytes = new Uint8Array(readFileSync(new URL('encoded/negative/corrupted_length', VECTORS)));
  const d = new MessageDecoder();
  for (let i = 0; i < 11; i++) assert.equal(d.push(bytes.subarray(i, i + 1)), []);
  assert.is(d.pending, 11);
  throwsCode(() => d.push(bytes.subarray(11, 12)), 'PRELUDE_CRC', '12th byte');
});

// ---------------------------------------------------------------------------------------------
// Header types and the byte layout of each.

const types = suite('header types');

types('each of the ten wire types has the spec layout and decodes back', () => {
  const cases: [string, HeaderValue, number[]][] = [
    ['t', { type: 'boolean', value: true }, [0]],
    ['f', { type: 'boolean', value: false }, [1]],
    ['b', { type: 'byte', value: -1 }, [2, 0xff]],
    ['s', { type: 'short', value: -2 }, [3, 0xff, 0xfe]],
    ['i', { type: 'integer', value: -2147483648 }, [4, 0x80, 0, 0, 0]],
    ['l', { type: 'long', value: -2n }, [5, 255, 255, 255, 255, 255, 255, 255, 254]],
    ['L', { type: 'long', value: 0x0102030405060708n }, [5, 1, 2, 3, 4, 5, 6, 7, 8]],
    ['x', { type: 'binary', value: Uint8Array.of(9, 8, 7) }, [6, 0, 3, 9, 8, 7]],
    ['u', { type: 'string', value: 'é€😀' }, [7, 0, 9, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]],
    ['d', { type: 'timestamp', value: new Date(-1) }, [8, 255, 255, 255, 255, 255, 255, 255, 255]],
    ['D', { type: 'timestamp', value: new Date(8.64e15) }, [8, 0, 0x1e, 0xb2, 0x08, 0xc2, 0xdc, 0x00, 0x00]],
    [
      'U',
      { type: 'uuid', value: '01020304-0506-0708-090a-0b0c0d0e0f10' },
      [9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ],
  ];
  for (const [name, value, wire] of cases) {
    const bytes = encodeMessage({ headers: { [name]: value }, body: new Uint8Array(0) });
    assert.equal(bytes, frame(u8([1], name, wire), new Uint8Array(0)), `${value.type} ${name}`);
    assert.equal(decodeMessage(bytes).headers, { [name]: value }, `${value.type} ${name}`);
  }
});

types('extremes of every numeric type round-trip exactly', () => {
  const values: Headers = {
    b0: { type: 'byte', value: -128 },
    b1: { type: 'byte', value: 127 },
    s0: { type: 'short', value: -32768 },
    s1: { type: 'short', value: 32767 },
    i0: { type: 'integer', value: -2147483648 },
    i1: { type: 'integer', value: 2147483647 },
    l0: { type: 'long', value: -(2n ** 63n) },
    l1: { type: 'long', value: 2n ** 63n - 1n },
    l2: { type: 'long', value: 2n ** 53n + 1n },
    t0: { type: 'timestamp', value: new Date(-8.64e15) },
    t1: { type: 'timestamp', value: new Date(8.64e15) },
    t2: { type: 'timestamp', value: new Date(1732560000123) },
  };
  assert.equal(decodeMessage(encodeMessage({ headers: values, body: new Uint8Array(0) })).headers, values);
});

types('uuid decodes lowercase; upper-case input is accepted and normalised', () => {
  const bytes = encodeMessage({
    headers: { id: { type: 'uuid', value: 'ABCDEF01-2345-6789-ABCD-EF0123456789' } },
    body: new Uint8Array(0),
  });
  assert.equal(decodeMessage(bytes).headers.id, { type: 'uuid', value: 'abcdef01-2345-6789-abcd-ef0123456789' });
});

types('a header named __proto__ is an own property and does not change the prototype', () => {
  const bytes = frame(
    u8(rawHeader('__proto__', 7, [...be16(1), 0x41]), rawHeader('constructor', 0)),
    new Uint8Array(0),
  );
  const h = decodeMessage(bytes).headers;
  assert.is(Object.getPrototypeOf(h), Object.prototype);
  assert.equal(Object.keys(h), ['__proto__', 'constructor']);
  assert.equal(Object.getOwnPropertyDescriptor(h, '__proto__')?.value, { type: 'string', value: 'A' });
  assert.equal(encodeMessage({ headers: h, body: new Uint8Array(0) }), bytes);
  // Decoded again (a repeated block): still an own property, still the plain prototype.
  const again = decodeMessage(bytes).headers;
  assert.is(Object.getPrototypeOf(again), Object.prototype);
  assert.equal(Object.keys(again), ['__proto__', 'constructor']);
  assert.equal(Object.getOwnPropertyDescriptor(again, '__proto__')?.value, { type: 'string', value: 'A' });
});

types('names like toString or hasOwnProperty are not mistaken for duplicates', () => {
  const bytes = frame(u8(rawHeader('toString', 0), rawHeader('hasOwnProperty', 1)), new Uint8Array(0));
  assert.equal(Object.keys(decodeMessage(bytes).headers), ['toString', 'hasOwnProperty']);
});

types('the body (and a binary header) is a zero-copy view into the input', () => {
  const payload = u8('audio bytes');
  const bytes = encodeMessage({ headers: { bin: { type: 'binary', value: u8('xyz') } }, body: payload });
  const msg = decodeMessage(bytes);
  assert.is(msg.body.buffer, bytes.buffer);
  assert.is(msg.body.byteOffset, bytes.length - 4 - payload.length);
  const bin = msg.headers.bin!;
  assert.ok(bin.type === 'binary' && bin.value.buffer === bytes.buffer);
  bytes[bytes.length - 5] = 0x21;
  assert.is(msg.body[msg.body.length - 1], 0x21, 'a view sees later writes (documented)');
});

types('repeated headers blocks (decoded from the string cache and block memo) give fresh, exact results', () => {
  const headers: Headers = {
    ':event-type': { type: 'string', value: 'TranscriptEvent' },
    when: { type: 'timestamp', value: new Date(1732560000123) },
    n: { type: 'long', value: -5n },
    ok: { type: 'boolean', value: true },
  };
  const a = decodeMessage(encodeMessage({ headers, body: u8('1') }));
  const b = decodeMessage(encodeMessage({ headers, body: u8('2') }));
  assert.equal(a.headers, headers);
  assert.equal(b.headers, headers);
  assert.is.not(a.headers, b.headers);
  assert.is.not(a.headers[':event-type'], b.headers[':event-type']);
  assert.is.not((a.headers.when as { value: Date }).value, (b.headers.when as { value: Date }).value);
  (a.headers.when as { value: Date }).value.setTime(0);
  a.headers.extra = { type: 'boolean', value: false };
  const c = decodeMessage(encodeMessage({ headers, body: u8('3') }));
  assert.equal(c.headers, headers, 'mutating an earlier result does not leak into later ones');
  // One byte different in the block (same length): parsed, not taken from the memo.
  const other = { ...headers, ':event-type': { type: 'string', value: 'TranscriptEvenT' } } as Headers;
  assert.equal(decodeMessage(encodeMessage({ headers: other, body: empty })).headers, other);
  // Binary values are views into their own message, even when the block repeats.
  const bin: Headers = { b: { type: 'binary', value: u8([1, 2, 3]) } };
  const m1 = encodeMessage({ headers: bin, body: empty });
  const m2 = encodeMessage({ headers: bin, body: empty });
  assert.is((decodeMessage(m1).headers.b as { value: Uint8Array }).value.buffer, m1.buffer);
  assert.is((decodeMessage(m2).headers.b as { value: Uint8Array }).value.buffer, m2.buffer);
  // Non-ASCII and colliding short strings still decode exactly (the cache verifies every byte).
  for (let i = 0; i < 600; i++) {
    const h: Headers = { [`k${i % 7}é`]: { type: 'string', value: `v${i}ü${'x'.repeat(i % 70)}` } };
    assert.equal(decodeMessage(encodeMessage({ headers: h, body: empty })).headers, h);
  }
});

// ---------------------------------------------------------------------------------------------
// Validation.

const validation = suite('validation');

validation('encode: limits are LENGTH errors', () => {
  throwsCode(
    () => encodeMessage({ headers: { '': { type: 'boolean', value: true } }, body: empty }),
    'LENGTH',
    'empty name',
  );
  encodeMessage({ headers: { ['n'.repeat(255)]: { type: 'boolean', value: true } }, body: empty });
  throwsCode(
    () => encodeMessage({ headers: { ['n'.repeat(256)]: { type: 'boolean', value: true } }, body: empty }),
    'LENGTH',
    '256-byte name',
  );
  throwsCode(
    () => encodeMessage({ headers: { ['é'.repeat(128)]: { type: 'boolean', value: true } }, body: empty }),
    'LENGTH',
    '256 UTF-8 bytes',
  );
  encodeMessage({ headers: { s: { type: 'string', value: 'x'.repeat(32767) } }, body: empty });
  throwsCode(
    () => encodeMessage({ headers: { s: { type: 'string', value: `${'x'.repeat(32766)}é` } }, body: empty }),
    'LENGTH',
    'string 32768 bytes',
  );
  throwsCode(
    () => encodeMessage({ headers: { b: { type: 'binary', value: new Uint8Array(32768) } }, body: empty }),
    'LENGTH',
    'binary 32768 bytes',
  );
  const big: Headers = {};
  for (let i = 0; i < 5; i++) big[`h${i}`] = { type: 'binary', value: new Uint8Array(32767) };
  throwsCode(() => encodeMessage({ headers: big, body: empty }), 'LENGTH', 'headers block over 128 KiB');
  throwsCode(
    () => encodeMessage({ headers: {}, body: new Uint8Array(MAX_PAYLOAD_LENGTH + 1) }),
    'LENGTH',
    'payload over 16 MiB',
  );
  assert.is(encodeMessage({ headers: {}, body: new Uint8Array(MAX_PAYLOAD_LENGTH) }).length, MAX_PAYLOAD_LENGTH + 16);
});

validation('encode: values their type cannot carry are HEADER errors, never truncated', () => {
  const bad: [string, unknown][] = [
    ['byte', 128],
    ['byte', 1.5],
    ['short', -32769],
    ['integer', 2 ** 31],
    ['integer', '1'],
    ['long', 2n ** 63n],
    ['long', 5],
    ['boolean', 0],
    ['binary', [1, 2]],
    ['string', 5],
    ['timestamp', new Date(NaN)],
    ['timestamp', 0],
    ['uuid', '0102030405060708090a0b0c0d0e0f10'],
    ['uuid', '01020304-0506-0708-090a-0b0c0d0e0f1g'],
    ['float', 1],
  ];
  for (const [type, value] of bad) {
    const headers = { h: { type, value } } as unknown as Headers;
    throwsCode(() => encodeMessage({ headers, body: empty }), 'HEADER', `${type} ${String(value)}`);
  }
  assert.throws(() => encodeMessage({ headers: {}, body: [1, 2] as unknown as Uint8Array }), TypeError);
  assert.throws(
    () => encodeMessage({ headers: {}, body: new Int16Array(2) as unknown as Uint8Array }),
    TypeError,
    'an Int16Array would be truncated',
  );
  // Other byte views carry the same bytes.
  const bytes = Uint8Array.of(0, 1, 127, 128, 255);
  assert.equal(
    encodeMessage({ headers: {}, body: new Int8Array(bytes.buffer) as unknown as Uint8Array }),
    encodeMessage({ headers: {}, body: bytes }),
  );
});

validation('decode: declared lengths are checked against the limits before anything is buffered', () => {
  const cases: [string, number, number][] = [
    ['total below 16', 15, 0],
    ['headers longer than the message', 20, 5],
    ['headers block over 128 KiB', 16 + MAX_HEADERS_LENGTH + 1, MAX_HEADERS_LENGTH + 1],
    ['payload over 16 MiB', 16 + MAX_PAYLOAD_LENGTH + 1, 0],
    ['4 GiB message', 0xffffffff, 0],
  ];
  for (const [what, total, headersLength] of cases) {
    const prelude = u8(be32(total), be32(headersLength));
    const head = u8(prelude, be32(zlibCrc32(prelude)));
    throwsCode(() => decodeMessage(head), 'LENGTH', what);
    const d = new MessageDecoder();
    throwsCode(() => d.push(head), 'LENGTH', `${what} (streamed)`);
    assert.is(d.pending, 0);
  }
  // The largest legal declaration is accepted and buffered (up to MAX_MESSAGE_LENGTH, no more).
  const total = 16 + MAX_HEADERS_LENGTH + MAX_PAYLOAD_LENGTH;
  assert.is(total, MAX_MESSAGE_LENGTH);
  const prelude = u8(be32(total), be32(MAX_HEADERS_LENGTH));
  const d = new MessageDecoder();
  assert.equal(d.push(u8(prelude, be32(zlibCrc32(prelude)))), []);
  assert.is(d.pending, 12);
});

validation('decode: whole-message input must be exactly one message', () => {
  const one = frame(rawHeader('a', 0), u8('x'));
  throwsCode(() => decodeMessage(empty), 'TRUNCATED', 'empty input');
  throwsCode(() => decodeMessage(one.subarray(0, 11)), 'TRUNCATED', '11 bytes');
  throwsCode(() => decodeMessage(one.subarray(0, one.length - 1)), 'TRUNCATED', 'one byte short');
  throwsCode(() => decodeMessage(u8(one, [0])), 'LENGTH', 'a trailing byte');
  throwsCode(() => decodeMessage(u8(one, one)), 'LENGTH', 'two messages');
});

validation('decode: malformed headers blocks', () => {
  const bad: [string, Uint8Array, EventStreamErrorCode][] = [
    ['empty name', u8([0, 0]), 'LENGTH'],
    ['block ends inside a name', u8([5], 'abc'), 'HEADER'],
    ['block ends before the type', u8([3], 'abc'), 'HEADER'],
    ['unknown type 10', rawHeader('x', 10), 'HEADER'],
    ['unknown type 255', rawHeader('x', 255, [0, 0, 0, 0]), 'HEADER'],
    ['byte value cut', rawHeader('x', 2), 'HEADER'],
    ['short value cut', rawHeader('x', 3, [1]), 'HEADER'],
    ['integer value cut', rawHeader('x', 4, [1, 2, 3]), 'HEADER'],
    ['long value cut', rawHeader('x', 5, [1, 2, 3, 4, 5, 6, 7]), 'HEADER'],
    ['timestamp value cut', rawHeader('x', 8, [0, 0, 0]), 'HEADER'],
    ['uuid value cut', rawHeader('x', 9, new Array(15).fill(1)), 'HEADER'],
    ['string length cut', rawHeader('x', 7, [0]), 'HEADER'],
    ['string value cut', rawHeader('x', 7, [0, 3, 65, 66]), 'HEADER'],
    ['binary value cut', rawHeader('x', 6, [0, 3]), 'HEADER'],
    ['string value over 32767 bytes', u8(rawHeader('x', 7, be16(32768)), new Uint8Array(32768)), 'LENGTH'],
    ['binary value over 32767 bytes', u8(rawHeader('x', 6, be16(65535)), new Uint8Array(65535)), 'LENGTH'],
    ['duplicate name', u8(rawHeader('dup', 0), rawHeader('dup', 1)), 'HEADER'],
    ['timestamp outside Date', rawHeader('t', 8, [0, 0x1e, 0xb2, 0x08, 0xc2, 0xdc, 0x00, 0x01]), 'HEADER'],
  ];
  for (const [what, headers, code] of bad) {
    const bytes = frame(headers, u8('payload'));
    throwsCode(() => decodeMessage(bytes), code, what);
    throwsCode(() => new MessageDecoder().push(bytes), code, `${what} (streamed)`);
  }
  const dup = throwsCode(
    () => decodeMessage(frame(u8(rawHeader('dup', 0), rawHeader('dup', 0)), empty)),
    'HEADER',
    'duplicate',
  );
  assert.match(dup.message, /duplicate header "dup"/);
});

validation('errors print their code and never echo header values', () => {
  const e = throwsCode(
    () => encodeMessage({ headers: { tok: { type: 'short', value: 123456 } }, body: empty }),
    'HEADER',
    'range',
  );
  assert.match(String(e), /^EventStreamError \[HEADER\]: /);
  assert.not.match(e.message, /123456/);
  assert.is(e.name, 'EventStreamError');
  assert.instance(e, Error);
});

// ---------------------------------------------------------------------------------------------
// Streaming decoder.

const streaming = suite('MessageDecoder');

const sampleMessages = (): Message[] => [
  { headers: {}, body: empty },
  {
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'TranscriptEvent' },
    },
    body: u8('{"Transcript":{"Results":[]}}'),
  },
  {
    headers: {
      t: { type: 'boolean', value: true },
      f: { type: 'boolean', value: false },
      b: { type: 'byte', value: -5 },
      s: { type: 'short', value: 300 },
      i: { type: 'integer', value: -70000 },
      l: { type: 'long', value: -(2n ** 40n) },
      x: { type: 'binary', value: u8([0, 1, 2, 255]) },
      u: { type: 'string', value: 'ünïcødé 😀' },
      d: { type: 'timestamp', value: new Date(1732560000123) },
      id: { type: 'uuid', value: '0f0e0d0c-0b0a-0908-0706-050403020100' },
    },
    body: u8('payload'),
  },
  {
    headers: { ':exception-type': { type: 'string', value: 'BadRequestException' } },
    body: new Uint8Array(40).map((_, i) => i),
  },
  { headers: {}, body: u8('z') },
];

streaming('split at every byte boundary of a five-message stream (two chunks)', () => {
  const msgs = sampleMessages();
  const stream = concatBytes(msgs.map(encodeMessage));
  for (let k = 0; k <= stream.length; k++) {
    const d = new MessageDecoder();
    const got = [...d.push(stream.subarray(0, k)), ...d.push(stream.subarray(k))];
    assert.equal(got, msgs, `split at ${k}`);
    assert.is(d.pending, 0);
    d.end();
  }
});

streaming('every pair of split points (three chunks) of a shorter stream, and byte by byte', () => {
  const msgs = [sampleMessages()[0]!, sampleMessages()[1]!, sampleMessages()[4]!];
  const stream = concatBytes(msgs.map(encodeMessage));
  for (let a = 0; a <= stream.length; a++) {
    for (let b = a; b <= stream.length; b++) {
      const d = new MessageDecoder();
      const got = [...d.push(stream.subarray(0, a)), ...d.push(stream.subarray(a, b)), ...d.push(stream.subarray(b))];
      if (got.length !== 3 || d.pending !== 0) assert.unreachable(`split at ${a}, ${b}`);
      assert.equal(got, msgs);
    }
  }
  const d = new MessageDecoder();
  const got: Message[] = [];
  const pendings: number[] = [];
  for (let i = 0; i < stream.length; i++) {
    got.push(...d.push(stream.subarray(i, i + 1)));
    pendings.push(d.pending);
  }
  assert.equal(got, msgs);
  assert.is(Math.max(...pendings), Math.max(...msgs.map((m) => encodeMessage(m).length)) - 1);
});

streaming('several messages in one chunk are decoded in place (zero-copy); a split one is assembled', () => {
  const msgs = sampleMessages();
  const stream = concatBytes(msgs.map(encodeMessage));
  const d = new MessageDecoder();
  const got = d.push(stream);
  assert.equal(got, msgs);
  for (const m of got) assert.is(m.body.buffer, stream.buffer);
  const cut = 20;
  const first = d.push(stream.subarray(0, cut));
  assert.equal(first, [msgs[0]]);
  const rest = d.push(stream.subarray(cut));
  assert.equal(rest, msgs.slice(1));
  assert.is.not(rest[0]!.body.buffer, stream.buffer, 'the split message lives in its own buffer');
  assert.is(rest[1]!.body.buffer, stream.buffer, 'the next whole message is a view again');
});

streaming('empty chunks are fine; end() reports a stream cut inside a message', () => {
  const bytes = encodeMessage(sampleMessages()[2]!);
  const d = new MessageDecoder();
  assert.equal(d.push(empty), []);
  d.push(bytes.subarray(0, 5));
  assert.equal(d.push(empty), []);
  assert.is(d.pending, 5);
  throwsCode(() => d.end(), 'TRUNCATED', 'end inside the prelude');
  d.reset();
  d.push(bytes.subarray(0, 30));
  assert.is(d.pending, 30);
  const e = throwsCode(() => d.end(), 'TRUNCATED', 'end inside the body');
  assert.match(e.message, new RegExp(`30 of ${bytes.length} bytes`));
  d.reset();
  d.push(bytes);
  d.end();
});

streaming('an error is sticky until reset()', () => {
  const good = encodeMessage(sampleMessages()[1]!);
  const bad = good.slice();
  bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
  const d = new MessageDecoder();
  const e = throwsCode(() => d.push(bad), 'MESSAGE_CRC', 'corrupt');
  assert.is(d.pending, 0);
  try {
    d.push(good);
    assert.unreachable('should rethrow');
  } catch (again) {
    assert.is(again, e);
  }
  d.reset();
  assert.equal(d.push(good), [sampleMessages()[1]]);
});

streaming('a chunk that is not bytes is a TypeError, and the decoder stays usable', () => {
  const good = encodeMessage(sampleMessages()[1]!);
  const d = new MessageDecoder();
  d.push(good.subarray(0, 3));
  assert.throws(() => d.push(null as unknown as Uint8Array), TypeError);
  assert.is(d.pending, 0, 'the partial message was dropped with the bad chunk');
  assert.equal(d.push(good), [sampleMessages()[1]]);
});

streaming('a message declaring more bytes than a chunk holds is not decoded early', () => {
  const bytes = encodeMessage({ headers: {}, body: new Uint8Array(1000) });
  const d = new MessageDecoder();
  assert.equal(d.push(bytes.subarray(0, 999)), []);
  assert.is(d.pending, 999);
  assert.is(d.push(bytes.subarray(999)).length, 1);
});

// ---------------------------------------------------------------------------------------------
// Differential against @smithy/eventstream-codec (what @aws-sdk/client-transcribe-streaming uses).

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function randomString(r: () => number, maxChars: number): string {
  const n = int(r, 0, maxChars);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.6) s += String.fromCharCode(int(r, 0, 0x7f));
    else if (k < 0.75) s += String.fromCharCode(int(r, 0x80, 0x7ff));
    else if (k < 0.88) s += String.fromCharCode(r() < 0.5 ? int(r, 0x800, 0xd7ff) : int(r, 0xe000, 0xffff));
    else if (k < 0.98) s += String.fromCodePoint(int(r, 0x10000, 0x10ffff));
    else s += String.fromCharCode(int(r, 0xd800, 0xdfff)); // lone surrogate: U+FFFD on the wire, as TextEncoder
  }
  return s;
}

function randomName(r: () => number, used: Set<string>): string {
  for (;;) {
    const k = r();
    const name =
      k < 0.03
        ? 'n'.repeat(int(r, 250, 255))
        : k < 0.1
          ? randomString(r, 60)
          : `:${randomString(r, 12).replace(/[^\x20-\x7e]/g, 'x')}`;
    const bytes = Buffer.byteLength(name);
    if (bytes >= 1 && bytes <= 255 && !used.has(name) && name !== '__proto__') {
      used.add(name);
      return name;
    }
  }
}

function randomValue(r: () => number, budget: { big: number }): HeaderValue {
  const type = int(r, 0, 9);
  const edge = r() < 0.15;
  switch (type) {
    case 0:
    case 1:
      return { type: 'boolean', value: type === 0 };
    case 2:
      return { type: 'byte', value: edge ? (r() < 0.5 ? -128 : 127) : int(r, -128, 127) };
    case 3:
      return { type: 'short', value: edge ? (r() < 0.5 ? -32768 : 32767) : int(r, -32768, 32767) };
    case 4:
      return {
        type: 'integer',
        value: edge ? (r() < 0.5 ? -2147483648 : 2147483647) : int(r, -2147483648, 2147483647),
      };
    case 5: {
      const v = BigInt.asIntN(64, (BigInt(int(r, 0, 0xffffffff)) << 32n) | BigInt(int(r, 0, 0xffffffff)));
      return {
        type: 'long',
        value: edge
          ? [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n][int(r, 0, 3)]!
          : r() < 0.3
            ? BigInt(int(r, -1000, 1000))
            : v,
      };
    }
    case 6: {
      const big = budget.big > 0 && r() < 0.02;
      if (big) budget.big--;
      const n = big ? int(r, 30000, 32767) : int(r, 0, 64);
      return { type: 'binary', value: new Uint8Array(n).map(() => int(r, 0, 255)) };
    }
    case 7: {
      const big = budget.big > 0 && r() < 0.02;
      if (big) budget.big--;
      return {
        type: 'string',
        value: big ? 'é'.repeat(int(r, 15000, 16383)) + randomString(r, 1) : randomString(r, 80),
      };
    }
    case 8: {
      const ms = edge
        ? [-8.64e15, 8.64e15, 0, -1][int(r, 0, 3)]!
        : r() < 0.5
          ? int(r, 0, 2e12)
          : Math.round((r() * 2 - 1) * 8.64e15);
      return { type: 'timestamp', value: new Date(ms) };
    }
    default: {
      const hex = Buffer.from(new Uint8Array(16).map(() => int(r, 0, 255))).toString('hex');
      return {
        type: 'uuid',
        value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      };
    }
  }
}

function randomMessage(r: () => number): Message {
  const headers: Headers = {};
  const used = new Set<string>();
  const budget = { big: 3 }; // three 32 KiB values at most: the block stays under 128 KiB
  const count = r() < 0.05 ? int(r, 20, 60) : int(r, 0, 8);
  for (let i = 0; i < count; i++) headers[randomName(r, used)] = randomValue(r, budget);
  const k = r();
  const size =
    k < 0.5 ? int(r, 0, 64) : k < 0.9 ? int(r, 65, 4000) : k < 0.995 ? int(r, 4001, 70000) : int(r, 70001, 400000);
  const body = new Uint8Array(size);
  for (let i = 0; i < size; i += 97) body[i] = int(r, 0, 255);
  return { headers, body };
}

/** What a decoder must return for `m`: strings as their UTF-8 round trip (lone surrogates become U+FFFD). */
function expected(m: Message): Message {
  const headers: Headers = {};
  for (const [k, v] of Object.entries(m.headers)) {
    headers[Buffer.from(k, 'utf8').toString('utf8')] =
      v.type === 'string' ? { type: 'string', value: Buffer.from(v.value, 'utf8').toString('utf8') } : v;
  }
  return { headers, body: m.body };
}

function bigintBytes(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, v);
  return out;
}

function toSmithy(m: Message): { headers: SmithyHeaders; body: Uint8Array } {
  const headers: SmithyHeaders = {};
  for (const [k, v] of Object.entries(m.headers)) {
    headers[k] =
      v.type === 'long' ? { type: 'long', value: new Int64(bigintBytes(v.value)) } : (v as SmithyHeaders[string]);
  }
  return { headers, body: m.body };
}

function fromSmithy(m: { headers: SmithyHeaders; body: Uint8Array }): Message {
  const headers: Headers = {};
  for (const [k, v] of Object.entries(m.headers)) {
    if (v.type === 'long') {
      const b = v.value.bytes;
      headers[k] = { type: 'long', value: new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0) };
    } else if (v.type === 'binary') {
      headers[k] = { type: 'binary', value: new Uint8Array(v.value) };
    } else {
      headers[k] = v as HeaderValue;
    }
  }
  return { headers, body: new Uint8Array(m.body) };
}

function randomChunks(r: () => number, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    const k = r();
    const n = k < 0.3 ? int(r, 1, 16) : k < 0.8 ? int(r, 17, 4096) : int(r, 4097, 200000);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

const differential = suite('differential vs @smithy/eventstream-codec');
const DIFF_MESSAGES = 10_000;
const DIFF_BATCH = 25;

differential(
  `${DIFF_MESSAGES} random messages: identical bytes and values both ways, whole and in random chunks`,
  async () => {
    const seed = 20261125;
    const r = prng(seed);
    let checked = 0;
    const typesSeen = new Set<number>();
    for (let batch = 0; batch < DIFF_MESSAGES / DIFF_BATCH; batch++) {
      const msgs: Message[] = [];
      const encoded: Uint8Array[] = [];
      for (let j = 0; j < DIFF_BATCH; j++) {
        const m = randomMessage(r);
        const want = expected(m);
        for (const v of Object.values(m.headers))
          typesSeen.add(
            v.type === 'boolean'
              ? v.value
                ? 0
                : 1
              : ['byte', 'short', 'integer', 'long', 'binary', 'string', 'timestamp', 'uuid'].indexOf(v.type) + 2,
          );
        const ours = encodeMessage(m);
        const theirs = codec.encode(toSmithy(m));
        if (Buffer.compare(ours, theirs) !== 0)
          assert.equal(ours, theirs, `seed ${seed} batch ${batch} message ${j}: encoded bytes differ`);
        const byUs = decodeMessage(theirs);
        assert.equal(byUs, want, `seed ${seed} batch ${batch} message ${j}: our decode of their bytes`);
        assert.equal(Object.keys(byUs.headers), Object.keys(want.headers), 'header order');
        assert.equal(
          fromSmithy(codec.decode(ours)),
          want,
          `seed ${seed} batch ${batch} message ${j}: their decode of our bytes`,
        );
        msgs.push(want);
        encoded.push(ours);
        checked++;
      }
      // The same batch as one stream cut at random points, through both streaming decoders.
      const chunks = randomChunks(r, concatBytes(encoded));
      const d = new MessageDecoder();
      const got: Message[] = [];
      for (const c of chunks) {
        for (const m of d.push(c)) got.push(m);
        if (d.pending > MAX_MESSAGE_LENGTH) assert.unreachable('pending over the limit');
      }
      d.end();
      assert.equal(got, msgs, `seed ${seed} batch ${batch}: our streaming decode`);
      const theirs: Message[] = [];
      const source = (async function* () {
        for (const c of chunks) yield c;
      })();
      for await (const bytes of getChunkedStream(source)) theirs.push(fromSmithy(codec.decode(bytes)));
      assert.equal(theirs, msgs, `seed ${seed} batch ${batch}: their streaming decode`);
    }
    assert.is(checked, DIFF_MESSAGES);
    assert.equal(
      [...typesSeen].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      'all ten wire types covered',
    );
  },
);

// ---------------------------------------------------------------------------------------------
// Fuzz: random bytes and mutations of valid frames.

const fuzz = suite('fuzz');

function tryDecode(bytes: Uint8Array, what: string): Message | undefined {
  try {
    return decodeMessage(bytes);
  } catch (err) {
    if (!(err instanceof EventStreamError)) assert.unreachable(`${what}: threw ${String(err)}`);
    return undefined;
  }
}

function mutate(r: () => number, src: Uint8Array): Uint8Array {
  let b: Uint8Array = src.slice();
  const rounds = int(r, 1, 4);
  for (let i = 0; i < rounds; i++) {
    const k = r();
    if (k < 0.35 && b.length > 0) {
      const at = int(r, 0, b.length - 1);
      b[at] = b[at]! ^ (1 << int(r, 0, 7));
    } else if (k < 0.6 && b.length > 0) b[int(r, 0, b.length - 1)] = int(r, 0, 255);
    else if (k < 0.7) b = b.subarray(0, int(r, 0, b.length));
    else if (k < 0.8)
      b = u8(
        b,
        new Uint8Array(int(r, 1, 8)).map(() => int(r, 0, 255)),
      );
    else if (k < 0.9 && b.length > 16) {
      // Rewrite a header-area byte that matters: a name length, a type or a value length.
      const at = int(r, 12, Math.min(b.length - 5, 40));
      b[at] = [0, 1, 9, 10, 0x7f, 0xff][int(r, 0, 5)]!;
    } else if (b.length >= 8) {
      // Lie about a length in the prelude.
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      v.setUint32(
        r() < 0.5 ? 0 : 4,
        [0, 15, 16, b.length + 1, b.length - 1, 0xffffffff, int(r, 0, 300)][int(r, 0, 6)]!,
      );
    }
  }
  // Half the time re-seal the CRCs so the mutation reaches the length checks and the header parser.
  if (r() < 0.5) reseal(b);
  return b;
}

fuzz('random bytes never throw anything but EventStreamError, whole or streamed', () => {
  const r = prng(1);
  for (let n = 0; n < 3000; n++) {
    const bytes = new Uint8Array(int(r, 0, 200)).map(() => int(r, 0, 255));
    if (r() < 0.5) reseal(bytes); // valid CRCs over random lengths and headers
    tryDecode(bytes, `random #${n}`);
    const d = new MessageDecoder();
    try {
      for (const c of randomChunks(r, bytes)) d.push(c);
      if (d.pending > MAX_MESSAGE_LENGTH) assert.unreachable('pending over the limit');
    } catch (err) {
      if (!(err instanceof EventStreamError)) assert.unreachable(`random #${n} streamed: threw ${String(err)}`);
    }
  }
});

fuzz('mutations of valid frames: only EventStreamError, pending within limits, decoded results re-encode', () => {
  const r = prng(2);
  const base = [
    ...sampleMessages().map(encodeMessage),
    ...Array.from({ length: 40 }, () => encodeMessage(randomMessage(r))),
  ].filter((b) => b.length < 20000);
  let decoded = 0;
  let errors = 0;
  const codes = new Set<string>();
  for (let n = 0; n < 6000; n++) {
    const src = base[int(r, 0, base.length - 1)]!;
    const bytes = mutate(r, src);
    const m = tryDecode(bytes, `mutation #${n}`);
    if (m) {
      decoded++;
      try {
        assert.equal(decodeMessage(encodeMessage(m)), m, `mutation #${n}: decoded message re-encodes`);
      } catch (err) {
        // A mangled UTF-8 name can decode to U+FFFDs that no longer fit 255 bytes: refused, not crashed.
        if (!(err instanceof EventStreamError)) throw err;
      }
    } else errors++;
    // The same bytes, and a valid frame after them, through the streaming decoder in random chunks.
    const d = new MessageDecoder();
    try {
      for (const c of randomChunks(r, u8(bytes, src))) {
        d.push(c);
        if (d.pending > MAX_MESSAGE_LENGTH) assert.unreachable(`mutation #${n}: pending ${d.pending}`);
      }
    } catch (err) {
      if (!(err instanceof EventStreamError)) assert.unreachable(`mutation #${n} streamed: threw ${String(err)}`);
      codes.add((err as EventStreamError).code);
    }
  }
  assert.ok(decoded > 100 && errors > 1000, `both outcomes exercised (${decoded} decoded, ${errors} rejected)`);
  for (const c of ['PRELUDE_CRC', 'MESSAGE_CRC', 'LENGTH', 'HEADER'])
    assert.ok(codes.has(c), `code ${c} reached by fuzzing`);
  console.log(
    `note: fuzz: 6000 mutations, ${decoded} decoded, ${errors} rejected, codes ${[...codes].sort().join(' ')}`,
  );
});

fuzz('a valid prelude declaring a huge message is refused before any allocation', () => {
  const r = prng(3);
  for (let n = 0; n < 2000; n++) {
    const total = int(r, MAX_MESSAGE_LENGTH + 1, 0xffffffff);
    const prelude = u8(be32(total), be32(int(r, 0, 0xffffffff)));
    const d = new MessageDecoder();
    throwsCode(() => d.push(u8(prelude, be32(zlibCrc32(prelude)))), 'LENGTH', ascii(prelude));
    assert.is(d.pending, 0);
  }
});

vectors.run();
types.run();
validation.run();
streaming.run();
differential.run();
fuzz.run();
