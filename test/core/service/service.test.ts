// AWSTranscribeSTTService against an in-process fake socket: options and fallbacks, the audio
// path, frames, errors and secrets. (End-to-end runs against the emulator live in service-emulator.)
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, OptionError, TranscribeError } from '../../../dist/core/index.js';
import type { AWSTranscribeSTTServiceOptions, Frame, ServiceRuntime } from '../../../dist/core/index.js';
import { FakeServer, result, tick, until } from '../../helpers/fake-socket.ts';
import type { FakeSocket } from '../../helpers/fake-socket.ts';

const KEY = { awsAccessKeyId: 'AKIDEXAMPLE', apiKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function make(options: AWSTranscribeSTTServiceOptions = {}, rt: Partial<ServiceRuntime> = {}) {
  const server = new FakeServer();
  const logs: string[] = [];
  const logger = {
    debug: (m: string) => logs.push(`debug ${m}`),
    info: (m: string) => logs.push(`info ${m}`),
    warn: (m: string) => logs.push(`warn ${m}`),
    error: (m: string) => logs.push(`error ${m}`),
  };
  const stt = new AWSTranscribeSTTService(
    { ...KEY, logger, keepAliveMs: 0, ...options },
    { socketFactory: server.factory, ...rt },
  );
  const frames: Frame[] = [];
  for (const name of ['transcription', 'interimTranscription', 'error', 'metadata'] as const)
    stt.on(name, (f) => frames.push(f));
  return { stt, server, logs, frames };
}

const int16 = (n: number, f: (i: number) => number = (i) => ((i * 37) % 2000) - 1000): Int16Array =>
  Int16Array.from({ length: n }, (_, i) => f(i));
const bytesOf = (a: Int16Array): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

test('start publishes metadata and signs the Pipecat defaults into the URL', async () => {
  const { stt, server, frames } = make({ region: 'eu-west-1' });
  await stt.start({ sampleRate: 16000, userId: 'u1' });
  const q = server.last.query;
  assert.is(q.get('language-code'), 'en-US');
  assert.is(q.get('sample-rate'), '16000');
  assert.is(q.get('media-encoding'), 'pcm');
  assert.is(q.get('enable-partial-results-stabilization'), 'true');
  assert.is(q.get('partial-results-stability'), 'high');
  assert.ok(
    server.last.url.startsWith(
      'wss://transcribestreaming.eu-west-1.amazonaws.com:8443/stream-transcription-websocket?',
    ),
  );
  const meta = frames.find((f) => f.type === 'metadata');
  assert.ok(meta && meta.type === 'metadata');
  assert.is(meta.ttfsP99Latency, 1.9);
  assert.is(meta.serviceName, 'AWSTranscribeSTTService');
  stt.cancel();
});

test('region and credentials fall back to the environment like Pipecat', async () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  let s = make({ awsAccessKeyId: undefined, apiKey: undefined } as unknown as AWSTranscribeSTTServiceOptions, {
    env: env({
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'envsecret',
      AWS_SESSION_TOKEN: 'envtoken',
      AWS_DEFAULT_REGION: 'ap-south-1',
    }),
  });
  await s.stt.start({ sampleRate: 16000 });
  assert.ok(s.server.last.query.get('X-Amz-Credential')!.startsWith('AKIDENV/'));
  assert.is(s.server.last.query.get('X-Amz-Security-Token'), 'envtoken');
  assert.ok(s.server.last.url.includes('.ap-south-1.'));
  s.stt.cancel();

  s = make(
    {},
    { env: env({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1', AWS_SESSION_TOKEN: 'not-mine' }) },
  );
  await s.stt.start({ sampleRate: 16000 });
  assert.ok(s.server.last.url.includes('.us-west-2.'), 'AWS_REGION wins over AWS_DEFAULT_REGION');
  assert.is(s.server.last.query.get('X-Amz-Security-Token'), null, 'an env token is never paired with an explicit key');
  s.stt.cancel();

  s = make({}, {});
  await s.stt.start({ sampleRate: 16000 });
  assert.ok(s.server.last.url.includes('.us-east-1.'));
  s.stt.cancel();
});

test('missing credentials and half a key pair are clear option errors', async () => {
  const none = new AWSTranscribeSTTService({}, { socketFactory: new FakeServer().factory });
  try {
    await none.start({ sampleRate: 16000 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, OptionError);
    assert.match((e as Error).message, /AWS_ACCESS_KEY_ID/);
  }
  const half = new AWSTranscribeSTTService({ awsAccessKeyId: 'AKID' }, { socketFactory: new FakeServer().factory });
  await half.start({ sampleRate: 16000 }).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /apiKey/),
  );
});

test('the default credential chain is used when no key is given, and asked again near expiry', async () => {
  let calls = 0;
  const chain = () => {
    calls++;
    return { accessKeyId: `AKIDCHAIN${calls}`, secretAccessKey: 's', expiration: new Date(Date.now() + 60_000) };
  };
  const server = new FakeServer();
  const stt = new AWSTranscribeSTTService(
    { keepAliveMs: 0 },
    { socketFactory: server.factory, defaultCredentials: chain },
  );
  await stt.start({ sampleRate: 16000 });
  assert.ok(server.last.query.get('X-Amz-Credential')!.startsWith('AKIDCHAIN1/'));
  stt.cancel();
});

test('language: settings win, the deprecated argument warns once, raw codes and Language values work', async () => {
  let s = make({ language: 'es', settings: { language: 'fr-CA' } });
  await s.stt.start({ sampleRate: 16000 });
  assert.is(s.server.last.query.get('language-code'), 'fr-CA');
  assert.is(s.logs.filter((l) => l.includes('deprecated')).length, 1);
  s.stt.cancel();
  s = make({ language: 'pt' });
  await s.stt.start({ sampleRate: 16000 });
  assert.is(s.server.last.query.get('language-code'), 'pt-PT');
  s.stt.cancel();
  assert.throws(
    () =>
      new AWSTranscribeSTTService(
        { ...KEY, settings: { language: 'en-XX' } },
        { socketFactory: new FakeServer().factory },
      ),
    /did you mean/,
  );
});

test('sample rate: only 8000/16000 on the wire; others go at 16000, resampled, said once at info level', async () => {
  const created: { from: number; to: number; channels: number }[] = [];
  const pipeline = (o: { from: number; to: 8000 | 16000; channels: 1 | 2 }) => {
    created.push(o);
    return {
      process: (input: Float32Array | Int16Array) =>
        new Uint8Array(Math.floor((input.length / o.channels) * (o.to / o.from)) * 2),
      flush: () => new Uint8Array(0),
    };
  };
  const s = make({}, { createAudioPipeline: pipeline });
  await s.stt.start({ sampleRate: 48000 });
  assert.is(s.server.last.query.get('sample-rate'), '16000');
  assert.is(s.logs.filter((l) => l.startsWith('info') && l.includes('48000')).length, 1);
  assert.is(s.logs.filter((l) => l.startsWith('warn')).length, 0, 'an advertised feature is no warning');
  s.stt.pushAudio(new Float32Array(4800 * 2), { channels: 2 });
  assert.equal(created, [{ from: 48000, to: 16000, channels: 2 }]);
  assert.is(s.server.last.audio().length, 3200, '100 ms of 16 kHz Int16 reached the wire');
  s.stt.cancel();
  const e = make({ sampleRate: 8000 });
  await e.stt.start({ sampleRate: 8000 });
  assert.is(e.server.last.query.get('sample-rate'), '8000');
  e.stt.cancel();
});

test('audio path: steady 100 ms frames, byte-exact, odd bytes carried, empty input ignored, stop ends it', async () => {
  const { stt, server } = make();
  await stt.start({ sampleRate: 16000 });
  const input = int16(16000 * 0.35);
  const all = bytesOf(input);
  const bytes = new Uint8Array(all);
  // Uneven byte chunks, including odd lengths and empty pushes.
  const cuts = [0, 1, 2, 3, 1000, 1001, 1001, 4567, 4568, 9999, bytes.length];
  for (let i = 1; i < cuts.length; i++) stt.pushAudio(bytes.slice(cuts[i - 1], cuts[i]));
  stt.pushAudio(new Int16Array(0));
  const sock = server.last;
  assert.ok(
    sock.sent.every((m) => m.body.length === 3200),
    'only full frames before stop',
  );
  assert.is(sock.sent.length, 3);
  const stopping = stt.stop();
  await until(() => sock.gotEndOfStream(), 1000, 'end of stream');
  sock.serverClose(1000);
  await stopping;
  assert.equal(Array.from(sock.audio()), all);
  assert.is(
    sock.sent[sock.sent.length - 2]!.body.length,
    all.length - 3 * 3200,
    'the remainder went out as a last short frame',
  );
  assert.is(stt.state, 'stopped');
  const h = sock.sent[0]!.headers;
  assert.equal(
    [h[':message-type']?.value, h[':event-type']?.value, h[':content-type']?.value],
    ['event', 'AudioEvent', 'application/octet-stream'],
  );
});

test('audio path: byte views at odd offsets and single bytes arrive byte-exact', async () => {
  const { stt, server } = make();
  await stt.start({ sampleRate: 16000 });
  const all = bytesOf(int16(16000 * 0.25, (i) => ((i * 7919) % 65536) - 32768));
  // One byte of padding in front: every view below starts at an odd byteOffset of the buffer.
  const padded = new Uint8Array(all.length + 1);
  padded.set(all, 1);
  const cuts = [0, 1, 2, 5, 6, 1001, 1002, 3333, 3334, 5000, all.length];
  for (let i = 1; i < cuts.length; i++) stt.pushAudio(padded.subarray(1 + cuts[i - 1]!, 1 + cuts[i]!));
  const stopping = stt.stop();
  await until(() => server.last.gotEndOfStream(), 1000, 'end of stream');
  server.last.serverClose(1000);
  await stopping;
  assert.equal(Array.from(server.last.audio()), all);
});

test('start() again after stop(), and after cancel() while credentials were pending: each run is fresh', async () => {
  let release: (() => void) | undefined;
  let calls = 0;
  const credentials = () => {
    calls++;
    if (calls > 1) return { accessKeyId: 'AKIDFAST', secretAccessKey: 's' };
    return new Promise<{ accessKeyId: string; secretAccessKey: string }>(
      (r) => (release = () => r({ accessKeyId: 'AKIDSLOW', secretAccessKey: 's' })),
    );
  };
  const { stt, server } = make({ credentials });
  const first = stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (e: TranscribeError) => e,
  );
  await tick();
  stt.cancel();
  assert.is((await first)?.code, 'CANCELLED', 'start() says the run ended before a stream opened');
  assert.is(stt.state, 'stopped');
  await stt.start({ sampleRate: 16000 });
  release!();
  await tick();
  await tick();
  assert.is(server.sockets.length, 1, 'the cancelled run opened nothing, even once its credentials came');
  assert.ok(server.last.query.get('X-Amz-Credential')!.startsWith('AKIDFAST/'));
  const input = int16(1600);
  stt.pushAudio(input);
  const stopping = stt.stop();
  await until(() => server.last.gotEndOfStream(), 1000, 'end of stream');
  server.last.serverClose(1000);
  await stopping;
  assert.equal(Array.from(server.last.audio()), bytesOf(input));
  // A third run: a new stream numbered 1 again, audio byte-exact again.
  const connected: number[] = [];
  stt.on('connected', (e) => connected.push(e.streamNumber));
  await stt.start({ sampleRate: 16000 });
  assert.is(server.sockets.length, 2);
  assert.equal(connected, [1]);
  stt.pushAudio(input);
  const stopping2 = stt.stop();
  await until(() => server.last.gotEndOfStream(), 1000, 'end of stream');
  server.last.serverClose(1000);
  await stopping2;
  assert.equal(Array.from(server.last.audio()), bytesOf(input));
  assert.is(stt.counters.reconnects, 0);
});

test('bad input: wrong types, before start, after stop, bad rate or channels', async () => {
  const { stt, server } = make();
  assert.throws(
    () => stt.pushAudio(new Int16Array(10)),
    (e: unknown) => e instanceof TranscribeError && e.code === 'NOT_STARTED',
  );
  await stt.start({ sampleRate: 16000 });
  for (const bad of [[1, 2, 3], 'pcm', null, new Float64Array(4), new ArrayBuffer(8)]) {
    assert.throws(
      () => stt.pushAudio(bad as unknown as Int16Array),
      (e: unknown) =>
        e instanceof TranscribeError &&
        e.code === 'INVALID_AUDIO' &&
        /Int16Array, a Float32Array or a Uint8Array/.test(e.message),
    );
  }
  const invalid = (re: RegExp) => (e: unknown) =>
    e instanceof TranscribeError && e.code === 'INVALID_AUDIO' && re.test(e.message);
  assert.throws(
    () => stt.pushAudio(new Int16Array(4), { channels: 3 as 1 }),
    invalid(/channels \}\) must be 1 or 2, got 3/),
  );
  assert.throws(() => stt.pushAudio(new Int16Array(4), { sampleRate: 4000 }), invalid(/8000 to 192000/));
  assert.throws(() => stt.pushAudio(new Int16Array(4), { sampleRate: 16000.5 }), invalid(/8000 to 192000/));
  // More than bufferSeconds (15 s) in one call cannot be paced: refused, not flooded onto the wire.
  assert.throws(() => stt.pushAudio(new Int16Array(16000 * 16)), invalid(/at most 15 s/));
  await stt.start({ sampleRate: 16000 }).then(
    () => assert.unreachable('a second start() must fail'),
    (e: TranscribeError) => assert.is(e.code, 'ALREADY_STARTED'),
  );
  const other = make();
  for (const rate of [undefined, 4000, 44100.5, '16000']) {
    await other.stt.start({ sampleRate: rate as number }).then(
      () => assert.unreachable('a bad rate must be refused'),
      (e: OptionError) => assert.ok(e instanceof OptionError && e.option === 'sampleRate', String(e)),
    );
  }
  assert.not.throws(() => stt.pushAudio(new Int16Array(4)));
  const stopping = stt.stop();
  await until(() => server.last.gotEndOfStream(), 1000, 'end of stream');
  server.last.serverClose(1000);
  await stopping;
  assert.throws(
    () => stt.pushAudio(new Int16Array(4)),
    (e: unknown) => e instanceof TranscribeError && e.code === 'STOPPED',
  );
  assert.throws(
    () => new AWSTranscribeSTTService({ ...KEY, frameMs: 20 }, { socketFactory: server.factory }),
    /frameMs/,
  );
});

