import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utf8Decode, utf8Encode, utf8Length } from '../dist/core/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

test('encodes like TextEncoder, including astral characters and lone surrogates', () => {
  for (const s of ['', 'abc', 'é', '€', '語', '😀', 'a\ud800b', '\udc00', 'x\ud83d', 'mixed ñ 語 😀 end']) {
    assert.equal(Array.from(utf8Encode(s)), Array.from(enc.encode(s)), JSON.stringify(s));
    assert.is(utf8Length(s), enc.encode(s).length);
  }
});

test('decodes like TextDecoder on random valid and invalid byte strings', () => {
  let seed = 3;
  const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0);
  for (let n = 0; n < 5000; n++) {
    const len = rnd() % 12;
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const r = rnd();
      bytes[i] = r % 3 === 0 ? (r >>> 8) & 0x7f : (r >>> 8) & 0xff;
    }
    assert.is(utf8Decode(bytes), dec.decode(bytes), Array.from(bytes).join(','));
  }
});

test('round-trips every BMP code point and some astral ones', () => {
  let s = '';
  for (let c = 0; c < 0xd800; c += 7) s += String.fromCharCode(c);
  for (let c = 0xe000; c < 0x10000; c += 5) s += String.fromCharCode(c);
  s += '😀🎉𝄞';
  assert.is(utf8Decode(utf8Encode(s)), s);
});

test('decodes a sub-range', () => {
  const b = utf8Encode('xxhello語yy');
  assert.is(utf8Decode(b, 2, b.length - 2), 'hello語');
});

test.run();
