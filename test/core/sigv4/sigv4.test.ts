import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clearSigningKeyCache, OptionError, presignRequest, presignUrl, redactUrl } from '../../../dist/core/index.js';
import type { Credentials, PresignRequest } from '../../../dist/core/index.js';
import { Xorshift32 } from '../../helpers/xorshift.ts';

const root = new URL('../../..', import.meta.url).pathname;
const VECTORS = join(root, 'test', 'vectors', 'sigv4', 'aws-c-auth', 'v4');
const CREDS: Credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const DATE = new Date('2015-08-30T12:36:00Z');

/** Query of `url` as decoded [name, value] pairs, sorted; `+` is a literal plus. */
function params(url: string): string[][] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return url
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const d = (s: string): string => decodeURIComponent(s);
      return eq < 0 ? [d(p), ''] : [d(p.slice(0, eq)), d(p.slice(eq + 1))];
    })
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
}

function pathOf(url: string): string {
  const m = /^[a-z]+:\/\/[^/?#]*([^?#]*)/.exec(url);
  return m ? m[1]! : '';
}

// --- the aws-c-auth SigV4 suite, query-signed half ------------------------------------------------

const vectors = suite('aws-c-auth v4 suite (query signing)');

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  expiration_in_seconds: number;
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

/** The unsigned request of a case as a PresignRequest (headers as arrays so repeats keep order). */
function caseRequest(dir: string): PresignRequest {
  const ctx = JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8')) as Context;
  const text = readFileSync(join(dir, 'request.txt'), 'utf8');
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const body = blank < 0 ? '' : text.slice(blank + 2);
  const lines = head.split('\n');
  const requestLine = lines.shift()!;
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' HTTP/'));
  const headers: Record<string, string[]> = {};
  let last = '';
  let host = '';
  for (const line of lines) {
    if (line === '') continue;
    if (/^[ \t]/.test(line)) {
      // obs-fold continuation: part of the previous value
      const values = headers[last]!;
      values[values.length - 1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (name.toLowerCase() === 'host') host = value.trim();
    (headers[name] ??= []).push(value);
    last = name;
  }
  return {
    method,
    url: `https://${host}${target}`,
    headers,
    ...(ctx.sign_body ? { body } : {}),
    service: ctx.service,
    region: ctx.region,
    credentials: {
      accessKeyId: ctx.credentials.access_key_id,
      secretAccessKey: ctx.credentials.secret_access_key,
      ...(ctx.credentials.token ? { sessionToken: ctx.credentials.token } : {}),
    },
    expiresIn: ctx.expiration_in_seconds,
    date: new Date(ctx.timestamp),
    normalizePath: ctx.normalize,
    omitSessionTokenFromSignature: ctx.omit_session_token === true,
  };
}

if (!existsSync(VECTORS)) {
  vectors('vectors present', () => {
    assert.unreachable(`${VECTORS} is missing; the aws-c-auth SigV4 vectors ship with the repository`);
  });
} else {
  const cases = readdirSync(VECTORS).filter((n) => existsSync(join(VECTORS, n, 'query-signature.txt')));
  vectors('all 38 query-signed cases are there', () => {
    assert.is(cases.length, 38);
  });
  for (const name of cases) {
    vectors(name, () => {
      const dir = join(VECTORS, name);
      const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
      const got = presignRequest(caseRequest(dir));
      assert.fixture(got.canonicalRequest, read('query-canonical-request.txt'), 'canonical request');
      assert.fixture(got.stringToSign, read('query-string-to-sign.txt'), 'string to sign');
      assert.is(got.signature, read('query-signature.txt').trim(), 'signature');
      const line = read('query-signed-request.txt').split('\n')[0]!;
      const target = line.slice(line.indexOf(' ') + 1, line.lastIndexOf(' HTTP/'));
      assert.equal(params(got.url), params(`https://x${target}`), 'signed query parameters');
      assert.is(pathOf(got.url), target.slice(0, target.indexOf('?')), 'path as sent');
    });
  }
}
vectors.run();

// --- behaviour ----------------------------------------------------------------------------------

const unit = suite('presignUrl');
const base = { service: 'transcribe', region: 'us-west-2', credentials: CREDS, date: DATE } as const;

function optionOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.instance(e, OptionError);
    assert.is((e as OptionError).code, 'INVALID_OPTION');
    return (e as OptionError).option;
  }
  throw new Error('expected an OptionError');
}