test('interims are not repeated, finals come once per result, every channel is handled', async () => {
  const { stt, server, frames } = make();
  await stt.start({ sampleRate: 16000, userId: 'alice' });
  const s = server.last;
  s.transcript([result('hello')]);
  s.transcript([result('hello')]);
  s.transcript([result('hello world')]);
  s.transcript([]);
  s.transcript([result('hello world', { IsPartial: false })]);
  s.transcript([
    result('left', { ChannelId: 'ch_0', ResultId: 'a' }),
    result('right', { ChannelId: 'ch_1', ResultId: 'b' }),
  ]);
  const texts = frames.filter((f) => f.type !== 'metadata').map((f) => `${f.type}:${'text' in f ? f.text : ''}`);
  assert.equal(texts, [
    'interimTranscription:hello',
    'interimTranscription:hello world',
    'transcription:hello world',
    'interimTranscription:left',
    'interimTranscription:right',
  ]);
  const final = frames.find((f) => f.type === 'transcription');
  assert.ok(final && final.type === 'transcription');
  assert.is(final.userId, 'alice');
  assert.is(final.language, 'en-US');
  assert.ok(!Number.isNaN(Date.parse(final.timestamp)));
  stt.cancel();
});

test('frames() yields every frame in order and ends after stop', async () => {
  const { stt, server } = make();
  const it = stt.frames();
  await stt.start({ sampleRate: 16000 });
  server.last.transcript([result('one', { IsPartial: false, ResultId: 'x' })]);
  const stopping = stt.stop();
  await until(() => server.last.gotEndOfStream(), 1000, 'end');
  server.last.transcript([result('two', { IsPartial: false, ResultId: 'y' })]);
  server.last.serverClose(1000);
  await stopping;
  const got: string[] = [];
  for await (const f of it) got.push(f.type === 'transcription' ? f.text : f.type);
  assert.equal(got, ['metadata', 'one', 'two']);
});

