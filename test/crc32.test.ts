import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Table, setCrc32Implementation } from '../dist/core/index.js';

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

test('pluggable native implementation, and null restores the table', () => {
  let calls = 0;
  setCrc32Implementation((d, p) => (calls++, zlibCrc32(d, p ?? 0)));
  assert.is(crc32(ascii('abc')), 0x352441c2);
  assert.is(calls, 1);
  setCrc32Implementation(null);
  assert.is(crc32(ascii('abc')), 0x352441c2);
  assert.is(calls, 1);
});

test.run();
