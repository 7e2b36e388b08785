// The service against servers that misbehave, on a fake socket and virtual time: nothing the
// server sends or withholds may throw out of a socket callback, stall a stream without an error,
// or be lost without a sign. (Real sockets and real servers: test/hostile.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, encodeMessage, utf8Encode } from '../../../dist/core/index.js';
import type {
  AWSTranscribeSTTServiceOptions,
  ConnectionErrorEvent,
  ErrorFrame,
  Frame,
  ServiceRuntime,
  TranscribeError,
} from '../../../dist/core/index.js';
import { PcmPipeline } from '../../../dist/dsp/index.js';
import { FakeServer, result } from '../../helpers/fake-socket.ts';
import type { FakeSocket } from '../../helpers/fake-socket.ts';
import { VirtualTime } from '../../helpers/virtual-time.ts';

const KEY = { awsAccessKeyId: 'AKIDEXAMPLE', apiKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function make(options: AWSTranscribeSTTServiceOptions = {}, rt: Partial<ServiceRuntime> = {}) {
  const server = new FakeServer();
  const time = new VirtualTime();
  const logs: string[] = [];
  const logger = { warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
  const stt = new AWSTranscribeSTTService(
    { ...KEY, logger, keepAliveMs: 0, ...options },
    { socketFactory: server.factory, random: () => 1, ...time.runtime, ...rt },
  );
  const frames: Frame[] = [];
  const attempts: ConnectionErrorEvent[] = [];
  for (const name of ['transcription', 'interimTranscription', 'error'] as const) stt.on(name, (f) => frames.push(f));
  stt.on('connectionError', (e) => attempts.push(e));
  const errors = (): ErrorFrame[] => frames.filter((f): f is ErrorFrame => f.type === 'error');
  const texts = (): string[] => frames.flatMap((f) => (f.type === 'transcription' ? [f.text] : []));
  return { stt, server, time, logs, frames, errors, texts, attempts };
}

function event(sock: FakeSocket, body: unknown, eventType = 'TranscriptEvent'): void {
  sock.events.message(
    encodeMessage({
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: eventType },
      },
      body: utf8Encode(JSON.stringify(body)),
    }),
  );
}

const second = (): Int16Array => new Int16Array(16000).map((_, i) => Math.round(8000 * Math.sin(i / 5)));

test('a frame that is not an event-stream message: closed with 1000 (never 1002), PROTOCOL, reconnected', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  const first = s.server.last;
  assert.not.throws(() => first.events.message(utf8Encode('HTTP/1.1 502 Bad Gateway\r\n\r\n<html>proxy error</html>')));
  assert.is(first.closed?.code, 1000);
  const [e] = s.errors();
  assert.ok(e && !e.fatal && e.error.code === 'PROTOCOL' && e.error.retryable, JSON.stringify(e));
  await s.time.advance(1000);
  assert.is(s.server.sockets.length, 2, 'reconnected');
  s.server.last.transcript([result('still here', { IsPartial: false })]);
  assert.equal(s.texts(), ['still here']);
  s.stt.cancel();
});

test('TranscriptEvents of the wrong shape: no throw, reported once per stream, good results delivered', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  const sock = s.server.last;
  const good = result('good one', { IsPartial: false });
  const shapes: unknown[] = [
    { Transcript: { Results: [{}] } },
    { Transcript: { Results: [null] } },
    { Transcript: { Results: [{ ...good, Alternatives: undefined }] } },
    { Transcript: { Results: [{ ...good, Alternatives: [{ Transcript: 42, Items: [] }] }] } },
    { Transcript: { Results: [{ ...good, Alternatives: [{ Transcript: 'x', Items: 7 }] }] } },
    { Transcript: { Results: [{ ...good, StartTime: '1.5' }] } },
    { Transcript: { Results: 'many' } },
    { Transcript: null },
    null,
    [1, 2, 3],
    { Transcript: { Results: [null, good] } },
  ];
  for (const body of shapes) assert.not.throws(() => event(sock, body), JSON.stringify(body));
  assert.not.throws(() => event(sock, { anything: true }, 'UtteranceEvent'));
  assert.is(sock.closed, undefined, 'the stream goes on');
  // A result keeps what can be read (Items of the wrong type are left off, its text is good); a
  // result whose times, IsPartial or Transcript cannot be read is left out whole.
  assert.equal(s.texts(), ['x', 'good one']);
  const x = s.frames.find((f) => f.type === 'transcription' && f.text === 'x');
  assert.ok(
    x?.type === 'transcription' &&
      Array.isArray(x.result.Alternatives[0]!.Items) &&
      x.result.Alternatives[0]!.Items.length === 0,
  );
  const problems = s.errors();
  assert.is(problems.length, 1, 'one report per stream, not a flood');
  assert.ok(problems[0]!.error.code === 'PROTOCOL' && !problems[0]!.fatal);
  // Audio still flows on the same stream.
  s.stt.pushAudio(second().subarray(0, 1600));
  assert.ok(sock.audio().length > 0);
  s.stt.cancel();
});