/** Equal number arrays, without uvu's diff (slow on thousands of elements when they differ). */
const sameArray = (x: number[], y: number[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);

test('a mid-stream InternalFailure reconnects, buffers audio meanwhile, and keeps result times monotonic', async () => {
  const { stt, server, frames } = make();
  const connected: number[] = [];
  stt.on('connected', (e) => connected.push(e.streamNumber));
  await stt.start({ sampleRate: 16000 });
  const first = server.last;
  const a = int16(3200, (i) => i % 500);
  stt.pushAudio(a);
  first.exception('InternalFailureException', 'boom');
  first.serverClose(1011);
  server.autoOpen = false;
  const b = int16(3200, (i) => -(i % 700));
  stt.pushAudio(b); // no stream open: into the backlog
  await until(() => server.sockets.length === 2, 3000, 'reconnect');
  const second = server.last;
  second.open();
  assert.equal(connected, [1, 2]);
  assert.equal(Array.from(first.audio()), bytesOf(a));
  // What stream 1 carried and no final covered is heard again first (replaySeconds), then the backlog.
  const heard = Array.from(second.audio());
  assert.is(heard.length, 2 * 6400);
  assert.ok(sameArray(heard.slice(0, 6400), bytesOf(a)), 'the replay: stream 1 audio');
  assert.ok(sameArray(heard.slice(6400), bytesOf(b)), 'then the backlog, in order');
  second.transcript([result('after', { IsPartial: false, StartTime: 0.25, EndTime: 0.35 })]);
  const fin = frames.filter((f) => f.type === 'transcription');
  assert.is(fin.length, 1);
  assert.ok(
    fin[0]!.type === 'transcription' && Math.abs(fin[0]!.result.StartTime - 0.25) < 1e-9,
    'stream 2 starts where the replay starts: at 0 on the timeline',
  );
  const errs = frames.filter((f) => f.type === 'error');
  assert.is(errs.length, 1);
  assert.ok(errs[0]!.type === 'error' && !errs[0]!.fatal && errs[0]!.error.code === 'INTERNAL_FAILURE');
  assert.is(stt.counters.reconnects, 1);
  stt.cancel();
});

test('BadRequest is fatal at once; a 403 handshake names the IAM action and never loops', async () => {
  let s = make();
  await s.stt.start({ sampleRate: 16000 });
  s.server.last.exception('BadRequestException', 'bad');
  s.server.last.serverClose(1000);
  await tick(20);
  assert.is(s.server.sockets.length, 1);
  assert.is(s.stt.state, 'failed');
  s.stt.pushAudio(new Int16Array(100)); // dropped quietly after a fatal error
  assert.ok(s.stt.counters.droppedSeconds > 0);

  s = make();
  s.server.refusals = [403, 403, 403];
  const errors: TranscribeError[] = [];
  s.stt.on('error', (f) => errors.push(f.error));
  const refused = await s.stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (e: TranscribeError) => e,
  );
  assert.is(refused?.code, 'AUTH_FAILED', 'start() rejects with the fatal error');
  await tick(50);
  assert.is(s.server.sockets.length, 1);
  assert.is(errors.length, 1);
  assert.is(errors[0]!.code, 'AUTH_FAILED');
  assert.match(errors[0]!.message, /transcribe:StartStreamTranscriptionWebSocket/);
  assert.match(errors[0]!.message, /clock/);
});

