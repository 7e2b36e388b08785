// The `url` option: the service asks the application for every stream's presigned URL (first
// connect, reconnect, rotation, settings switch), checks it against its settings before connecting,
// refuses an expired one (asking once more; clocks that differ: streams/provided-clock.test.ts), and
// types a provider that throws or hangs. A fake backend signs with transcribeUrl exactly as
// presignedUrlHandler does; the socket is in-process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AWSTranscribeSTTService,
  OptionError,
  PresignedTranscribeSTTService,
  TranscribeError,
  transcribeUrl,
} from '../../../dist/core/index.js';
import type {
  AWSTranscribeSTTServiceOptions,
  Frame,
  ServiceRuntime,
  UrlParameters,
  UrlRequest,
} from '../../../dist/core/index.js';
import { FakeServer, result, tick, until } from '../../helpers/fake-socket.ts';
import { VirtualTime } from '../../helpers/virtual-time.ts';

const BACKEND = {
  accessKeyId: 'AKIDBACKEND',
  secretAccessKey: 'backend-secret-key-never-in-the-page',
  sessionToken: 'backend-session-token-0123456789abcdef',
};

/** What a backend does with a request: sign exactly its parameters, now (or at `date`), for `expiresIn` seconds. */
function sign(parameters: UrlParameters, o: { date?: Date; expiresIn?: number; region?: string } = {}): string {
  return transcribeUrl({
    ...parameters,
    region: o.region ?? 'eu-west-1',
    credentials: BACKEND,
    expiresIn: o.expiresIn ?? 30,
    ...(o.date ? { date: o.date } : {}),
  });
}

/** Every service a test made, cancelled after it: a failed assertion must not leave timers keeping the file alive. */
const made: { cancel(): void }[] = [];
test.after.each(() => {
  for (const s of made.splice(0)) s.cancel();
});

function make(
  url: (r: UrlRequest) => string | Promise<string>,
  options: Partial<AWSTranscribeSTTServiceOptions> = {},
  rt: Partial<ServiceRuntime> = {},
) {
  const server = new FakeServer();
  const requests: UrlRequest[] = [];
  const logs: string[] = [];
  const errors: { code: string; fatal: boolean; retryable: boolean; message: string }[] = [];
  const stt = new AWSTranscribeSTTService(
    {
      keepAliveMs: 0,
      logger: {
        warn: (m) => logs.push(`warn ${m}`),
        error: (m) => logs.push(`error ${m}`),
        debug: (m) => logs.push(`debug ${m}`),
      },
      ...options,
      url: (r) => {
        // A copy: the test reads what was asked at the time.
        requests.push(structuredClone(r));
        return url(r);
      },
    },
    { socketFactory: server.factory, ...rt },
  );
  made.push(stt);
  stt.on('error', (f) =>
    errors.push({ code: f.error.code, fatal: f.fatal, retryable: f.error.retryable, message: f.error.message }),
  );
  return { stt, server, requests, logs, errors };
}

async function rejection(p: Promise<unknown>): Promise<TranscribeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.instance(e, TranscribeError, `expected a TranscribeError, got ${String(e)}`);
  return e as TranscribeError;
}

test('first connect asks for a URL with all to sign; the backend signs just that; the stream opens there', async () => {
  const { stt, server, requests } = make((r) => sign(r.parameters), {
    settings: { language: 'de-DE' },
    showSpeakerLabel: true,
    vocabularyName: 'names',
  });
  await stt.start({ sampleRate: 48000 });
  assert.is(requests.length, 1);
  const r = requests[0]!;
  assert.is(r.attempt, 1);
  assert.is(r.reason, 'connect');
  assert.is(r.sessionId, undefined, 'no session id unless the user gave one');
  assert.equal(r.parameters, {
    enablePartialResultsStabilization: true,
    partialResultsStability: 'high',
    showSpeakerLabel: true,
    vocabularyName: 'names',
    languageCode: 'de-DE',
    sampleRate: 16000,
    mediaEncoding: 'pcm',
  });
  assert.equal(r.query, {
    'enable-partial-results-stabilization': 'true',
    'partial-results-stability': 'high',
    'show-speaker-label': 'true',
    'vocabulary-name': 'names',
    'language-code': 'de-DE',
    'sample-rate': '16000',
    'media-encoding': 'pcm',
  });
  // The URL is used as given: the backend's region and credentials.
  assert.ok(
    server.last.url.startsWith(
      'wss://transcribestreaming.eu-west-1.amazonaws.com:8443/stream-transcription-websocket?',
    ),
  );
  assert.ok(server.last.query.get('X-Amz-Credential')!.startsWith('AKIDBACKEND/'));
  assert.is(stt.region, '', 'the backend chose the region, not the service');
  stt.cancel();
});

