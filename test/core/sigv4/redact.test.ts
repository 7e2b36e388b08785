// core/redact.ts: secrets out of any text (by name, by value), control sequences out, one line, capped.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_TEXT_LIMIT,
  presignUrl,
  REDACTED,
  redactByName,
  redactByValue,
  safeText,
  sanitizeText,
  secretsOf,
} from '../../../dist/core/index.js';
import { describeValue } from '../../../dist/core/sigv4/redact.js';
import { Xorshift32 } from '../../helpers/xorshift.ts';

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN =
  'IQoJb3JpZ2luX2VjEMr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6Qm9yGXsEXAMPLEtokenBodyAAAAAAAAAAAAAAAAAAA' +
  'iBx2u+8T7/Qz0KexampleTOKENpartTwoZXhhbXBsZS1zZXNzaW9uLXRva2VuLXRoYXQtaXMtbG9uZy1lbm91Z2gtdG8tbG9v' +
  'ay1yZWFs+c2Vzc2lvbi10b2tlbg/abcDEF123456ghiJKL789mnoPQR+stuVWX/yz0123456789ABCDEFabcdef==';
const SIG = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

/** encodeURIComponent, then with lower-case hex escapes. */
const enc = (s: string): string => encodeURIComponent(s);
const lowerHex = (s: string): string => s.replace(/%[\dA-F]{2}/g, (e) => e.toLowerCase());

// --- by name -------------------------------------------------------------------------------------

const byName = suite('redactByName: every form of a secret-bearing name');

const NAMED: [string, string, string][] = [
  ['query', 'wss://h/p?a=1&X-Amz-Signature=abc&b=2', 'wss://h/p?a=1&X-Amz-Signature=REDACTED&b=2'],
  [
    'query, any case',
    'x-amz-security-token=tok%2Fen%3D&X-AMZ-SIGNATURE=abc',
    'x-amz-security-token=REDACTED&X-AMZ-SIGNATURE=REDACTED',
  ],
  ['; separators', 'a=1;X-Amz-Signature=abc;b=2', 'a=1;X-Amz-Signature=REDACTED;b=2'],
  ['&amp; separators', 'a=1&amp;X-Amz-Security-Token=tok%2Fx&amp;b=2', 'a=1&amp;X-Amz-Security-Token=REDACTED&amp;b=2'],
  [
    'credential: the key id only',
    'X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fiam%2Faws4_request',
    'X-Amz-Credential=REDACTED%2F20150830%2Fus-east-1%2Fiam%2Faws4_request',
  ],
  [
    'credential with raw slashes',
    'X-Amz-Credential=AKIDEXAMPLE/20150830/us-east-1',
    'X-Amz-Credential=REDACTED/20150830/us-east-1',
  ],
  ['percent-encoded name', 'X%2DAmz%2DSignature=abc&x=1', 'X%2DAmz%2DSignature=REDACTED&x=1'],
  [
    'percent-encoded name, lower-case hex',
    'x%2damz%2dsecurity%2dtoken=tok&x=1',
    'x%2damz%2dsecurity%2dtoken=REDACTED&x=1',
  ],
  [
    'encoded separator: a URL in a URL',
    'next=https%3A%2F%2Fh%2Fp%3FX-Amz-Signature%3Dabc%26b%3D1',
    'next=https%3A%2F%2Fh%2Fp%3FX-Amz-Signature%3DREDACTED%26b%3D1',
  ],
  [
    'double-encoded URL',
    'u=https%253A%252F%252Fh%253FX-Amz-Credential%253DAKIDEXAMPLE%25252F2015' +
      '%2526X-Amz-Security-Token%253Dtok%25252Fx%2526b%253D1',
    'u=https%253A%252F%252Fh%253FX-Amz-Credential%253DREDACTED%25252F2015' +
      '%2526X-Amz-Security-Token%253DREDACTED%2526b%253D1',
  ],
  [
    'header',
    'GET / HTTP/1.1\r\nX-Amz-Security-Token: FwoGZXIvYXdzEBYaD/abc+def==\r\nHost: x',
    'GET / HTTP/1.1\r\nX-Amz-Security-Token: REDACTED\r\nHost: x',
  ],
  ['JSON', '{"X-Amz-Security-Token":"FwoG/abc+d==","a":1}', '{"X-Amz-Security-Token":"REDACTED","a":1}'],
  [
    'JSON with an escaped slash',
    '{"X-Amz-Security-Token": "FwoG\\/abc\\/d=="}',
    '{"X-Amz-Security-Token": "REDACTED"}',
  ],
  [
    'JSON inside a JSON string',
    '{"body":"{\\"X-Amz-Signature\\":\\"abc\\"}"}',
    '{"body":"{\\"X-Amz-Signature\\":\\"REDACTED\\"}"}',
  ],
  ['Python repr with a list', "{'X-Amz-Security-Token': ['tok/en']}", "{'X-Amz-Security-Token': ['REDACTED']}"],
  [
    'Authorization header',
    'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
      'SignedHeaders=content-type;host;x-amz-date, ' +
      'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    'Authorization: AWS4-HMAC-SHA256 Credential=REDACTED/20150830/us-east-1/iam/aws4_request, ' +
      'SignedHeaders=content-type;host;x-amz-date, Signature=REDACTED',
  ],
  [
    'credential JSON',
    '"SessionToken": "IQoJb3JpZ2lu", "SecretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"',
    '"SessionToken": "REDACTED", "SecretAccessKey":"REDACTED"',
  ],
  [
    'environment style',
    'AWS_SECRET_ACCESS_KEY=abc AWS_SESSION_TOKEN=def x',
    'AWS_SECRET_ACCESS_KEY=REDACTED AWS_SESSION_TOKEN=REDACTED x',
  ],
  ['bare signature', `hash ${SIG} end`, 'hash REDACTED end'],
  ['bare signature, upper case, in a longer hex run', `x:${SIG.toUpperCase()}${SIG}.`, 'x:REDACTED.'],
  [
    'user info',
    'see wss://user:pass@h/x and https://a@b@host:1/',
    'see wss://REDACTED@h/x and https://REDACTED@host:1/',
  ],
  [
    'empty value: nothing to hide (redactUrl marks it anyway, as it always did)',
    'X-Amz-Signature=&a=1',
    'X-Amz-Signature=&a=1',
  ],
];