unit('defaults: GET, 15 minutes, empty payload, host only', () => {
  const r = presignRequest({ ...base, url: 'wss://a.example.com:8443/p' });
  const lines = r.canonicalRequest.split('\n');
  assert.is(lines[0], 'GET');
  assert.ok(r.url.includes('X-Amz-Expires=900&'));
  assert.is(lines[lines.length - 1], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(r.signedHeaders, 'host');
  assert.ok(r.canonicalRequest.includes('\nhost:a.example.com:8443\n'));
  assert.ok(r.url.startsWith('wss://a.example.com:8443/p?X-Amz-Algorithm=AWS4-HMAC-SHA256&'));
  assert.ok(r.url.endsWith(`&X-Amz-Signature=${r.signature}`));
  assert.match(r.signature, /^[0-9a-f]{64}$/);
  assert.is(presignUrl({ ...base, url: 'wss://a.example.com:8443/p' }), r.url);
});

unit('host: lower-cased, default ports dropped, other ports kept, IPv6 kept in brackets, user info dropped', () => {
  const host = (url: string): string =>
    /\nhost:([^\n]*)\n/.exec(presignRequest({ ...base, url }).canonicalRequest)![1]!;
  assert.is(host('https://Example.COM:443/'), 'example.com');
  assert.is(host('wss://example.com:443/'), 'example.com');
  assert.is(host('http://example.com:80/'), 'example.com');
  assert.is(host('ws://127.0.0.1:80/'), '127.0.0.1');
  assert.is(host('ws://127.0.0.1:8080/'), '127.0.0.1:8080');
  assert.is(host('https://example.com:80/'), 'example.com:80');
  assert.is(host('wss://[::1]:8443/x'), '[::1]:8443');
  assert.is(host('wss://user:pw@example.com/'), 'example.com');
  assert.ok(!presignUrl({ ...base, url: 'wss://user:pw@example.com/' }).includes('pw'));
  assert.ok(presignUrl({ ...base, url: 'wss://example.com:8443/a#frag' }).startsWith('wss://example.com:8443/a?'));
  assert.ok(!presignUrl({ ...base, url: 'wss://example.com:8443/a#frag' }).includes('frag'));
});

unit('a Host header given replaces the one from the URL', () => {
  const r = presignRequest({
    ...base,
    url: 'ws://127.0.0.1:9000/',
    headers: { Host: 'transcribestreaming.us-west-2.amazonaws.com:8443' },
  });
  assert.ok(r.canonicalRequest.includes('\nhost:transcribestreaming.us-west-2.amazonaws.com:8443\n'));
  assert.ok(r.url.startsWith('ws://127.0.0.1:9000/?'));
});

unit('URL objects are accepted', () => {
  const s = presignUrl({ ...base, url: 'wss://example.com:8443/x?a=1' });
  assert.is(presignUrl({ ...base, url: new URL('wss://example.com:8443/x?a=1') }), s);
});

unit('query components are canonicalised: escapes normalised, + literal, lone % encoded', () => {
  const r = presignRequest({ ...base, url: "https://h/?b=%7e%2f&a=x+y&c=50%&d=it's(*)!&e=%c3%a9&f=é&flag&&=v" });
  const mine = r.canonicalRequest
    .split('\n')[2]!
    .split('&')
    .filter((p) => !p.startsWith('X-Amz-'));
  assert.equal(mine, ['=v', 'a=x%2By', 'b=~%2F', 'c=50%25', 'd=it%27s%28%2A%29%21', 'e=%C3%A9', 'f=%C3%A9', 'flag=']);
  // The URL carries the canonical query itself.
  assert.is(r.url, `https://h/?${r.canonicalRequest.split('\n')[2]}&X-Amz-Signature=${r.signature}`);
});

unit('query sorted by encoded name, then value; repeated names kept', () => {
  const r = presignRequest({ ...base, url: 'https://h/?b=2&a-c=1&a=z&a=y&B=0&%E1%88%B4=u' });
  const mine = r.canonicalRequest
    .split('\n')[2]!
    .split('&')
    .filter((p) => !p.startsWith('X-Amz-'));
  assert.equal(mine, ['%E1%88%B4=u', 'B=0', 'a=y', 'a=z', 'a-c=1', 'b=2']);
});

unit('session token: signed inside the query by default, appended unsigned on request', () => {
  const creds = { ...CREDS, sessionToken: 'tok/en+=' };
  const signed = presignRequest({ ...base, credentials: creds, url: 'wss://h/' });
  assert.ok(signed.canonicalRequest.includes('X-Amz-Security-Token=tok%2Fen%2B%3D'));
  assert.ok(signed.url.includes('X-Amz-Security-Token=tok%2Fen%2B%3D'));
  const omitted = presignRequest({ ...base, credentials: creds, url: 'wss://h/', omitSessionTokenFromSignature: true });
  assert.not.ok(omitted.canonicalRequest.includes('Security-Token'));
  assert.ok(omitted.url.endsWith(`&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-Signature=${omitted.signature}`));
  assert.is.not(signed.signature, omitted.signature);
  // An empty token is no token.
  assert.is(
    presignUrl({ ...base, credentials: { ...CREDS, sessionToken: '' }, url: 'wss://h/' }),
    presignUrl({ ...base, url: 'wss://h/' }),
  );
});

unit('re-signing a presigned URL replaces its auth parameters instead of doubling them', () => {
  const once = presignUrl({
    ...base,
    url: 'wss://h:8443/x?language-code=en-US',
    credentials: { ...CREDS, sessionToken: 't' },
  });
  const twice = presignUrl({ ...base, url: once, credentials: { ...CREDS, sessionToken: 't' } });
  assert.is(twice, once);
  const later = presignUrl({ ...base, url: once, date: new Date('2015-08-31T00:00:00Z') });
  assert.is(params(later).filter(([k]) => k === 'X-Amz-Date').length, 1);
  assert.not.ok(later.includes('Security-Token'));
});

unit('headers: names lower-cased and sorted, values trimmed and collapsed, repeats comma-joined in order', () => {
  const r = presignRequest({
    ...base,
    url: 'https://h/',
    headers: { 'X-B': '  a \t  b  ', 'x-a': ['1', ' 2 '], 'X-A': '3', 'x-c': 'line1\r\n  line2' },
  });
  assert.is(r.signedHeaders, 'host;x-a;x-b;x-c');
  assert.ok(r.canonicalRequest.includes('\nhost:h\nx-a:1,2,3\nx-b:a b\nx-c:line1 line2\n\nhost;x-a;x-b;x-c\n'));
  assert.ok(r.url.includes('X-Amz-SignedHeaders=host%3Bx-a%3Bx-b%3Bx-c'));
});

unit('payload: body hashed, payloadHash overrides it', () => {
  const withBody = presignRequest({ ...base, url: 'https://h/', method: 'POST', body: 'Param1=value1' });
  assert.ok(withBody.canonicalRequest.endsWith('\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e'));
  const bytes = presignRequest({
    ...base,
    url: 'https://h/',
    method: 'POST',
    body: new TextEncoder().encode('Param1=value1'),
  });
  assert.is(bytes.signature, withBody.signature);
  const unsigned = presignRequest({ ...base, url: 'https://h/', body: 'ignored', payloadHash: 'UNSIGNED-PAYLOAD' });
  assert.ok(unsigned.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD'));
});

unit('path: normalised and encoded again by default; both switchable', () => {
  const path = (url: string, o: Partial<PresignRequest> = {}): string =>
    presignRequest({ ...base, url, ...o }).canonicalRequest.split('\n')[1]!;
  assert.is(path('https://h'), '/');
  assert.is(path('https://h/a//b/./c/../d/'), '/a/b/d/');
  assert.is(path('https://h/foo%3Dbar'), '/foo%253Dbar');
  assert.is(path('https://h/a b/ü'), '/a%20b/%C3%BC');
  assert.is(path("https://h/it's(*)!/x"), '/it%27s%28%2A%29%21/x');
  assert.is(path('https://h/a\ud800b/😀'), '/a%EF%BF%BDb/%F0%9F%98%80'); // a lone surrogate encodes as U+FFFD
  assert.is(path('https://h/a/../b', { normalizePath: false }), '/a/../b');
  assert.is(path('https://h/foo%3Dbar/./x', { uriEscapePath: false, normalizePath: false }), '/foo%3Dbar/./x');
  assert.is(path('https://h/foo%3Dbar/./x', { uriEscapePath: false }), '/foo%3Dbar/x');
});

unit('validation: every bad input is an OptionError naming the field', () => {
  const url = 'wss://h/';
  assert.is(
    optionOf(() => presignUrl({ ...base, url, expiresIn: 0 })),
    'expiresIn',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, expiresIn: 604801 })),
    'expiresIn',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, expiresIn: 1.5 })),
    'expiresIn',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, expiresIn: Number.NaN })),
    'expiresIn',
  );
  assert.ok(presignUrl({ ...base, url, expiresIn: 1 }).includes('X-Amz-Expires=1&'));
  assert.ok(presignUrl({ ...base, url, expiresIn: 604800 }).includes('X-Amz-Expires=604800&'));
  assert.is(
    optionOf(() => presignUrl({ ...base, url, credentials: undefined as unknown as Credentials })),
    'credentials',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, credentials: { accessKeyId: '', secretAccessKey: 'x' } })),
    'credentials.accessKeyId',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, credentials: { accessKeyId: 'a' } as Credentials })),
    'credentials.secretAccessKey',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url: 'not a url' })),
    'url',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url: '/relative?x=1' })),
    'url',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url: 'wss://:8443/' })),
    'url',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url: 'wss://h:99999/' })),
    'url',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url: 'wss://h:8x/' })),
    'url',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, date: new Date('nope') })),
    'date',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, region: '' })),
    'region',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, region: 'us/east' })),
    'region',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, service: '' })),
    'service',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, method: 'GE T' })),
    'method',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, headers: { 'bad name': 'x' } })),
    'headers',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url, payloadHash: '' })),
    'payloadHash',
  );
});

