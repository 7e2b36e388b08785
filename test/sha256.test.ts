import { createHash, createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hmacSha256, sha256, toHex } from '../dist/core/index.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const nodeSha = (d: Uint8Array | string): string => createHash('sha256').update(d).digest('hex');
const nodeHmac = (k: Uint8Array | string, d: Uint8Array | string): string => createHmac('sha256', k).update(d).digest('hex');

// FIPS 180-4 / NIST CSRC "SHA256.pdf" example values.
test('NIST examples: "", "abc", the 448-bit message, one million "a"', () => {
  assert.is(toHex(sha256('')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(toHex(sha256('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(
    toHex(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
  assert.is(toHex(sha256('a'.repeat(1_000_000))), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  // The same long message as bytes, so both the string and the byte path are covered.
  assert.is(toHex(sha256(new Uint8Array(1_000_000).fill(0x61))), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  // 896-bit two-block example.
  assert.is(
    toHex(sha256('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu')),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  );
});

// RFC 4231 §4.2–4.8. Case 5 truncates the output to 128 bits.
const RFC4231: { key: string; data: string; mac: string; truncate?: number }[] = [
  { key: '0b'.repeat(20), data: Buffer.from('Hi There').toString('hex'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { key: Buffer.from('Jefe').toString('hex'), data: Buffer.from('what do ya want for nothing?').toString('hex'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { key: 'aa'.repeat(20), data: 'dd'.repeat(50), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { key: '0102030405060708090a0b0c0d0e0f10111213141516171819', data: 'cd'.repeat(50), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { key: '0c'.repeat(20), data: Buffer.from('Test With Truncation').toString('hex'), mac: 'a3b6167473100ee06e0c796c2955552b', truncate: 16 },
  { key: 'aa'.repeat(131), data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First').toString('hex'), mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
  {
    key: 'aa'.repeat(131),
    data: Buffer.from('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.').toString('hex'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

test('RFC 4231 HMAC-SHA-256 test cases 1-7', () => {
  RFC4231.forEach((c, i) => {
    const mac = hmacSha256(hex(c.key), hex(c.data));
    assert.is(mac.length, 32);
    assert.is(toHex(c.truncate ? mac.subarray(0, c.truncate) : mac), c.mac, `case ${i + 1}`);
  });
});

test('string keys and data are UTF-8, like node:crypto', () => {
  assert.is(toHex(hmacSha256('Jefe', 'what do ya want for nothing?')), RFC4231[1]!.mac);
  assert.is(toHex(hmacSha256('ключ 🔑', 'données ✓ 語')), nodeHmac('ключ 🔑', 'données ✓ 語'));
  assert.is(toHex(sha256('é€😀')), nodeSha('é€😀'));
});

let seed = 0x1234567;
const rnd = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};
const randomBytes = (n: number): Uint8Array => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rnd() & 255;
  return b;
};
const ALPHABET = ['a', 'Z', '0', ' ', '/', '%', 'é', 'ß', '€', '語', '😀', '\n', '~'];
const randomString = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[rnd() % ALPHABET.length];
  return s;
};

test('random byte inputs of every length around block boundaries match node:crypto', () => {
  for (let n = 0; n <= 260; n++) {
    const d = randomBytes(n);
    assert.is(toHex(sha256(d)), nodeSha(d), `length ${n}`);
  }
  for (const n of [511, 512, 513, 1000, 4095, 4096, 4097, 65536 + 7]) {
    const d = randomBytes(n);
    assert.is(toHex(sha256(d)), nodeSha(d), `length ${n}`);
  }
});

test('random strings (non-ASCII, astral) and HMAC keys of many sizes match node:crypto', () => {
  for (let i = 0; i < 400; i++) {
    const s = randomString(rnd() % 150);
    assert.is(toHex(sha256(s)), nodeSha(s), JSON.stringify(s));
    const keyLen = [0, 1, 32, 63, 64, 65, 100, 200][i % 8]!;
    const key = randomBytes(keyLen);
    const data = i % 2 ? randomBytes(rnd() % 300) : s;
    assert.is(toHex(hmacSha256(key, data)), nodeHmac(key, data), `hmac key ${keyLen}`);
    const skey = randomString(keyLen % 70);
    assert.is(toHex(hmacSha256(skey, s)), nodeHmac(skey, s), `string key ${JSON.stringify(skey)}`);
  }
});

test('subarray views hash only their own bytes; inputs are not modified', () => {
  const big = randomBytes(300);
  const copy = big.slice();
  const view = big.subarray(17, 211);
  assert.is(toHex(sha256(view)), nodeSha(view));
  assert.is(toHex(hmacSha256(big.subarray(0, 80), view)), nodeHmac(big.subarray(0, 80), view));
  assert.equal(big, copy);
});

test('each call returns a fresh digest array', () => {
  const a = sha256('x');
  const b = sha256('y');
  assert.is.not(a, b);
  assert.is(toHex(a), nodeSha('x'));
  assert.is(toHex(b), nodeSha('y'));
});

test('toHex', () => {
  assert.is(toHex(new Uint8Array([0, 1, 15, 16, 171, 255])), '00010f10abff');
  assert.is(toHex(new Uint8Array(0)), '');
});

test.run();