for (const [name, input, expected] of NAMED) {
  byName(name, () => {
    assert.is(redactByName(input), expected);
    assert.is(redactByName(expected), expected, 'idempotent');
  });
}

byName('ordinary AWS messages pass unchanged', () => {
  for (const text of [
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
      'and signing method.',
    'The security token included in the request is invalid.',
    "Credential should be scoped to a valid region, not 'us-east-2'.",
    'Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T000000Z - 5 min.)',
    'Your request timed out because no new audio was received for 15 seconds.',
    'check that the credentials allow transcribe:StartStreamTranscriptionWebSocket; the session token is current',
    'hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85 (63 hex digits)',
  ]) {
    assert.is(redactByName(text), text);
  }
});

byName.run();

// --- by value ------------------------------------------------------------------------------------

const byValue = suite('redactByValue: the secrets the caller used, in any encoding');

byValue('exact secrets and every URL encoding of them', () => {
  const forms = [
    SECRET_KEY,
    TOKEN,
    SIG,
    enc(TOKEN),
    lowerHex(enc(TOKEN)),
    enc(enc(TOKEN)),
    lowerHex(enc(enc(TOKEN))),
    enc(SECRET_KEY),
    TOKEN.replace(/\//g, '\\/'),
  ];
  for (const form of forms) {
    const out = redactByValue(`before ${form} after`, [SECRET_KEY, TOKEN, SIG]);
    assert.is(out, `before ${REDACTED} after`, form.slice(0, 30));
  }
});

byValue('a secret split by a line break, or truncated: every piece of 20+ characters goes', () => {
  const split = `t=${TOKEN.slice(0, 150)}\n  ${TOKEN.slice(150)}`;
  assert.is(redactByValue(split, [TOKEN]), `t=${REDACTED}\n  ${REDACTED}`);
  assert.is(redactByValue(`cut: ${TOKEN.slice(0, 64)}… (truncated)`, [TOKEN]), `cut: ${REDACTED}… (truncated)`);
  assert.is(redactByValue(`tail ${TOKEN.slice(-25)}`, [TOKEN]), `tail ${REDACTED}`);
  // A piece under 20 characters is not a usable secret; ordinary text must not be blanked for it.
  assert.is(redactByValue(`short ${TOKEN.slice(0, 19)}`, [TOKEN]), `short ${TOKEN.slice(0, 19)}`);
});

byValue('overlapping and adjacent secrets merge into one REDACTED; nothing between them survives', () => {
  const a = 'AAAAAAAAAAbbbbbbbbbbCCCCCCCCCC';
  const b = 'CCCCCCCCCCddddddddddEEEEEEEEEE';
  assert.is(redactByValue(`x AAAAAAAAAAbbbbbbbbbbCCCCCCCCCCddddddddddEEEEEEEEEE y`, [a, b]), `x ${REDACTED} y`);
  assert.is(redactByValue(`x ${a}${b} y`, [a, b]), `x ${REDACTED} y`);
  // A secret inside another one (a signature quoted inside a token-shaped blob).
  assert.is(redactByValue(`x ${TOKEN.slice(0, 40)}${SIG}${TOKEN.slice(40, 80)} y`, [TOKEN, SIG]), `x ${REDACTED} y`);
});

byValue('short and missing secrets are ignored; short ones (8..19) only as a whole', () => {
  assert.is(redactByValue('the secret is s', ['s', '', undefined]), 'the secret is s');
  assert.is(redactByValue('key AKIDEXAMPLE1 and AKIDEXAMPLE', ['AKIDEXAMPLE1']), `key ${REDACTED} and AKIDEXAMPLE`);
  assert.is(redactByValue('nothing', []), 'nothing');
});

byValue('secretsOf: credentials and the signature of each URL', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET_KEY, sessionToken: TOKEN };
  const url = presignUrl({ url: 'wss://h:8443/p', service: 'transcribe', region: 'us-east-1', credentials });
  const sig = /X-Amz-Signature=([\da-f]{64})/.exec(url)![1]!;
  assert.equal(secretsOf(credentials, url), ['AKIDEXAMPLE', SECRET_KEY, TOKEN, sig]);
  assert.equal(secretsOf({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET_KEY }), ['AKIDEXAMPLE', SECRET_KEY]);
  assert.equal(secretsOf(undefined, 'wss://h/p?a=1'), []);
});

