import { createHash, createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hmacSha256, sha256, toHex } from '../../../dist/core/index.js';
import { hmac, hmacState, IV, K, sha256Parts } from '../../../dist/core/sigv4/sha256.js';
import { Xorshift32 } from '../../helpers/xorshift.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const nodeSha = (d: Uint8Array | string): string => createHash('sha256').update(d).digest('hex');
const nodeHmac = (k: Uint8Array | string, d: Uint8Array | string): string =>
  createHmac('sha256', k).update(d).digest('hex');

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
  assert.is(
    toHex(sha256(new Uint8Array(1_000_000).fill(0x61))),
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  );
  // 896-bit two-block example.
  assert.is(
    toHex(
      sha256(
        'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno' +
          'ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      ),
    ),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  );
});

// RFC 4231 §4.2–4.8. Case 5 truncates the output to 128 bits.
const RFC4231: { key: string; data: string; mac: string; truncate?: number }[] = [
  {
    key: '0b'.repeat(20),
    data: Buffer.from('Hi There').toString('hex'),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    key: Buffer.from('Jefe').toString('hex'),
    data: Buffer.from('what do ya want for nothing?').toString('hex'),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    key: 'aa'.repeat(20),
    data: 'dd'.repeat(50),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    key: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    data: 'cd'.repeat(50),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    key: '0c'.repeat(20),
    data: Buffer.from('Test With Truncation').toString('hex'),
    mac: 'a3b6167473100ee06e0c796c2955552b',
    truncate: 16,
  },
  {
    key: 'aa'.repeat(131),
    data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First').toString('hex'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    key: 'aa'.repeat(131),
    data: Buffer.from(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be ' +
        'hashed before being used by the HMAC algorithm.',
    ).toString('hex'),
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

const random = new Xorshift32(0x1234567);
const rnd = (): number => random.next();
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

// FIPS 180-4 §4.2.2 and §5.3.3, as printed in the standard. The module computes these from the
// cube and square roots of the primes; this pins every value (and the order) to the published table.
const FIPS_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];
const FIPS_IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

test('round constants and initial hash value computed at init equal the FIPS 180-4 table', () => {
  assert.is(K.length, 64);
  assert.is(IV.length, 8);
  // A few by name first, so a failure reads against the standard directly.
  assert.is(K[0]! >>> 0, 0x428a2f98, 'K0 = cbrt(2)');
  assert.is(K[1]! >>> 0, 0x71374491, 'K1 = cbrt(3)');
  assert.is(K[31]! >>> 0, 0x14292967, 'K31 = cbrt(131)');
  assert.is(K[63]! >>> 0, 0xc67178f2, 'K63 = cbrt(311)');
  assert.is(IV[0]! >>> 0, 0x6a09e667, 'H0 = sqrt(2)');
  assert.is(IV[7]! >>> 0, 0x5be0cd19, 'H7 = sqrt(19)');
  assert.equal(
    Array.from(K, (k) => k >>> 0),
    FIPS_K,
  );
  assert.equal(
    Array.from(IV, (h) => h >>> 0),
    FIPS_IV,
  );
});

test('hashing a list of strings equals hashing their concatenation (internal sha256Parts)', () => {
  for (let i = 0; i < 200; i++) {
    const parts: string[] = [];
    for (let n = rnd() % 12; n > 0; n--) parts.push(randomString(rnd() % 90));
    assert.is(toHex(sha256Parts(parts)), nodeSha(parts.join('')), JSON.stringify(parts));
  }
  assert.is(toHex(sha256Parts([])), nodeSha(''));
});

test('prepared HMAC keys (hmacState + hmac) equal one-shot HMAC, reused across messages', () => {
  for (const keyLen of [0, 1, 44, 64, 65, 131]) {
    const key = randomBytes(keyLen);
    const copy = key.slice();
    const state = hmacState(key);
    assert.equal(key, copy, 'the caller key is left alone');
    for (let i = 0; i < 5; i++) {
      const data = i % 2 ? randomBytes(rnd() % 200) : randomString(rnd() % 100);
      assert.is(toHex(hmac(state, data)), nodeHmac(key, data), `key ${keyLen}`);
    }
  }
});

test('toHex', () => {
  assert.is(toHex(new Uint8Array([0, 1, 15, 16, 171, 255])), '00010f10abff');
  assert.is(toHex(new Uint8Array(0)), '');
});

test.run();