unit('dates: any realm, years 0..9999, X-Amz-Date zero-padded; anything else is an OptionError', () => {
  const dateOf = (date: Date): string => /X-Amz-Date=(\w+)/.exec(presignUrl({ ...base, url: 'wss://h/', date }))![1]!;
  assert.is(dateOf(new Date('2015-08-30T12:36:00.999Z')), '20150830T123600Z');
  assert.is(dateOf(new Date('0987-01-02T03:04:05Z')), '09870102T030405Z');
  assert.is(dateOf(new Date('0000-01-01T00:00:00Z')), '00000101T000000Z');
  assert.is(dateOf(new Date('9999-12-31T23:59:59Z')), '99991231T235959Z');
  // A Date made in another realm (iframe, vm context) is still a Date.
  const foreign = runInNewContext('new Date(Date.UTC(2015, 7, 30, 12, 36))') as Date;
  assert.not.ok(foreign instanceof Date);
  assert.is(presignUrl({ ...base, url: 'wss://h/', date: foreign }), presignUrl({ ...base, url: 'wss://h/' }));
  for (const bad of [
    new Date(Date.UTC(10000, 0, 1)),
    new Date(Date.UTC(-1, 0, 1)),
    new Date(Number.NaN),
    {},
    0,
    '2015-08-30T12:36:00Z',
  ])
    assert.is(
      optionOf(() => presignUrl({ ...base, url: 'wss://h/', date: bad as Date })),
      'date',
      String(bad),
    );
});