byValue.run();

// --- sanitising and the cap ----------------------------------------------------------------------

const clean = suite('sanitizeText / safeText: controls out, one line, capped after redaction');

clean('ANSI and other control sequences are removed, line breaks become spaces', () => {
  const cases: [string, string][] = [
    ['\x1b[31mred\x1b[0m plain', 'red plain'],
    ['\x1b[2J\x1b[1;1Hcleared', 'cleared'],
    ['\x9b31mC1 CSI', 'C1 CSI'],
    ['\x1b]0;window title\x07after', 'after'],
    ['\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['\x1bP1$r0m\x1b\\dcs', 'dcs'],
    ['\x1b]unterminated osc', 'unterminated osc'],
    ['a\x00b\x07c\x7fd\x85e\x9ff', 'abcd ef'],
    ['line1\nline2\r\nline3\ttab\u2028ls', 'line1 line2 line3 tab ls'],
    ['bidi \u202eevil\u202c zero\u200bwidth \ufeffbom', 'bidi evil zerowidth bom'],
    ['  many   \n\n  spaces  ', 'many spaces'],
    ['lone \ud800 surrogate \udc00', 'lone \ufffd surrogate \ufffd'],
    ['emoji 😀 stays', 'emoji 😀 stays'],
  ];
  for (const [input, expected] of cases) {
    assert.is(sanitizeText(input), expected, JSON.stringify(input));
    assert.is(safeText(input), expected, JSON.stringify(input));
  }
});

clean('the cap: at most maxLength characters, with a marker saying how long the text was', () => {
  const long = 'word '.repeat(400); // 2000 characters
  const out = safeText(long);
  assert.ok(out.length <= DEFAULT_TEXT_LIMIT, String(out.length));
  assert.ok(out.endsWith('… [cut: 2000 characters in all]'), out.slice(-60));
  assert.ok(out.startsWith('word word'));
  assert.is(safeText(long, [], 100).length <= 100, true);
  assert.is(safeText('short'), 'short');
  assert.is(safeText('x'.repeat(500)), 'x'.repeat(500), 'exactly the limit: not cut');
  // A cut never splits a surrogate pair.
  const emoji = safeText('😀'.repeat(300), [], 100);
  assert.not.match(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/);
  // A limit too small for the marker: a plain cut.
  assert.is(safeText('abcdefghij', [], 4), 'abcd');
});

clean('capped after redaction: a signature at the cut leaves nothing (stream.ts cut before redacting)', () => {
  for (let at = 400; at < 520; at += 3) {
    // A bare signature (as AWS quotes a string to sign) and named secrets, with no secret known:
    // a cut before redaction leaves a hex run too short to look like a signature.
    const text = `${'x'.repeat(at)} ${SIG} X-Amz-Signature=${SIG}&X-Amz-Security-Token=${enc(TOKEN)} more`;
    const out = safeText(text);
    assert.ok(out.length <= DEFAULT_TEXT_LIMIT);
    for (let i = 0; i + 12 <= SIG.length; i++)
      assert.not.ok(out.includes(SIG.slice(i, i + 12)), `at ${at}: part of the signature shown`);
    for (let i = 0; i + 20 <= TOKEN.length; i += 7)
      assert.not.ok(out.includes(enc(TOKEN).slice(i, i + 20)), `at ${at}: part of the token shown`);
  }
});

clean('a 5 MB message: bounded first, secrets at its start still redacted, cheap', () => {
  const huge = `BadRequestException: ${TOKEN} ${'x'.repeat(5_000_000)}`;
  const started = performance.now();
  const out = safeText(huge, [TOKEN]);
  const ms = performance.now() - started;
  assert.ok(out.startsWith(`BadRequestException: ${REDACTED} xxxx`), out.slice(0, 60));
  assert.ok(out.endsWith(`… [cut: ${huge.length} characters in all]`));
  assert.ok(out.length <= DEFAULT_TEXT_LIMIT);
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  // Whitespace collapses away, so text near the bound can be shown: a secret cut there still goes,
  // by name (any length) or by value (its 20+ character prefix).
  const named = safeText(`${' '.repeat(8192 - 30)}X-Amz-Security-Token=${TOKEN}`);
  assert.ok(named.startsWith(`X-Amz-Security-Token=${REDACTED}…`), named);
  const bare = safeText(' '.repeat(8192 - 25) + TOKEN, [TOKEN]);
  assert.ok(bare.startsWith(`${REDACTED}…`), bare);
});

clean.run();

// --- property: random text, random secrets, random encodings --------------------------------------

const prop = suite('safeText: property (seeded random)');

const random = new Xorshift32(0x5eed1234);
const rnd = (n: number): number => random.below(n);
const pick = <T>(xs: readonly T[]): T => random.pick(xs);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const randomFrom = (alphabet: string, n: number): string =>
  Array.from({ length: n }, () => alphabet[rnd(alphabet.length)]).join('');
const FILLER = [
  'word',
  ' ',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '=',
  '&',
  ';',
  ':',
  '"',
  "'",
  '%',
  '%2F',
  '/',
  '?',
  '#',
  ',',
  '{',
  '}',
  '[',
  ']',
  '\\',
  'é',
  '語',
  '😀',
  '\x1b[31m',
  '\x1b[0m',
  '\x1b]0;t\x07',
  '\x00',
  '\x7f',
  '\x9b',
  '\u202e',
  'https://',
  '@',
  'X-Amz-Date=20260101T000000Z',
  'a1b2c3',
  'ABC',
];
const filler = (n: number): string => Array.from({ length: rnd(n) }, () => pick(FILLER)).join('');
/** The forms a secret is written in: the ones redactByValue promises to find. */
const FORMS: ((s: string) => string)[] = [
  (s) => s,
  enc,
  (s) => lowerHex(enc(s)),
  (s) => enc(enc(s)),
  (s) => lowerHex(enc(enc(s))),
  (s) => s.replace(/\//g, '\\/'),
];
const NAMES = [
  '',
  '',
  'X-Amz-Security-Token=',
  'X-Amz-Signature: ',
  '"X-Amz-Security-Token":"',
  'X%2DAmz%2DSignature%3D',
  'token ',
  'Signature=',
];
const PIECE = 20;

function pieces(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + PIECE <= s.length; i++) out.push(s.slice(i, i + PIECE));
  return out;
}

const RUNS = 2500;
prop(
  `${RUNS} random texts: no secret, no encoding of one, no 20-character piece; no control; capped; idempotent`,
  () => {
    for (let run = 0; run < RUNS; run++) {
      const secrets = [randomFrom(B64, 40), randomFrom(`${B64}=`, 300 + rnd(700)), randomFrom('0123456789abcdef', 64)];
      let text = filler(30);
      for (let k = rnd(4) + 1; k > 0; k--) {
        let written = pick(FORMS)(pick(secrets));
        // Sometimes split by a line break (every piece of 20+ characters must still go).
        if (rnd(4) === 0) {
          const at = rnd(written.length);
          written = written.slice(0, at) + pick(['\n', '\r\n', ' \n  ']) + written.slice(at);
        }
        text += pick(NAMES) + written + filler(20);
      }
      const maxLength = pick([DEFAULT_TEXT_LIMIT, 80, 200, 5000]);
      const out = safeText(text, secrets, maxLength);
      const context = `run ${run}`;
      assert.ok(out.length <= maxLength, context);
      assert.not.match(out, /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u200b-\u200f]/, context);
      // Every 20-character piece of every form of every secret (a whole secret contains such pieces).
      const forbidden = new Set(secrets.flatMap((secret) => FORMS.flatMap((form) => pieces(form(secret)))));
      for (const p of pieces(out))
        if (forbidden.has(p)) assert.unreachable(`${context}: a 20-character piece of a secret is shown: ${p}`);
      assert.is(safeText(out, secrets, maxLength), out, `${context}: idempotent`);
    }
  },
);