test('throttled handshakes (429, 503) are retried with backoff, then given up on', async () => {
  const s = make({ maxReconnectAttempts: 2 });
  s.server.refusals = [429, 503, 503];
  const seen: { attempt: number; willRetry: boolean; code: string }[] = [];
  s.stt.on('connectionError', (e) => seen.push({ attempt: e.attempt, willRetry: e.willRetry, code: e.error.code }));
  const gaveUp = await s.stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (e: TranscribeError) => e,
  );
  assert.is(gaveUp?.code, 'SERVICE_UNAVAILABLE');
  assert.equal(seen, [
    { attempt: 1, willRetry: true, code: 'LIMIT_EXCEEDED' },
    { attempt: 2, willRetry: true, code: 'SERVICE_UNAVAILABLE' },
    { attempt: 2, willRetry: false, code: 'SERVICE_UNAVAILABLE' },
  ]);
  assert.is(s.server.sockets.length, 3);
  assert.is(s.stt.state, 'failed');
});

test('refused handshakes: 400 fatal, 500 retried, other 4xx fatal; AWS bodies quoted without secrets', async () => {
  const codes = async (status: number): Promise<{ codes: string[]; messages: string[]; sockets: number }> => {
    // An AWS body that quotes the signature, the token and a hash: none of it may reach a message.
    const sig = 'a'.repeat(64);
    const body = JSON.stringify({
      message:
        `The canonical request was GET ...X-Amz-Signature=${sig}&X-Amz-Security-Token=SECRETTOKEN ... ` +
        `${'b1'.repeat(32)}`,
    });
    const server = new FakeServer();
    server.autoOpen = false;
    let n = 0;
    const factory: typeof server.factory = (url, events) => {
      const sock = server.factory(url, events) as FakeSocket;
      if (n++ < 2) queueMicrotask(() => sock.refuse(status, body));
      return sock;
    };
    const stt = new AWSTranscribeSTTService(
      { ...KEY, keepAliveMs: 0, maxReconnectAttempts: 1, logger: {} },
      { socketFactory: factory },
    );
    const seen: TranscribeError[] = [];
    stt.on('error', (f) => seen.push(f.error));
    const started = stt.start({ sampleRate: 16000 }).catch(() => undefined);
    await until(() => seen.some((e) => e.retryable === false) || n >= 2, 3000, 'refusals');
    stt.cancel();
    await started;
    return { codes: seen.map((e) => e.code), messages: seen.map((e) => e.message), sockets: n };
  };
  const bad = await codes(400);
  assert.equal(bad.codes, ['BAD_REQUEST']);
  assert.is(bad.sockets, 1);
  for (const m of bad.messages) {
    assert.match(m, /HTTP 400/);
    assert.not.match(m, /aaaaaaaaaaaaaaaa|SECRETTOKEN|b1b1b1b1b1b1b1b1/);
  }
  const internal = await codes(500);
  assert.equal(internal.codes.slice(0, 1), ['INTERNAL_FAILURE']);
  assert.ok(internal.sockets >= 2, 'a 500 is retried');
  const teapot = await codes(418);
  assert.equal(teapot.codes, ['CONNECTION_FAILED']);
  assert.is(teapot.sockets, 1);
});