unit('authority: IPv6 with or without port, empty port, leading zeros; malformed hosts are refused', () => {
  const host = (url: string): string =>
    /\nhost:([^\n]*)\n/.exec(presignRequest({ ...base, url }).canonicalRequest)![1]!;
  assert.is(host('wss://[::1]/x'), '[::1]');
  assert.is(host('wss://[FE80::1%25eth0]:443/x'), '[fe80::1%25eth0]');
  assert.is(host('wss://h:/x'), 'h');
  assert.is(host('ws://h:0080/x'), 'h');
  assert.is(host('ws://h:08443/x'), 'h:8443');
  assert.is(host('ws://a:b@h:1/x'), 'h:1');
  for (const url of [
    'wss://[::1/x',
    'wss://[::1]x/',
    'wss://[::1]:x/',
    'wss://h:1:2/',
    'wss://h]/',
    'wss://a b/',
    'wss://h:65536/',
    'wss:///x',
    'wss://u@/x',
  ])
    assert.is(
      optionOf(() => presignUrl({ ...base, url })),
      'url',
      url,
    );
});

unit('header values: names and values are checked; an array and repeats join in order', () => {
  assert.is(
    optionOf(() => presignUrl({ ...base, url: 'wss://h/', headers: { 'x-a': 1 as unknown as string } })),
    'headers',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url: 'wss://h/', headers: { 'x-a': ['ok', null as unknown as string] } })),
    'headers',
  );
  assert.is(
    optionOf(() => presignUrl({ ...base, url: 'wss://h/', headers: { 'x:a': 'v' } })),
    'headers',
  );
  const r = presignRequest({ ...base, url: 'wss://h/', headers: { host: ['A', 'B'], 'X-Z': '\t z \t' } });
  assert.ok(r.canonicalRequest.includes('\nhost:A,B\nx-z:z\n\nhost;x-z\n'));
  assert.ok(r.url.startsWith('wss://h/?'));
});

unit('session token encoding is remembered per token; clearing the cache changes nothing but work', () => {
  const url = (sessionToken: string): string =>
    presignUrl({ ...base, url: 'wss://h/', credentials: { ...CREDS, sessionToken } });
  const a = url('a/b+c=');
  const b = url('d e');
  assert.ok(a.includes('X-Amz-Security-Token=a%2Fb%2Bc%3D&'));
  assert.ok(b.includes('X-Amz-Security-Token=d%20e&'));
  assert.is(url('a/b+c='), a);
  clearSigningKeyCache();
  assert.is(url('a/b+c='), a);
});