prop('by name alone (secrets unknown): random tokens behind every name form are gone', () => {
  const forms: ((v: string) => string)[] = [
    (v) => `a=1&X-Amz-Security-Token=${enc(v)}&b=2`,
    (v) => `a=1;x-amz-security-token=${enc(v)};b=2`,
    (v) => `a=1&amp;X-Amz-Security-Token=${enc(v)}&amp;b=2`,
    (v) => `X%2DAmz%2DSecurity%2DToken=${enc(v)}&b=2`,
    (v) => `X-Amz-Security-Token%3D${enc(enc(v))}%26b%3D2`,
    (v) => `X-Amz-Security-Token%253D${enc(enc(enc(v)))}%2526b`,
    (v) => `X-Amz-Security-Token: ${v}\r\nHost: h`,
    (v) => `{"X-Amz-Security-Token":"${v.replace(/\//g, '\\/')}"}`,
    (v) => `sessionToken='${v}'`,
  ];
  for (let run = 0; run < 2000; run++) {
    const token = randomFrom(`${B64}=`, 40 + rnd(400));
    const form = pick(forms);
    const text = `${filler(10)} ${form(token)} ${filler(10)}`;
    const out = redactByName(text);
    for (const p of pieces(token)) assert.not.ok(out.includes(p), `run ${run}: ${form(token).slice(0, 40)}`);
  }
});