test('a stream that dies right after opening, again and again, is fatal (quick-failure guard)', async () => {
  const s = make({ maxReconnectAttempts: 50 });
  s.server.onSocket = (sock) => queueMicrotask(() => !sock.closed && sock.serverClose(1011));
  await s.stt.start({ sampleRate: 16000 });
  await until(() => s.stt.state === 'failed', 5000, 'fatal');
  assert.is(s.server.sockets.length, 3);
  const fatal = s.frames.find((f) => f.type === 'error' && f.fatal);
  assert.ok(fatal && fatal.type === 'error' && /right after opening 3 times/.test(fatal.error.message));
});

test('updateSettings reconnects only on a change, with the new language on the wire', async () => {
  const { stt, server } = make();
  await stt.start({ sampleRate: 16000 });
  assert.is(await stt.updateSettings({ language: 'en-US' }), false);
  assert.is(await stt.updateSettings({ model: 'x' }), false);
  assert.is(server.sockets.length, 1);
  assert.is(await stt.updateSettings({ language: 'de' }), true);
  await until(() => server.sockets.length === 2, 1000, 'second stream');
  assert.is(server.last.query.get('language-code'), 'de-DE');
  // The switch happens at a pause: silence lets it through.
  stt.pushAudio(new Int16Array(1600 * 4));
  await until(() => server.sockets[0]!.gotEndOfStream(), 3000, 'old stream ended');
  assert.ok(server.sockets[1]!.audio().length > 0, 'audio now flows to the new stream');
  assert.ok(server.sockets[1]!.query.get('session-id'), 'a fresh session id, never the live one');
  stt.cancel();
});