unit('errors and results never carry the secret key', () => {
  const secret = 'SECRET/with+chars';
  const creds = { accessKeyId: 'AKID', secretAccessKey: secret, sessionToken: 'TOKEN' };
  const r = presignRequest({ ...base, credentials: creds, url: 'wss://h/' });
  assert.not.ok(JSON.stringify(r).includes(secret));
  try {
    presignUrl({ ...base, credentials: creds, url: 'wss://h/', expiresIn: -1 });
  } catch (e) {
    assert.not.ok(String(e).includes(secret) || String(e).includes('TOKEN'));
  }
});

unit('the signing-key cache: cold and warm agree; entries are per secret, day, region and service', () => {
  const req = (o: Partial<PresignRequest>): PresignRequest => ({ ...base, url: 'wss://h/', ...o });
  const variants: Partial<PresignRequest>[] = [];
  for (let i = 0; i < 12; i++) variants.push({ credentials: { accessKeyId: 'AKID', secretAccessKey: `secret-${i}` } });
  for (let d = 0; d < 10; d++) variants.push({ date: new Date(Date.UTC(2020, 0, 1 + d)) });
  for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1']) variants.push({ region });
  for (const service of ['s3', 'execute-api']) variants.push({ service });
  clearSigningKeyCache();
  const cold = variants.map((v) => {
    clearSigningKeyCache();
    return presignUrl(req(v));
  });
  // Warm: the same requests interleaved, so entries are evicted and re-derived in between.
  for (let round = 0; round < 3; round++) {
    for (const [i, v] of variants.entries()) assert.is(presignUrl(req(v)), cold[i], `variant ${i} round ${round}`);
  }
  assert.is(new Set(cold.map((u) => u.slice(u.lastIndexOf('=') + 1))).size, variants.length);
});

unit.run();

// --- differential: @smithy/signature-v4 presign ----------------------------------------------------

const diff = suite('differential vs @smithy/signature-v4');

let random = new Xorshift32(20151030);
const rnd = (n: number): number => random.below(n);
const pick = <T>(xs: readonly T[]): T => random.pick(xs);
const CHARS = [...'abcXYZ019-_.~', ...' !"$&\'()*+,;=:@/?#[]%^`{}|\\<>', 'é', 'ß', '€', '語', 'ሴ', '😀', '\u00a0'];
const randText = (max: number, pool: readonly string[] = CHARS): string => {
  let s = '';
  const n = rnd(max + 1);
  for (let i = 0; i < n; i++) s += pick(pool);
  return s;
};
/** Percent-encode `s` as a URL writer might: upper or lower hex, sometimes leaving safe characters raw. */
const writeComponent = (s: string): string => {
  let out = '';
  for (const ch of s) {
    if (/^[A-Za-z0-9\-_.~]$/.test(ch) && rnd(3) > 0) out += ch;
    else if (/^[!'()*:@,;$/]$/.test(ch) && rnd(2) === 0)
      out += ch; // raw sub-delims survive re-encoding
    else if (ch.charCodeAt(0) > 127 && rnd(3) === 0)
      out += ch; // raw non-ASCII is UTF-8-encoded
    else {
      const e = encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
      out += rnd(4) === 0 ? e.replace(/%[0-9A-F]{2}/g, (x) => x.toLowerCase()) : e;
    }
  }
  return out;
};
const PATH_CHARS = [...'abcXYZ019-_.~', ..." !$&'()*+,;=:@%^`{}|\\<>[]", 'é', '語', '😀', '/', '/', '/', '.', '.'];
const HEADER_NAME_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789',
  '-',
  '_',
  '.',
  '!',
  '#',
  '$',
  '%',
  '&',
  "'",
  '*',
  '+',
  '^',
  '`',
  '|',
  '~',
];
const HEADER_VALUE_CHARS = [...'abcXYZ019', ' ', ' ', ' ', '\t', '"', ',', ';', '=', '/', ':', 'é', '語', '\r\n'];
const SMITHY_SKIPS = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
  'date',
  'x-amz-date',
  'host',
]);

interface Generated {
  ours: PresignRequest;
  smithyRequest: {
    method: string;
    protocol: string;
    hostname: string;
    path: string;
    query: Record<string, string | string[]>;
    headers: Record<string, string>;
    body?: string | Uint8Array;
  };
  unhoistable: Set<string>;
  uriEscapePath: boolean;
}