test('result times: shifted across reconnects without float noise; AWS precision kept', async () => {
  // No replay: the next stream's audio (and its times) start where the first stream's ended.
  const s = make({ replaySeconds: 0 });
  await s.stt.start({ sampleRate: 16000 });
  // 0.7 s of audio on the first stream, then a drop: the next stream's times start at 0.7.
  s.stt.pushAudio(second().subarray(0, 11200));
  s.server.last.serverClose(1011);
  await s.time.advance(1000);
  s.server.last.transcript([result('later', { IsPartial: false, StartTime: 1.65, EndTime: 2.4225 })]);
  const f = s.frames.find((x) => x.type === 'transcription');
  assert.ok(f && f.type === 'transcription');
  assert.is(f.result.StartTime, 2.35, 'not 2.3499999999999996');
  assert.is(f.result.EndTime, 3.1225);
  s.stt.cancel();
});

test('an exception not followed by a close: the client closes, and retries what is retryable', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  const sock = s.server.last;
  sock.exception('InternalFailureException', 'oops');
  assert.ok(sock.closed, 'closed by the client, not left hanging');
  await s.time.advance(1000);
  assert.is(s.server.sockets.length, 2);
  assert.ok(s.errors().some((e) => e.error.code === 'INTERNAL_FAILURE' && !e.fatal));
  s.stt.cancel();
});

test('a handshake that never completes: CONNECT_TIMEOUT per attempt, then start() rejects', async () => {
  const s = make({ connectTimeoutMs: 2000, maxReconnectAttempts: 2 });
  s.server.autoOpen = false;
  const started = s.stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (e: TranscribeError) => e,
  );
  await s.time.advance(20_000);
  const e = await started;
  assert.is(e?.code, 'CONNECT_TIMEOUT');
  assert.is(e?.retryable, true);
  assert.is(s.server.sockets.length, 3);
  assert.ok(
    s.server.sockets.every((x) => x.closed),
    'every attempt closed',
  );
  assert.equal(
    s.attempts.map((a) => [a.error.code, a.willRetry]),
    [
      ['CONNECT_TIMEOUT', true],
      ['CONNECT_TIMEOUT', true],
      ['CONNECT_TIMEOUT', false],
    ],
  );
  assert.is(s.stt.state, 'failed');
  assert.is(s.time.pending, 0, 'no timer left behind');
});

test('a credentials provider that never answers: CREDENTIALS_TIMEOUT, and it is asked again', async () => {
  let calls = 0;
  const s = make({
    credentialsTimeoutMs: 1000,
    maxReconnectAttempts: 1,
    credentials: () => {
      calls++;
      return new Promise(() => {});
    },
  });
  const started = s.stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (e: TranscribeError) => e,
  );
  await s.time.advance(10_000);
  assert.is((await started)?.code, 'CREDENTIALS_TIMEOUT');
  assert.is(calls, 2, 'asked again, not waiting on the hung request');
  assert.is(s.server.sockets.length, 0);
});

test('updateSettings during a slow connect abandons it without spending a retry', async () => {
  const s = make({ maxReconnectAttempts: 0 });
  s.server.autoOpen = false;
  const started = s.stt.start({ sampleRate: 16000 });
  await s.time.advance(10);
  const switched = s.stt.updateSettings({ language: 'de-DE' });
  await s.time.advance(10);
  assert.is(s.server.sockets.length, 2);
  assert.ok(s.server.sockets[0]!.closed, 'the old handshake was abandoned');
  s.server.last.open();
  await started;
  assert.is(await switched, true);
  assert.is(s.attempts.length, 0, 'no failed attempt counted');
  assert.is(s.stt.state, 'running');
  assert.is(s.server.last.query.get('language-code'), 'de-DE');
  s.stt.cancel();
});