test('a user-given session id: used first, reused on a plain reconnect, never while a stream holds it', async () => {
  const id = '0b1e6f7a-3c2d-4e5f-8a9b-0c1d2e3f4a5b';
  const { stt, server } = make({ sessionId: id });
  await stt.start({ sampleRate: 16000 });
  assert.is(server.last.query.get('session-id'), id);
  server.last.serverClose(1011);
  await until(() => server.sockets.length === 2, 3000, 'reconnect');
  assert.is(server.last.query.get('session-id'), id, 'the old stream is gone: the id is free again');
  await until(() => server.last.closed === undefined && stt.state === 'running', 1000, 'open');
  await stt.updateSettings({ language: 'es-US' });
  await until(() => server.sockets.length === 3, 1000, 'switch');
  const fresh = server.last.query.get('session-id');
  assert.ok(
    fresh && fresh !== id && /^[0-9a-f-]{36}$/.test(fresh),
    'a switch opens beside the live stream: a fresh id',
  );
  stt.cancel();
});

test('bad stream parameters: start() and updateSettings() reject with an OptionError, before any socket', async () => {
  const s = make({ vocabularyName: 'bad name!' });
  await s.stt.start({ sampleRate: 16000 }).then(
    () => assert.unreachable('start must reject'),
    (e: OptionError) => {
      assert.instance(e, OptionError);
      assert.is(e.option, 'vocabularyName');
    },
  );
  assert.is(s.server.sockets.length, 0);
  const ok = make();
  await ok.stt.start({ sampleRate: 16000 });
  await ok.stt.updateSettings({ numberOfChannels: 3 }).then(
    () => assert.unreachable('updateSettings must reject'),
    (e: OptionError) => assert.is(e.option, 'numberOfChannels'),
  );
  assert.is(ok.server.sockets.length, 1, 'no reconnect for a rejected change');
  assert.is(await ok.stt.updateSettings({ vocabularyName: 'medical-terms' }), true, 'the settings stayed usable');
  ok.stt.cancel();
});