function generate(): Generated {
  const scheme = pick(['https', 'wss', 'http', 'ws']);
  const defaultPort = scheme === 'https' || scheme === 'wss' ? '443' : '80';
  const hostname = pick([
    'example.amazonaws.com',
    'transcribestreaming.us-west-2.amazonaws.com',
    '127.0.0.1',
    'localhost',
    'a-b.c',
  ]);
  const port = pick(['', '', defaultPort, '8443', '9000']);
  const signedHost = hostname + (port === '' || port === defaultPort ? '' : `:${port}`);

  let path = '';
  const segments = rnd(5);
  for (let i = 0; i < segments; i++) path += `/${randText(6, PATH_CHARS).replace(/[?#]/g, '')}`;
  if (rnd(3) === 0) path += '/';
  if (path === '' || path[0] !== '/') path = `/${path}`;

  const query: Record<string, string | string[]> = {};
  const written: string[] = [];
  const nParams = rnd(6);
  for (let i = 0; i < nParams; i++) {
    let key = rnd(20) === 0 ? '' : randText(8);
    if (/^x-amz-/i.test(key) || key === '__proto__') key = `k${key}`;
    const repeats = rnd(4) === 0 ? 2 + rnd(2) : 1;
    for (let r = 0; r < repeats; r++) {
      const value = rnd(8) === 0 ? '' : randText(10);
      const prev = query[key];
      query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      written.push(
        value === '' && key !== '' && rnd(2) === 0
          ? writeComponent(key)
          : `${writeComponent(key)}=${writeComponent(value)}`,
      );
    }
  }

  const headers: Record<string, string> = {};
  const unhoistable = new Set<string>();
  const nHeaders = rnd(4);
  for (let i = 0; i < nHeaders; i++) {
    let name = (rnd(4) === 0 ? 'X-Amz-Meta-' : 'x-') + randText(6, HEADER_NAME_CHARS);
    if (SMITHY_SKIPS.has(name.toLowerCase()) || /^(proxy-|sec-)/i.test(name)) continue;
    if (Object.keys(headers).some((n) => n.toLowerCase() === name.toLowerCase())) continue;
    if (name.toLowerCase() === 'x-amz-content-sha256') name += '1';
    headers[name] = randText(12, HEADER_VALUE_CHARS);
    unhoistable.add(name.toLowerCase());
  }
  let payloadHash: string | undefined;
  let body: string | Uint8Array | undefined;
  const payloadKind = rnd(6);
  if (payloadKind === 0) {
    payloadHash = 'UNSIGNED-PAYLOAD';
    headers['X-Amz-Content-Sha256'] = payloadHash; // how smithy is told: an unhoisted, signed header
    unhoistable.add('x-amz-content-sha256');
  } else if (payloadKind === 1) body = randText(40);
  else if (payloadKind === 2) body = Uint8Array.from({ length: rnd(200) }, () => rnd(256));

  const credentials: Credentials = {
    accessKeyId: `AKIA${randText(12, [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'])}`,
    secretAccessKey: randText(40, [...'abcdefABCDEF0123456789/+']) || 'x',
    ...(rnd(2) === 0 ? { sessionToken: randText(60, [...'abcABC019/+=', '%', ' ']) || 't' } : {}),
  };
  const uriEscapePath = rnd(8) !== 0;
  // In this order: the generator's draws decide the cases.
  const method = pick(['GET', 'GET', 'POST', 'PUT', 'DELETE']);
  const search = written.length || rnd(2) ? `?${written.join('&')}` : '';
  const ours: PresignRequest = {
    method,
    url: `${scheme}://${hostname}${port === '' ? '' : `:${port}`}${path}${search}`,
    headers,
    service: pick(['transcribe', 'service', 's3', 'execute-api']),
    region: pick(['us-east-1', 'us-west-2', 'eu-central-1', 'cn-north-1', 'ap-southeast-2']),
    credentials,
    expiresIn: 1 + rnd(604800),
    date: new Date(Date.UTC(1971, 0, 1) + rnd(2 ** 31) * 1000 + rnd(1000)),
    uriEscapePath,
    normalizePath: uriEscapePath, // smithy normalises exactly when it escapes
    ...(payloadHash !== undefined ? { payloadHash } : {}),
    ...(body !== undefined ? { body } : {}),
  };
  return {
    ours,
    smithyRequest: {
      method: ours.method!,
      protocol: `${scheme}:`,
      hostname,
      path,
      query,
      headers: { ...headers, host: signedHost },
      ...(body !== undefined ? { body } : {}),
    },
    unhoistable,
    uriEscapePath,
  };
}