test('stop(): complete when the last results arrive; an exception while draining is reported', async () => {
  let s = make();
  await s.stt.start({ sampleRate: 16000 });
  s.stt.pushAudio(second().subarray(0, 3200));
  let stopping = s.stt.stop();
  await s.time.advance(10);
  assert.ok(s.server.last.gotEndOfStream());
  s.server.last.transcript([result('the end', { IsPartial: false })]);
  s.server.last.serverClose(1000);
  assert.equal(await stopping, { complete: true, error: undefined });

  s = make();
  await s.stt.start({ sampleRate: 16000 });
  s.stt.pushAudio(second().subarray(0, 3200));
  stopping = s.stt.stop();
  await s.time.advance(10);
  s.server.last.exception('InternalFailureException', 'lost your last words');
  const r = await stopping;
  assert.is(r.complete, false);
  assert.is(r.error?.code, 'INTERNAL_FAILURE');
  assert.ok(
    s.errors().some((e) => e.fatal && e.error === r.error),
    'an error frame says so',
  );
});

test('stop(): a server that never answers the end of stream is cut off after stopTimeoutMs', async () => {
  const s = make({ stopTimeoutMs: 3000 });
  await s.stt.start({ sampleRate: 16000 });
  const stopping = s.stt.stop();
  await s.time.advance(3100);
  const r = await stopping;
  assert.is(r.complete, false);
  assert.is(r.error?.code, 'TIMEOUT');
  assert.is(s.stt.state, 'stopped');
});

test('stop(): cancel() while it waits resolves it at once, incomplete, CANCELLED', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  const stopping = s.stt.stop();
  await s.time.advance(10);
  s.stt.cancel();
  const r = await stopping;
  assert.is(r.complete, false);
  assert.is(r.error?.code, 'CANCELLED');
  assert.is(s.stt.state, 'stopped');
});

test('backoff spans incidents: a server failing every stream 2.1 s after opening gets a few a minute', async () => {
  const s = make({ maxReconnectAttempts: 3 }, { random: () => 1 });
  s.server.onSocket = (sock) => {
    // Open as usual, then fail 2.1 s later (past the quick-failure guard).
    s.time.runtime.setTimeout(() => !sock.closed && sock.serverClose(1011, 'flaky'), 2100);
  };
  await s.stt.start({ sampleRate: 16000 });
  await s.time.advance(10 * 60_000);
  const perMinute = (s.server.sockets.length - 1) / 10;
  assert.ok(perMinute <= 3, `${perMinute} streams a minute`);
  assert.is(s.stt.state, 'running', 'never fatal: every stream did open');
  // Throttling waits longer still.
  const t = make({ maxReconnectAttempts: 3 }, { random: () => 1 });
  t.server.onSocket = (sock) =>
    t.time.runtime.setTimeout(() => !sock.closed && sock.exception('LimitExceededException', 'slow down'), 2100);
  await t.stt.start({ sampleRate: 16000 });
  await t.time.advance(10 * 60_000);
  const throttled = (t.server.sockets.length - 1) / 10;
  assert.ok(throttled < perMinute, `${throttled} throttled streams a minute`);
  s.stt.cancel();
  t.stt.cancel();
});

test('a socket that stops taking data: audio waits in the backlog (bounded), then the stream is replaced', async () => {
  const s = make({ bufferSeconds: 5 });
  await s.stt.start({ sampleRate: 16000 });
  const stuck = s.server.last;
  stuck.bufferedAmount = 10_000_000;
  for (let i = 0; i < 24; i++) {
    s.stt.pushAudio(second().subarray(0, 8000));
    await s.time.advance(500);
  }
  assert.is(stuck.audio().length, 0, 'nothing sent into a full socket');
  assert.ok(stuck.closed, 'given up on after 10 s');
  assert.ok(s.errors().some((e) => e.error.code === 'CONNECTION_LOST' && /stopped taking audio/.test(e.error.message)));
  assert.ok(s.stt.counters.droppedSeconds > 0, 'the backlog is capped, and says what it dropped');
  assert.ok(s.server.sockets.length >= 2);
  s.stt.cancel();
});