test('a dropped stream reconnects with a new URL (reason reconnect), the user session id kept', async () => {
  const session = '2f0f6a52-8b4e-4f5c-9a51-0d1c2b3a4f5e';
  const { stt, server, requests } = make((r) => sign(r.parameters), { sessionId: session });
  const connected: number[] = [];
  stt.on('connected', (e) => connected.push(e.streamNumber));
  await stt.start({ sampleRate: 16000 });
  server.last.serverClose(1006);
  await until(() => connected.length === 2, 3000, 'the reconnect');
  assert.equal(
    requests.map((r) => [r.attempt, r.reason, r.sessionId]),
    [
      [1, 'connect', session],
      [2, 'reconnect', session],
    ],
  );
  assert.is(server.sockets.length, 2);
  assert.is(server.last.query.get('session-id'), session);
  stt.cancel();
});

test('a settings switch asks for a URL with the new parameters (reason settings, a fresh session id)', async () => {
  const { stt, server, requests } = make((r) => sign(r.parameters));
  await stt.start({ sampleRate: 16000 });
  await stt.updateSettings({ language: 'fr-FR' });
  const r = requests[1]!;
  assert.is(r.reason, 'settings');
  assert.is(r.attempt, 2);
  assert.is(r.parameters.languageCode, 'fr-FR');
  assert.is(r.query['language-code'], 'fr-FR');
  assert.match(String(r.sessionId), /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
  assert.is(server.last.query.get('language-code'), 'fr-FR');
  assert.is(server.last.query.get('session-id'), r.sessionId);
  stt.cancel();
});

test('rotation before the maximum stream duration asks for a URL (reason rotation)', async () => {
  const time = new VirtualTime();
  const { stt, requests } = make(
    (r) => sign(r.parameters, { date: new Date(time.now) }),
    { maxStreamDurationMs: 60_000 },
    time.runtime,
  );
  const started = stt.start({ sampleRate: 16000 });
  // Handled now: a failure must show as this test's, not as an unhandled rejection ending the file.
  started.catch(() => undefined);
  await time.settle();
  await started;
  await time.advance(60_000);
  assert.equal(
    requests.map((r) => [r.attempt, r.reason]),
    [
      [1, 'connect'],
      [2, 'rotation'],
    ],
  );
  stt.cancel();
});

test('a URL not fitting the settings is refused before connecting: URL_MISMATCH, fatal, each difference', async () => {
  const cases: [string, (r: UrlRequest) => string, RegExp][] = [
    [
      'another language',
      (r) => sign({ ...r.parameters, languageCode: 'en-GB' }),
      /language-code is "en-GB", expected "en-US"/,
    ],
    ['another rate', (r) => sign({ ...r.parameters, sampleRate: 8000 }), /sample-rate is "8000", expected "16000"/],
    [
      'a parameter left out',
      (r) => sign({ ...r.parameters, enablePartialResultsStabilization: false, partialResultsStability: undefined }),
      /enable-partial-results-stabilization is missing/,
    ],
    [
      'a parameter added',
      (r) => sign({ ...r.parameters, showSpeakerLabel: true }),
      /show-speaker-label="true" was not asked for/,
    ],
    [
      'the medical path',
      (r) =>
        sign({
          ...r.parameters,
          medical: true,
          specialty: 'PRIMARYCARE',
          type: 'DICTATION',
          enablePartialResultsStabilization: undefined,
          partialResultsStability: undefined,
        }),
      /does not end in \/stream-transcription-websocket/,
    ],
    ['an https URL', (r) => sign(r.parameters).replace('wss://', 'https://'), /not a ws:\/\/ or wss:\/\/ URL/],
    ['not a string', () => ({ url: 'wss://x' }) as unknown as string, /must resolve to a URL string, got object/],
  ];
  for (const [what, provide, message] of cases) {
    const { stt, server, requests, errors } = make(provide);
    const e = await rejection(stt.start({ sampleRate: 16000 }));
    assert.is(e.code, 'URL_MISMATCH', what);
    assert.not.ok(e.retryable, `${what}: a backend bug is not transient`);
    assert.match(e.message, message, what);
    assert.not.match(e.message, /X-Amz-Signature=|backend-session-token/, `${what}: no signing value in the message`);
    assert.is(requests.length, 1, `${what}: asked once`);
    assert.is(server.sockets.length, 0, `${what}: no socket opened`);
    assert.equal(
      errors.map((x) => [x.code, x.fatal]),
      [['URL_MISMATCH', true]],
      what,
    );
    assert.is(stt.state, 'failed');
  }
});

test("a host of the backend's choosing is fine (emulator, proxy, another region), and ws:// too", async () => {
  const { stt, server } = make((r) =>
    sign(r.parameters).replace('wss://transcribestreaming.eu-west-1.amazonaws.com:8443', 'ws://127.0.0.1:9/proxy'),
  );
  await stt.start({ sampleRate: 16000 });
  assert.ok(server.last.url.startsWith('ws://127.0.0.1:9/proxy/stream-transcription-websocket?'));
  stt.cancel();
});

test('an expired URL is refused before connecting and the provider asked once more; a fresh one connects', async () => {
  const time = new VirtualTime();
  let calls = 0;
  // The first answer was signed 2 minutes ago for 30 s (a slow or stale backend); the second now.
  const { stt, server, requests, logs } = make(
    (r) => sign(r.parameters, { date: new Date(time.now - (calls++ === 0 ? 120_000 : 0)), expiresIn: 30 }),
    {},
    time.runtime,
  );
  const started = stt.start({ sampleRate: 16000 });
  // Handled now: a failure must show as this test's, not as an unhandled rejection ending the file.
  started.catch(() => undefined);
  await time.settle();
  await started;
  assert.equal(
    requests.map((r) => [r.attempt, r.reason]),
    [
      [1, 'connect'],
      [2, 'connect'],
    ],
  );
  assert.is(server.sockets.length, 1, 'only the fresh URL was connected to');
  assert.ok(
    logs.some((l) => /^warn .*had expired at .*, 90 s before .*asking again/.test(l)),
    logs.join('\n'),
  );
  stt.cancel();
});

test('a provider that throws: URL_PROVIDER_FAILED, retryable, retried with backoff, then given up', async () => {
  const time = new VirtualTime();
  const { stt, server, requests, errors } = make(
    () => {
      throw new Error(
        'backend answered 502 for https://app.example/transcribe-url?X-Amz-Signature=' +
          '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      );
    },
    { maxReconnectAttempts: 2 },
    time.runtime,
  );
  const attempts: boolean[] = [];
  stt.on('connectionError', (e) => attempts.push(e.willRetry));
  const failed = rejection(stt.start({ sampleRate: 16000 }));
  await time.advance(10_000);
  const e = await failed;
  assert.is(e.code, 'URL_PROVIDER_FAILED');
  assert.ok(e.retryable);
  assert.match(e.message, /the `url` provider failed: backend answered 502/);
  assert.not.match(e.message, /0123456789abcdef0123456789abcdef/, "a signature in the provider's message is scrubbed");
  assert.equal(attempts, [true, true, false]);
  assert.equal(
    requests.map((r) => r.reason),
    ['connect', 'reconnect', 'reconnect'],
  );
  assert.equal(
    requests.map((r) => r.attempt),
    [1, 2, 3],
  );
  assert.is(server.sockets.length, 0);
  assert.is(errors[errors.length - 1]!.fatal, true);
});

test('a provider that throws a TranscribeError that is not retryable ends the service at once', async () => {
  const { stt, requests } = make(() =>
    Promise.reject(new TranscribeError('AUTH_FAILED', 'the backend says this user may not transcribe')),
  );
  const e = await rejection(stt.start({ sampleRate: 16000 }));
  assert.is(e.code, 'AUTH_FAILED');
  assert.is(requests.length, 1);
});

test('a provider that hangs: URL_TIMEOUT after credentialsTimeoutMs (retryable), and it is asked again', async () => {
  const time = new VirtualTime();
  let calls = 0;
  const { stt, server, requests, errors } = make(
    (r) => (calls++ === 0 ? new Promise<string>(() => {}) : sign(r.parameters, { date: new Date(time.now) })),
    { credentialsTimeoutMs: 1000 },
    time.runtime,
  );
  const started = stt.start({ sampleRate: 16000 });
  // Handled now: a failure must show as this test's, not as an unhandled rejection ending the file.
  started.catch(() => undefined);
  await time.advance(1000);
  assert.equal(
    errors.map((x) => [x.code, x.retryable, x.fatal]),
    [['URL_TIMEOUT', true, false]],
  );
  assert.match(errors[0]!.message, /did not answer within credentialsTimeoutMs \(1000 ms\)/);
  await time.advance(1000);
  await started;
  assert.is(requests.length, 2);
  assert.is(server.sockets.length, 1);
  stt.cancel();
});

test("the URL's signature and session token are secrets: scrubbed from what the server sends back", async () => {
  const { stt, server } = make((r) => sign(r.parameters));
  const frames: Frame[] = [];
  stt.on('error', (f) => frames.push(f));
  await stt.start({ sampleRate: 16000 });
  const signature = server.last.query.get('X-Amz-Signature')!;
  server.last.exception('BadRequestException', `echo: signature ${signature} token ${BACKEND.sessionToken}`);
  await tick(5);
  const text = JSON.stringify(frames.map((f) => (f.type === 'error' ? f.error.message : '')));
  assert.ok(text.includes('echo: signature'), text);
  assert.not.ok(text.includes(signature), 'the signature was scrubbed');
  assert.not.ok(text.includes(BACKEND.sessionToken), 'the token was scrubbed');
  stt.cancel();
});

test('url is exclusive with credentials and with where to connect; it must be a function', () => {
  const rt = { socketFactory: new FakeServer().factory };
  const url = async (): Promise<string> => 'wss://x/stream-transcription-websocket';
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ credentials: BACKEND }, 'credentials', /cannot be combined with `url`.*holds no credentials/],
    [{ apiKey: 'k', awsAccessKeyId: 'AKID' }, 'apiKey', /cannot be combined with `url`/],
    [{ region: 'eu-west-1' }, 'region', /chooses where to connect/],
    [{ endpoint: 'ws://127.0.0.1:1' }, 'endpoint', /chooses where to connect/],
    [{ fips: true }, 'fips', /chooses where to connect/],
  ];
  for (const [extra, option, message] of cases) {
    assert.throws(
      () => new AWSTranscribeSTTService({ url, ...extra } as AWSTranscribeSTTServiceOptions, rt),
      (e: unknown) => e instanceof OptionError && e.option === option && message.test(e.message),
      option,
    );
  }
  assert.throws(
    () => new AWSTranscribeSTTService({ url: 'wss://x' as unknown as () => string }, rt),
    (e: unknown) => e instanceof OptionError && e.option === 'url' && /must be a function/.test(e.message),
  );
  assert.throws(
    () => new PresignedTranscribeSTTService({} as unknown as { url: () => string }, rt),
    (e: unknown) => e instanceof OptionError && e.option === 'url',
  );
});