const RUNS = 2500;
diff(`${RUNS} random requests sign identically`, async () => {
  for (let i = 0; i < RUNS; i++) {
    const g = generate();
    const c = g.ours.credentials;
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
      },
      region: g.ours.region,
      service: g.ours.service,
      sha256: Sha256,
      uriEscapePath: g.uriEscapePath,
    });
    // Keep smithy's canonical request for the failure message.
    let theirCanonical = '';
    const open = signer as unknown as { createCanonicalRequest: (...a: unknown[]) => string };
    const create = open.createCanonicalRequest.bind(signer);
    open.createCanonicalRequest = (...a: unknown[]): string => (theirCanonical = create(...a));
    const presigned = await signer.presign(g.smithyRequest, {
      signingDate: g.ours.date!,
      expiresIn: g.ours.expiresIn!,
      unhoistableHeaders: g.unhoistable,
    });
    const ours = presignRequest(g.ours);
    const context = `case ${i}: ${redactUrl(String(g.ours.url))} headers ${JSON.stringify(g.ours.headers)}`;
    if (ours.canonicalRequest !== theirCanonical) assert.fixture(ours.canonicalRequest, theirCanonical, context);
    const query = presigned.query ?? {};
    assert.is(ours.signature, query['X-Amz-Signature'], context);
    const theirs: string[][] = [];
    for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) theirs.push([k, String(x)]);
    theirs.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
    assert.equal(params(ours.url), theirs, context);
    assert.is(pathOf(ours.url), presigned.path, context);
  }
});

diff.run();

// --- redactUrl ------------------------------------------------------------------------------------

const redact = suite('redactUrl');

redact('blanks signature, key id and token, keeps the rest', () => {
  const url = presignUrl({
    ...base,
    url: 'wss://transcribestreaming.us-west-2.amazonaws.com:8443/stream-transcription-websocket?language-code=en-US',
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 's',
      sessionToken: 'FwoGZXIvYXdzEBYaD/session+token==',
    },
  });
  const sig = /X-Amz-Signature=([0-9a-f]+)/.exec(url)![1]!;
  const out = redactUrl(url);
  for (const secret of ['AKIAIOSFODNN7EXAMPLE', sig, 'FwoGZXIvYXdzEBYaD', 'session'])
    assert.not.ok(out.includes(secret), secret);
  assert.ok(out.includes('X-Amz-Credential=REDACTED%2F20150830%2Fus-west-2%2Ftranscribe%2Faws4_request'));
  assert.ok(out.includes('X-Amz-Signature=REDACTED'));
  assert.ok(out.includes('X-Amz-Security-Token=REDACTED'));
  assert.ok(out.includes('language-code=en-US'));
  assert.ok(out.startsWith('wss://transcribestreaming.us-west-2.amazonaws.com:8443/stream-transcription-websocket?'));
  assert.is(out.split('&').length, url.split('&').length);
});

redact('any case, raw slashes, fragments, user info; URLs without secrets unchanged', () => {
  assert.is(
    redactUrl('https://h/p?x-amz-signature=abc&X-AMZ-CREDENTIAL=AKID/2015/r/s/aws4_request#f'),
    'https://h/p?x-amz-signature=REDACTED&X-AMZ-CREDENTIAL=REDACTED/2015/r/s/aws4_request#f',
  );
  assert.is(redactUrl('wss://user:pass@h/p?a=1'), 'wss://REDACTED@h/p?a=1');
  assert.is(redactUrl('https://h/p?a=1&b'), 'https://h/p?a=1&b');
  assert.is(redactUrl('https://h/p'), 'https://h/p');
  assert.is(redactUrl(new URL('https://h/p?X-Amz-Security-Token=t')), 'https://h/p?X-Amz-Security-Token=REDACTED');
});

redact('encoded names, ; and &amp; separators, names outside the query, nested URLs, every user info', () => {
  const cases: [string, string][] = [
    ['https://h/p?X%2DAmz%2DSignature=abc&a=1', 'https://h/p?X%2DAmz%2DSignature=REDACTED&a=1'],
    ['https://h/p?a=1;X-Amz-Security-Token=tok;b=2&c=3', 'https://h/p?a=1;X-Amz-Security-Token=REDACTED&c=3'],
    ['https://h/p?a=1&amp;X-Amz-Signature=abc&amp;b=2', 'https://h/p?a=1&amp;X-Amz-Signature=REDACTED&amp;b=2'],
    ['https://h/p#X-Amz-Signature=abc', 'https://h/p#X-Amz-Signature=REDACTED'],
    ['https://h/p?a#b&X-Amz-Security-Token=tok', 'https://h/p?a#b&X-Amz-Security-Token=REDACTED'],
    ['https://h/X-Amz-Signature=abc/p', 'https://h/X-Amz-Signature=REDACTED'],
    [
      'https://proxy/login?next=wss%3A%2F%2Fh%2Fp%3FX-Amz-Credential%3DAKIDEXAMPLE%252F2015' +
        '%26X-Amz-Signature%3Dabc%26a%3D1',
      'https://proxy/login?next=wss%3A%2F%2Fh%2Fp%3FX-Amz-Credential%3DREDACTED%252F2015' +
        '%26X-Amz-Signature%3DREDACTED%26a%3D1',
    ],
    [
      'https://p/?u=https%253A%252F%252Fh%253FX-Amz-Signature%253Dabc%2526a%253D1',
      'https://p/?u=https%253A%252F%252Fh%253FX-Amz-Signature%253DREDACTED%2526a%253D1',
    ],
    ['https://u:p@h/?next=http://v:q@i/', 'https://REDACTED@h/?next=http://REDACTED@i/'],
  ];
  for (const [url, expected] of cases) assert.is(redactUrl(url), expected, url);
});

