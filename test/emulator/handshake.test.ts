// The emulator's handshake: what AWS checks before it upgrades (path, SigV4 presigned URL over the
// real Host header, time window, parameters), the status/body of each refusal, the response
// headers of an accepted upgrade, and one stream per session-id.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { presignUrl, transcribeUrl } from '../../dist/core/index.js';
import type { Credentials } from '../../dist/core/index.js';
import { startEmulator } from '../../dist/emulator/index.js';
import type { Emulator } from '../../dist/emulator/index.js';
import { upgrade } from '../helpers/raw-upgrade.ts';
import type { Reply } from '../helpers/raw-upgrade.ts';
import { joinRegExp } from '../helpers/regexp.ts';

const SESSION_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const STREAM_QUERY = 'language-code=en-US&media-encoding=pcm&sample-rate=16000';
const PCM_QUERY = { 'language-code': 'en-US', 'media-encoding': 'pcm', 'sample-rate': '16000' };

/** Presigns `query` for the emulator the way any SigV4 client would. */
function sign(
  emu: Emulator,
  query: Record<string, string>,
  o: { path?: string; host?: string; date?: Date; expiresIn?: number; credentials?: Credentials; region?: string } = {},
): string {
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const signed = presignUrl({
    url: `http://${o.host ?? `127.0.0.1:${emu.port}`}${o.path ?? '/stream-transcription-websocket'}?${qs}`,
    service: 'transcribe',
    region: o.region ?? 'us-east-1',
    credentials: o.credentials ?? emu.credentials,
    expiresIn: o.expiresIn ?? 300,
    ...(o.date ? { date: o.date } : {}),
  });
  // Connect to the emulator whatever host was signed (the Host header stays the real one).
  return signed.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${emu.port}`);
}

const message = (r: Reply): string => {
  const body = JSON.parse(r.body) as { Message?: string; message?: string };
  return body.Message ?? body.message ?? '';
};

const hs = suite<{ emu: Emulator }>('emulator handshake');

hs.before(async (ctx) => {
  ctx.emu = await startEmulator({ region: 'us-east-1', idleTimeoutMs: 2000 });
});
hs.after(async (ctx) => {
  await ctx.emu.close();
});

hs('a valid presigned URL is upgraded; the 101 echoes request id, session id and settings', async ({ emu }) => {
  const url = transcribeUrl({
    region: 'us-east-1',
    credentials: emu.credentials,
    endpoint: emu.endpoint,
    languageCode: 'en-US',
    sampleRate: 16000,
    sessionId: SESSION_ID,
    extraQuery: { 'x-amz-user-agent': 'aws-sdk-js/3.1140.0 (a b)' },
  });
  const r = await upgrade(url);
  assert.is(r.status, 101);
  assert.match(String(r.headers['x-amzn-request-id']), /^[0-9a-f-]{36}$/);
  assert.is(r.headers['x-amzn-requestid'], r.headers['x-amzn-request-id']);
  assert.is(r.headers['x-amzn-transcribe-session-id'], SESSION_ID);
  assert.is(r.headers['x-amzn-transcribe-language-code'], 'en-US');
  assert.is(r.headers['x-amzn-transcribe-sample-rate'], '16000');
  assert.ok(r.headers.date, 'Date header for clock-skew correction');
  const s = emu.sessions.find((x) => x.id === SESSION_ID);
  assert.ok(s, 'session recorded');
  assert.equal(s!.query, {
    'language-code': 'en-US',
    'media-encoding': 'pcm',
    'sample-rate': '16000',
    'session-id': SESSION_ID,
    'x-amz-user-agent': 'aws-sdk-js/3.1140.0 (a b)',
  });
});

hs('without a session-id the service makes one up and returns it', async ({ emu }) => {
  const r = await upgrade(sign(emu, PCM_QUERY));
  assert.is(r.status, 101);
  const id = String(r.headers['x-amzn-transcribe-session-id']);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(emu.sessions.some((s) => s.id === id));
});

hs('the medical path is accepted with its own parameters', async ({ emu }) => {
  const url = transcribeUrl({
    region: 'us-east-1',
    credentials: emu.credentials,
    endpoint: emu.endpoint,
    medical: true,
    specialty: 'PRIMARYCARE',
    type: 'DICTATION',
    languageCode: 'en-US',
    sampleRate: 16000,
  });
  assert.ok(url.includes('/medical-stream-transcription-websocket?'));
  const r = await upgrade(url);
  assert.is(r.status, 101);
  assert.ok(emu.sessions.at(-1)!.medical);
});

hs('an unknown path is 404 and never upgraded', async ({ emu }) => {
  const r = await upgrade(sign(emu, PCM_QUERY, { path: '/call-analytics-stream-transcription-websocket' }));
  assert.is(r.status, 404);
  assert.is(r.headers['x-amzn-errortype'], 'UnknownOperationException');
});

hs('no authentication at all: 403 Missing Authentication Token', async ({ emu }) => {
  const r = await upgrade(`http://127.0.0.1:${emu.port}/stream-transcription-websocket?${STREAM_QUERY}`);
  assert.is(r.status, 403);
  assert.is(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
  assert.is(message(r), 'Missing Authentication Token');
  assert.match(String(r.headers['x-amzn-request-id']), /^[0-9a-f-]{36}$/);
});

