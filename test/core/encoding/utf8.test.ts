import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utf8Decode, utf8Encode, utf8Length, utf8Write } from '../../../dist/core/index.js';

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

test('encodes like TextEncoder at every width boundary and on random strings; utf8Write writes at an offset', () => {
  const edges = [0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xffff];
  const strings = edges.map((c) => String.fromCharCode(c));
  for (const cp of [0x10000, 0x1f600, 0x10ffff]) strings.push(String.fromCodePoint(cp));
  let seed = 9;
  const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0);
  for (let n = 0; n < 3000; n++) {
    let s = '';
    for (let i = rnd() % 10; i > 0; i--) {
      const k = rnd() % 5;
      s +=
        k === 0
          ? String.fromCharCode(rnd() % 0x80)
          : k === 1
            ? String.fromCharCode(0x80 + (rnd() % 0x780))
            : k === 2
              ? String.fromCharCode(rnd() % 0x10000)
              : String.fromCodePoint(0x10000 + (rnd() % 0x100000));
    }
    strings.push(s);
  }
  for (const s of strings) {
    const want = enc.encode(s);
    assert.equal(Array.from(utf8Encode(s)), Array.from(want), JSON.stringify(s));
    assert.is(utf8Length(s), want.length, JSON.stringify(s));
    const out = new Uint8Array(want.length + 5).fill(0xee);
    assert.is(utf8Write(s, out, 3), 3 + want.length);
    assert.equal(Array.from(out.subarray(3, 3 + want.length)), Array.from(want));
    assert.ok(
      out[0] === 0xee && out[1] === 0xee && out[2] === 0xee && out[out.length - 2] === 0xee,
      'nothing written outside',
    );
  }
});

test('decodes a sub-range', () => {
  const b = utf8Encode('xxhello語yy');
  assert.is(utf8Decode(b, 2, b.length - 2), 'hello語');
});

test.run();