prop.run();

// --- describeValue -------------------------------------------------------------------------------

const values = suite('describeValue: what an option error may echo');

values('short plain values are shown; secrets, long or odd strings and objects are described', () => {
  const cases: [unknown, string][] = [
    ['wav', '"wav"'],
    ['us-west-2.evil.com/', '"us-west-2.evil.com/"'],
    ['VEHICLE_IDENTIFICATION_NUMBER', '"VEHICLE_IDENTIFICATION_NUMBER"'],
    ['ap-southeast-2', '"ap-southeast-2"'],
    ['my.vocabulary.v2024', '"my.vocabulary.v2024"'],
    [SIG.slice(0, 16), 'a string of 16 characters (not shown)'],
    [7999, '7999'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [SECRET_KEY, 'a string of 40 characters (not shown)'],
    [TOKEN, `a string of ${TOKEN.length} characters (not shown)`],
    ['AKIAIOSFODNN7EXAMPLE', 'a string of 20 characters (not shown)'],
    ['wJalrXUtnFEMI/K7MDENG+bP', 'a string of 24 characters (not shown)'],
    ['MyVocabulary2024Medical', 'a string of 23 characters (not shown)'],
    [SIG.slice(0, 32), 'a string of 32 characters (not shown)'],
    ['\x1b[31mred', 'a string of 8 characters (not shown)'],
    [['a'], 'an array of 1'],
    [{ secretAccessKey: SECRET_KEY }, 'an object'],
    [() => SECRET_KEY, 'a function'],
  ];
  for (const [value, expected] of cases) assert.is(describeValue(value), expected, String(value));
});

values.run();