test('mute sends silence of the same length; unmute restores the audio', async () => {
  const { stt, server } = make();
  await stt.start({ sampleRate: 16000 });
  stt.mute();
  stt.pushAudio(int16(1600, () => 1234));
  stt.unmute();
  stt.pushAudio(int16(1600, () => 1234));
  const audio = new Int16Array(server.last.audio().buffer.slice(0));
  assert.is(audio.length, 3200);
  assert.ok(audio.subarray(0, 1600).every((v) => v === 0));
  assert.ok(audio.subarray(1600).every((v) => v === 1234));
  stt.cancel();
});

test('keep-alive sends silence when no audio comes, and counts it', async () => {
  const { stt, server } = make({ keepAliveMs: 300 });
  await stt.start({ sampleRate: 16000 });
  await until(() => server.last.audio().length > 0, 3000, 'keep-alive silence');
  assert.ok(server.last.audio().every((b) => b === 0));
  assert.ok(stt.counters.keepAliveSeconds >= 1);
  stt.cancel();
});

test('secrets never reach logs, errors or frames', async () => {
  const token = 'FQoGZXIvYXdzEJr//////////wEaDOPSECRETTOKEN';
  const { stt, server, logs, frames } = make({
    awsSessionToken: token,
    logger: undefined,
  } as unknown as AWSTranscribeSTTServiceOptions);
  const logLines: string[] = [];
  const stt2 = new AWSTranscribeSTTService(
    {
      ...KEY,
      awsSessionToken: token,
      keepAliveMs: 0,
      logger: {
        debug: (m) => logLines.push(m),
        warn: (m) => logLines.push(m),
        error: (m) => logLines.push(m),
        info: (m) => logLines.push(m),
      },
    },
    { socketFactory: server.factory },
  );
  server.refusals = [403];
  const errs: TranscribeError[] = [];
  stt2.on('error', (f) => errs.push(f.error));
  await stt2.start({ sampleRate: 16000 }).then(
    () => assert.unreachable('a refused handshake fails start()'),
    (e: TranscribeError) => assert.is(e.code, 'AUTH_FAILED'),
  );
  const signature = server.last.query.get('X-Amz-Signature')!;
  assert.ok(signature && signature.length === 64);
  const everything = [
    ...logLines,
    ...logs,
    ...errs.map((e) => `${e.message} ${e.toString()} ${JSON.stringify(e)} ${String(e.stack)}`),
    JSON.stringify(frames),
  ].join('\n');
  assert.ok(
    logLines.some((l) => l.includes('connecting to')),
    'the URL was logged (redacted)',
  );
  for (const secret of [KEY.apiKey, token, signature, encodeURIComponent(token)])
    assert.not.ok(everything.includes(secret), `leaked ${secret.slice(0, 6)}…`);
  stt.cancel();
});