/** redactUrl as of f8f6aab (before core/redact.ts), frozen here for the differential below. */
function redactUrlBefore(url: string): string {
  let s = url;
  const at = s.indexOf('://') + 3;
  const auth = at > 2 ? /^[^/?#]*@/.exec(s.slice(at)) : null;
  if (auth) s = `${s.slice(0, at)}REDACTED@${s.slice(at + auth[0].length)}`;
  const q = s.indexOf('?');
  if (q < 0) return s;
  const hash = s.indexOf('#', q);
  const end = hash < 0 ? s.length : hash;
  const query = s
    .slice(q + 1, end)
    .replace(/(^|&)(x-amz-(signature|security-token)=)[^&]*/gi, '$1$2REDACTED')
    .replace(/(^|&)(x-amz-credential=)((?!%2F|\/)[^&])*/gi, '$1$2REDACTED');
  return s.slice(0, q + 1) + query + s.slice(end);
}

const URL_DIFF_RUNS = 200_000;
redact(`differential vs the redactUrl before: ${URL_DIFF_RUNS} random URLs`, () => {
  // Plain URLs (names at the start of a parameter, `&` separators, user info only in the
  // authority) must come out exactly as before. With the forms the old one missed mixed in, the new
  // output must still hide everything the old one hid (old(new(u)) === new(u)) and every value.
  const NAMES = ['X-Amz-Signature', 'x-amz-security-token', 'X-AMZ-CREDENTIAL', 'X-Amz-Date', 'language-code', 'a'];
  const VALUE = [...'abcXYZ0129', '%2F', '%2f', '/', '+', '=', '%3D', '%', ';', ':', '@', '?', ' ', '"', 'é'];
  const ENCODED = ['X%2DAmz%2DSignature', 'x%2damz%2dsecurity%2dtoken', 'X-Amz-Credential'];
  random = new Xorshift32(20260101);
  let extras = 0;
  for (let i = 0; i < URL_DIFF_RUNS; i++) {
    const plain = rnd(2) === 0;
    const secrets: string[] = [];
    const params: string[] = [];
    for (let n = rnd(5); n > 0; n--) {
      let value = randText(12, VALUE);
      // Nested `scheme://user@` in a value: its user info is blanked now (stricter), so not in plain URLs.
      if (plain) value = value.replace(/:\/\//g, ':');
      const name = pick(NAMES);
      if (/signature|token/i.test(name)) secrets.push((value = `S${value.replace(/[;%]/g, '')}ecret`));
      params.push(`${name}=${value}`);
      if (!plain && rnd(3) === 0) {
        const secret = `T${randText(8, [...'abcXYZ019'])}oken`;
        secrets.push(secret);
        params.push(`${pick(ENCODED)}${pick(['=', '%3D'])}${secret}`);
      }
    }
    const sep = plain ? '&' : pick(['&', '&', ';', '&amp;']);
    const user = rnd(4) === 0 ? `${randText(5, [...'abc:%@'])}@` : '';
    const fragment = rnd(4) === 0 ? `#${plain ? 'frag' : `X-Amz-Signature=Fsecret${rnd(100)}`}` : '';
    if (fragment.includes('secret')) secrets.push(fragment.slice(17));
    const scheme = pick(['wss', 'https', 'ws']);
    const url = `${scheme}://${user}h.example:8443/p${rnd(2) ? '/q' : ''}?${params.join(sep)}${fragment}`;
    const before = redactUrlBefore(url);
    const now = redactUrl(url);
    if (plain) {
      if (now !== before) assert.is(now, before, url);
    } else {
      extras++;
      if (redactUrlBefore(now) !== now) assert.is(redactUrlBefore(now), now, `hides less than before: ${url}`);
      // A `;` or `&amp;` separator: the value ends at the next `&` (as before), so it may take the
      // next parameter with it.
      for (const secret of secrets) if (now.includes(secret)) assert.unreachable(`${secret} shown: ${url} -> ${now}`);
    }
  }
  assert.ok(extras > URL_DIFF_RUNS / 3);
});

redact.run();