hs('a missing authentication parameter: 403 IncompleteSignatureException', async ({ emu }) => {
  const r = await upgrade(sign(emu, PCM_QUERY).replace(/&?X-Amz-SignedHeaders=[^&]*/, ''));
  assert.is(r.status, 403);
  assert.is(r.headers['x-amzn-errortype'], 'IncompleteSignatureException');
  assert.match(message(r), /must include 'X-Amz-Algorithm'/);
});

hs(
  'a wrong secret: 403 with AWS signature-mismatch message and the canonical request (token redacted)',
  async ({ emu }) => {
    const creds = { ...emu.credentials, secretAccessKey: 'not-the-secret' };
    const r = await upgrade(sign(emu, PCM_QUERY, { credentials: creds }));
    assert.is(r.status, 403);
    assert.is(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.ok(message(r).startsWith('The request signature we calculated does not match the signature you provided.'));
    assert.match(message(r), /GET\n\/stream-transcription-websocket\n/);
    assert.not.match(r.body, emu.credentials.secretAccessKey);
  },
);

hs('a wrong access key id: 403 UnrecognizedClientException', async ({ emu }) => {
  const creds = { ...emu.credentials, accessKeyId: 'AKIAOTHERKEY0000000' };
  const r = await upgrade(sign(emu, PCM_QUERY, { credentials: creds }));
  assert.is(r.status, 403);
  assert.is(r.headers['x-amzn-errortype'], 'UnrecognizedClientException');
  assert.is(message(r), 'The security token included in the request is invalid.');
});

hs('a parameter changed after signing fails the signature', async ({ emu }) => {
  const r = await upgrade(sign(emu, PCM_QUERY).replace('sample-rate=16000', 'sample-rate=8000'));
  assert.is(r.status, 403);
  assert.is(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
});

hs('the signature is checked against the real Host header (signed host without the port fails)', async ({ emu }) => {
  // amplify-backend#3015: signing the host without the port the socket then uses.
  const bad = await upgrade(sign(emu, PCM_QUERY, { host: '127.0.0.1' }));
  assert.is(bad.status, 403);
  assert.is(bad.headers['x-amzn-errortype'], 'InvalidSignatureException');
  // A proxy-style Host header that matches what was signed is fine.
  const good = await upgrade(sign(emu, PCM_QUERY, { host: 'transcribestreaming.us-east-1.amazonaws.com:8443' }), {
    Host: 'transcribestreaming.us-east-1.amazonaws.com:8443',
  });
  assert.is(good.status, 101);
});

hs('X-Amz-Expires above 300 is refused (Transcribe cap)', async ({ emu }) => {
  const r = await upgrade(sign(emu, PCM_QUERY, { expiresIn: 301 }));
  assert.is(r.status, 403);
  assert.match(message(r), /300 seconds or less/);
});

hs('an expired URL: 403 "Signature expired"', async ({ emu }) => {
  const r = await upgrade(sign(emu, PCM_QUERY, { date: new Date(Date.now() - 61_000), expiresIn: 60 }));
  assert.is(r.status, 403);
  assert.is(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
  assert.match(message(r), /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
});

hs('a date more than 5 minutes ahead: 403 "Signature not yet current"; within 5 minutes is fine', async ({ emu }) => {
  const ahead = await upgrade(sign(emu, PCM_QUERY, { date: new Date(Date.now() + 6 * 60_000) }));
  assert.is(ahead.status, 403);
  assert.match(message(ahead), /^Signature not yet current: /);
  const slightly = await upgrade(sign(emu, PCM_QUERY, { date: new Date(Date.now() + 4 * 60_000) }));
  assert.is(slightly.status, 101);
});

hs('credential scope: wrong region (with the region option) and wrong service are refused', async ({ emu }) => {
  const region = await upgrade(sign(emu, PCM_QUERY, { region: 'eu-west-1' }));
  assert.is(region.status, 403);
  assert.match(message(region), /Credential should be scoped to a valid region, not 'eu-west-1'/);
  const url = presignUrl({
    url: `http://127.0.0.1:${emu.port}/stream-transcription-websocket?${STREAM_QUERY}`,
    service: 'transcribestreaming',
    region: 'us-east-1',
    credentials: emu.credentials,
    expiresIn: 60,
  });
  const service = await upgrade(url);
  assert.is(service.status, 403);
  assert.match(message(service), /Credential should be scoped to correct service: 'transcribe'/);
});

hs("parameter validation: 400 BadRequestException with the service's validation messages", async ({ emu }) => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { 'language-code': 'en-US', 'sample-rate': '16000' },
      joinRegExp(
        /^1 validation error detected: Value null at 'mediaEncoding' failed to satisfy constraint: /,
        /Member must not be null$/,
      ),
    ],
    [
      { ...PCM_QUERY, 'sample-rate': '7999' },
      joinRegExp(
        /Value '7999' at 'mediaSampleRateHertz' failed to satisfy constraint: Member must have value /,
        /greater than or equal to 8000/,
      ),
    ],
    [{ ...PCM_QUERY, 'sample-rate': '48001' }, /less than or equal to 48000/],
    [
      { ...PCM_QUERY, 'language-code': 'xx-XX' },
      /Value 'xx-XX' at 'languageCode' failed to satisfy constraint: Member must satisfy enum value set: \[en-US, /,
    ],
    [{ ...PCM_QUERY, 'media-encoding': 'mp3', 'sample-rate': '1' }, /^2 validation errors detected: /],
    [
      { ...PCM_QUERY, 'session-id': 'not-a-uuid' },
      /at 'sessionId' failed to satisfy constraint: Member must have length greater than or equal to 36/,
    ],
    [{ ...PCM_QUERY, 'show-speaker-label': 'yes' }, /at 'showSpeakerLabel'/],
    [
      { 'media-encoding': 'pcm', 'sample-rate': '16000' },
      /one of LanguageCode, IdentifyLanguage or IdentifyMultipleLanguages/,
    ],
    [
      { ...PCM_QUERY, 'identify-language': 'true', 'language-options': 'en-US,de-DE' },
      /only one of LanguageCode, IdentifyLanguage/,
    ],
    [{ 'media-encoding': 'pcm', 'sample-rate': '16000', 'identify-language': 'true' }, /at least two language codes/],
    [
      {
        'media-encoding': 'pcm',
        'sample-rate': '16000',
        'identify-language': 'true',
        'language-options': 'en-US,en-GB',
      },
      /one dialect per language/,
    ],
    [
      {
        'media-encoding': 'ogg-opus',
        'sample-rate': '16000',
        'identify-language': 'true',
        'language-options': 'en-US,de-DE',
      },
      /only pcm and flac/,
    ],
    [
      { ...PCM_QUERY, 'content-identification-type': 'PII', 'content-redaction-type': 'PII' },
      /ContentIdentificationType or ContentRedactionType in your request, but not both/,
    ],
    [{ ...PCM_QUERY, 'enable-channel-identification': 'true' }, /NumberOfChannels/],
    [{ ...PCM_QUERY, 'number-of-channels': '2' }, /EnableChannelIdentification/],
  ];
  for (const [query, expected] of cases) {
    const r = await upgrade(sign(emu, query));
    assert.is(r.status, 400, JSON.stringify(query));
    assert.is(r.headers['x-amzn-errortype'], 'BadRequestException');
    assert.match(message(r), expected, JSON.stringify(query));
    assert.ok(JSON.parse(r.body).Message, 'modelled exceptions carry "Message"');
  }
});

hs('medical parameters: en-US only, 16 kHz minimum, specialty and type required', async ({ emu }) => {
  const path = '/medical-stream-transcription-websocket';
  const base = { ...PCM_QUERY, specialty: 'PRIMARYCARE', type: 'CONVERSATION' };
  const low = await upgrade(sign(emu, { ...base, 'sample-rate': '8000' }, { path }));
  assert.is(low.status, 400);
  assert.match(message(low), /greater than or equal to 16000/);
  const lang = await upgrade(sign(emu, { ...base, 'language-code': 'en-GB' }, { path }));
  assert.is(lang.status, 400);
  const missing = await upgrade(sign(emu, PCM_QUERY, { path }));
  assert.is(missing.status, 400);
  assert.match(message(missing), /^2 validation errors detected: Value null at 'specialty'.*Value null at 'type'/);
});

hs('a plain GET gets the same checks, then 426 instead of an upgrade', async ({ emu }) => {
  const r1 = await fetch(sign(emu, PCM_QUERY));
  assert.is(r1.status, 426);
  const r2 = await fetch(`http://127.0.0.1:${emu.port}/stream-transcription-websocket`);
  assert.is(r2.status, 403);
});

hs('a browser-style WebSocket sees a refused handshake as an error, not an open socket', async ({ emu }) => {
  const ws = new WebSocket(
    sign(emu, PCM_QUERY, { credentials: { ...emu.credentials, secretAccessKey: 'x' } }).replace('http:', 'ws:'),
  );
  const outcome = await new Promise<string>((resolve) => {
    ws.onopen = () => resolve('open');
    ws.onerror = () => resolve('error');
  });
  assert.is(outcome, 'error');
});

hs('a second stream with the same session-id ends the first with ConflictException', async ({ emu }) => {
  const id = '3b241101-e2bb-4255-8caf-4136c566a962';
  const url = (): string =>
    transcribeUrl({
      region: 'us-east-1',
      credentials: emu.credentials,
      endpoint: emu.endpoint,
      languageCode: 'en-US',
      sampleRate: 16000,
      sessionId: id,
    });
  const first = new WebSocket(url());
  first.binaryType = 'arraybuffer';
  const firstMessages: ArrayBuffer[] = [];
  first.onmessage = (e) => firstMessages.push(e.data as ArrayBuffer);
  const firstClosed = new Promise<number>((resolve) => (first.onclose = (e) => resolve(e.code)));
  await new Promise((resolve) => (first.onopen = resolve));
  const second = new WebSocket(url());
  await new Promise((resolve) => (second.onopen = resolve));
  assert.is(await firstClosed, 1000);
  const sessions = emu.sessions.filter((s) => s.id === id);
  assert.is(sessions.length, 2);
  const ev = sessions[0]!.events.at(-1)!;
  assert.is(ev.type, 'exception');
  assert.is(ev.type === 'exception' && ev.exceptionType, 'ConflictException');
  assert.is(firstMessages.length, 1);
  assert.is(sessions[1]!.closeCode, undefined, 'the new stream stays open');
  second.close();
});

hs.run();

// Temporary credentials and a clock that is off.
const tc = suite('emulator handshake: session tokens and clock skew');

tc('a session token is required when configured, must match, and is signed', async () => {
  const credentials = {
    accessKeyId: 'AKIAEMULATOR0000001',
    secretAccessKey: 'secret/with+chars=',
    sessionToken: 'tok/en+=',
  };
  const emu = await startEmulator({ credentials });
  try {
    const ok = await upgrade(sign(emu, PCM_QUERY));
    assert.is(ok.status, 101);
    const none = await upgrade(
      sign(emu, PCM_QUERY, {
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      }),
    );
    assert.is(none.status, 403);
    assert.is(none.headers['x-amzn-errortype'], 'UnrecognizedClientException');
    const other = await upgrade(sign(emu, PCM_QUERY, { credentials: { ...credentials, sessionToken: 'other' } }));
    assert.is(other.status, 403);
    // The token is inside the signature: swapping it after signing breaks the signature, not just the token check.
    const swapped = sign(emu, PCM_QUERY, { credentials: { ...credentials, sessionToken: 'tok/en+X' } }).replace(
      'X-Amz-Security-Token=tok%2Fen%2BX',
      'X-Amz-Security-Token=tok%2Fen%2B%3D',
    );
    const r = await upgrade(swapped);
    assert.is(r.status, 403);
    assert.is(r.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.not.match(r.body, 'tok/en+=');
    assert.not.match(r.body, 'tok%2Fen%2B%3D');
  } finally {
    await emu.close();
  }
});

tc('clockSkewMs: an emulator clock 10 minutes ahead finds a fresh URL expired, and says its time', async () => {
  const emu = await startEmulator({ clockSkewMs: 10 * 60_000 });
  try {
    const r = await upgrade(sign(emu, PCM_QUERY));
    assert.is(r.status, 403);
    assert.match(message(r), /^Signature expired/);
    const serverNow = Date.parse(String(r.headers.date));
    assert.ok(serverNow - Date.now() > 9 * 60_000, 'Date header carries the skewed clock');
    // A client that corrects its clock from the Date header gets in.
    const fixed = await upgrade(sign(emu, PCM_QUERY, { date: new Date(serverNow) }));
    assert.is(fixed.status, 101);
  } finally {
    await emu.close();
  }
});

tc.run();