test('TTFS without a VAD: per final, from when its audio was pushed, exposed as running percentiles', async () => {
  const { stt, server } = make();
  const m: number[] = [];
  stt.on('metrics', (e) => m.push(e.ttfs));
  await stt.start({ sampleRate: 16000 });
  stt.pushAudio(int16(3200));
  await tick(30);
  server.last.transcript([result('hi', { IsPartial: false, EndTime: 0.2 })]);
  assert.is(m.length, 1);
  assert.ok(m[0]! >= 0.02 && m[0]! < 2, `ttfs ${m[0]}`);
  assert.is(stt.ttfsP50, m[0]);
  stt.cancel();
});

test('the router, audio input and host stay off the public surface (instance, prototype and .d.ts)', async () => {
  const { stt } = make();
  try {
    await stt.start({ sampleRate: 16000 });
    assert.equal(Object.keys(stt).sort(), ['counters', 'log', 'options', 'region', 'runtime', 'wireRate']);
    const methods = [
      'cancel',
      'checkSettings',
      'constructor',
      'frames',
      'interrupted',
      'mute',
      'muted',
      'on',
      'pushAudio',
      'start',
      'state',
      'stop',
      'ttfsP50',
      'ttfsP99',
    ];
    // The methods live on the shared base (AWSTranscribeSTTService adds only its way to connect).
    assert.equal(Object.getOwnPropertyNames(AWSTranscribeSTTService.prototype), ['constructor']);
    assert.equal(Object.getOwnPropertyNames(Object.getPrototypeOf(AWSTranscribeSTTService.prototype)).sort(), [
      ...methods,
      'unmute',
      'updateSettings',
      'userStartedSpeaking',
      'userStoppedSpeaking',
    ]);
    // The declared class body only (the file's header comment names the internal classes).
    const dts = readFileSync(new URL('../../../dist/core/service/service.d.ts', import.meta.url), 'utf8');
    const body = dts.slice(dts.indexOf('export declare class TranscribeSTTServiceBase'));
    assert.ok(body.includes('pushAudio('), 'found the class declaration');
    for (const internal of [
      'SessionRouter',
      'RouterContext',
      'ResultDelivery',
      'AudioInput',
      'AudioOutlet',
      'TtfsMeter',
      'reset(',
      'flush(',
      'deliver(',
    ]) {
      assert.not.ok(body.includes(internal), `${internal} in the declared AWSTranscribeSTTService`);
    }
  } finally {
    stt.cancel();
  }
});

test.run();