test('stream parameters: checked at start() even with url (full service); updateSettings keeps the host', async () => {
  const bad = make((r) => sign(r.parameters), { vocabularyName: 'no spaces allowed' });
  const e = await rejection(bad.stt.start({ sampleRate: 16000 }));
  assert.instance(e, OptionError);
  assert.is(bad.requests.length, 0, 'found before the backend was asked');

  const { stt } = make((r) => sign(r.parameters));
  await stt.start({ sampleRate: 16000 });
  const moved = await rejection(stt.updateSettings({ endpoint: 'ws://elsewhere:1' }));
  assert.ok(moved instanceof OptionError && moved.option === 'endpoint');
  stt.cancel();
});

test('PresignedTranscribeSTTService: the URL-only service connects the same way, results flow', async () => {
  const server = new FakeServer();
  const requests: UrlRequest[] = [];
  const stt = new PresignedTranscribeSTTService(
    {
      keepAliveMs: 0,
      url: async (r) => {
        requests.push(r);
        return sign(r.parameters);
      },
    },
    { socketFactory: server.factory },
  );
  made.push(stt);
  const finals: string[] = [];
  stt.on('transcription', (f) => finals.push(f.text));
  await stt.start({ sampleRate: 16000 });
  server.last.transcript([result('hello there', { IsPartial: false })]);
  assert.equal(finals, ['hello there']);
  assert.is(requests[0]!.reason, 'connect');
  await stt.stop().then(() => undefined);
});

test.run();
