import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32 as awsCrc32 } from '@aws-crypto/crc32';
import { crc32, crc32Table, setCrc32Implementation } from '../../../dist/core/index.js';
import { crc32Uint32BE } from '../../../dist/core/encoding/crc32.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('known values (zlib check value and empty input)', () => {
  assert.is(crc32(ascii('123456789')), 0xcbf43926);
  assert.is(crc32(new Uint8Array(0)), 0);
  assert.is(crc32(ascii('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('matches node:zlib on random inputs of every length up to 300 and random offsets', () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  const big = new Uint8Array(4096).map(rnd);
  for (let len = 0; len <= 300; len++) {
    const off = rnd() % 64;
    const view = big.subarray(off, off + len);
    assert.is(crc32Table(view), zlibCrc32(view), `len ${len} off ${off}`);
  }
});

test('incremental: crc(a+b) == crc(b, crc(a)) at every split', () => {
  const data = ascii('incremental CRC over an event-stream frame, split anywhere');
  const whole = crc32Table(data);
  for (let k = 0; k <= data.length; k++) {
    assert.is(crc32Table(data.subarray(k), crc32Table(data.subarray(0, k))), whole);
  }
});

test('word path: every alignment and tail around the 256-byte switch, and long inputs, match node:zlib', () => {
  let seed = 11;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  const big = new Uint8Array(1 << 20).map(rnd);
  for (let off = 0; off < 8; off++) {
    for (let len = 230; len <= 300; len++) {
      const view = big.subarray(off, off + len);
      assert.is(crc32Table(view), zlibCrc32(view), `off ${off} len ${len}`);
      assert.is(crc32Table(view, 0xdeadbeef), zlibCrc32(view, 0xdeadbeef), `continued, off ${off} len ${len}`);
    }
  }
  for (const len of [3200, 3304, 65536, 65539, big.length - 5]) {
    const view = big.subarray(5, 5 + len);
    assert.is(crc32Table(view), zlibCrc32(view), `len ${len}`);
  }
  // A view whose buffer is larger than the view, on a SharedArrayBuffer.
  const shared = new Uint8Array(new SharedArrayBuffer(4096));
  shared.set(big.subarray(0, 4096));
  assert.is(crc32Table(shared.subarray(3, 4000)), zlibCrc32(big.subarray(3, 4000)));
});

test('agrees with @aws-crypto/crc32 (what older AWS SDKs use)', () => {
  const data = new Uint8Array(5000).map((_, i) => (i * 131 + (i >> 3)) & 255);
  for (const len of [0, 1, 7, 8, 63, 64, 65, 1000, 5000])
    assert.is(crc32Table(data.subarray(0, len)), awsCrc32(data.subarray(0, len)));
});

test('crc32Uint32BE equals the CRC of the four big-endian bytes, continued or not', () => {
  let seed = 5;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let n = 0; n < 2000; n++) {
    const v = rnd();
    const prev = n % 3 === 0 ? 0 : rnd();
    const bytes = Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
    assert.is(crc32Uint32BE(v, prev), zlibCrc32(bytes, prev));
  }
  // The event-stream prelude of the empty message (vector empty_message: prelude_crc 0x05c248eb).
  assert.is(crc32Uint32BE(0, crc32Uint32BE(16)), 0x05c248eb);
});

test('pluggable native implementation, and null restores the table', () => {
  let calls = 0;
  setCrc32Implementation((d, p) => {
    calls++;
    return zlibCrc32(d, p ?? 0);
  });
  assert.is(crc32(ascii('abc')), 0x352441c2);
  assert.is(calls, 1);
  setCrc32Implementation(null);
  assert.is(crc32(ascii('abc')), 0x352441c2);
  assert.is(calls, 1);
});

test.run();