test('after a reconnect the backlog goes out 1 s at once, then at twice real time', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  s.server.last.serverClose(1011);
  s.server.autoOpen = false;
  for (let i = 0; i < 10; i++) s.stt.pushAudio(second());
  await s.time.advance(1000);
  const next = s.server.last;
  next.open();
  await s.time.settle();
  assert.is(next.audio().length, 32000, 'one second at once');
  await s.time.advance(1000);
  const sent = next.audio().length;
  assert.ok(sent >= 32000 + 2 * 32000 * 0.9 && sent <= 32000 + 2 * 32000 * 1.1, `${sent} bytes after 1 s`);
  s.stt.cancel();
});

test('channel identification: half frames are carried, channels never swap, whatever the chunking', async () => {
  const s = make({ enableChannelIdentification: true, numberOfChannels: 2 });
  await s.stt.start({ sampleRate: 16000 });
  // Left carries a ramp, right is silent: any swap or lost sample shows.
  const frames = 4000;
  const stereo = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) stereo[2 * i] = (i % 3000) + 1;
  const bytes = new Uint8Array(stereo.buffer);
  let o = 0;
  for (const n of [3, 6, 1, 10, 4094, 2, 7, 5]) {
    // Int16 pushes of odd sample counts, and byte pushes of 4n+2 bytes, interleaved.
    const k = Math.min(n, frames * 2 - o);
    s.stt.pushAudio(stereo.subarray(o, o + k), { channels: 2 });
    o += k;
    const b = Math.min(4 * n + 2, bytes.length - 2 * o) & ~1;
    s.stt.pushAudio(bytes.slice(2 * o, 2 * o + b), { channels: 2 });
    o += b / 2;
  }
  s.stt.pushAudio(stereo.subarray(o), { channels: 2 });
  const stopping = s.stt.stop();
  await s.time.advance(10);
  s.server.last.serverClose(1000);
  await stopping;
  const got = new Int16Array(s.server.last.audio().slice().buffer);
  assert.is(got.length, stereo.length, 'every sample arrived');
  assert.equal(Array.from(got), Array.from(stereo), 'byte-exact, left stays left');
});

test('channel identification via the resampler: odd pushes of 48 kHz Float32 keep the right one quiet', async () => {
  const s = make(
    { enableChannelIdentification: true, numberOfChannels: 2 },
    { createAudioPipeline: (o) => new PcmPipeline(o) },
  );
  await s.stt.start({ sampleRate: 48000 });
  const frames = 48000;
  const stereo = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) stereo[2 * i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000);
  for (let o = 0, n = 1; o < stereo.length; o += n, n = (n * 7 + 3) % 1001)
    s.stt.pushAudio(stereo.subarray(o, o + n), { channels: 2 });
  const stopping = s.stt.stop();
  await s.time.advance(10);
  s.server.last.serverClose(1000);
  await stopping;
  const wire = new Int16Array(s.server.last.audio().slice().buffer);
  let left = 0;
  let right = 0;
  for (let i = 0; i + 1 < wire.length; i += 2) {
    left += wire[i]! ** 2;
    right += wire[i + 1]! ** 2;
  }
  assert.ok(wire.length >= 2 * 15900, `${wire.length} samples`);
  assert.ok(left > 1e9 && right === 0, `left energy ${left}, right energy ${right}`);
});

test('without a logger, a fatal error reaches the console', async () => {
  const seen: string[] = [];
  const original = console.error;
  console.error = (m: string) => seen.push(m);
  try {
    const server = new FakeServer();
    server.refusals = [403];
    const time = new VirtualTime();
    const stt = new AWSTranscribeSTTService(
      { ...KEY, keepAliveMs: 0 },
      { socketFactory: server.factory, ...time.runtime },
    );
    await stt.start({ sampleRate: 16000 }).catch(() => undefined);
  } finally {
    console.error = original;
  }
  assert.ok(
    seen.some((l) => l.includes('AUTH_FAILED')),
    seen.join('\n'),
  );
  assert.not.ok(seen.join('\n').includes(KEY.apiKey));
});

test.run();
