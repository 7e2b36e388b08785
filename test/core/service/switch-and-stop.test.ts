// Switches and endings on a fake socket and virtual time: a stream that drops while a switch's new
// stream waits is replaced by that stream (never by a second one), a switch that cannot open its
// stream never ends a working call, stop()/cancel() during a connect end at once and say so, and
// the frames() iterator serves every caller and stays bounded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService } from '../../../dist/core/index.js';
import type { AWSTranscribeSTTServiceOptions, ErrorFrame, Frame, TranscribeError } from '../../../dist/core/index.js';
import { FakeServer, result } from '../../helpers/fake-socket.ts';
import { VirtualTime } from '../../helpers/virtual-time.ts';

const KEY = { awsAccessKeyId: 'AKIDEXAMPLE', apiKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function make(options: AWSTranscribeSTTServiceOptions = {}) {
  const server = new FakeServer();
  const time = new VirtualTime();
  const warnings: string[] = [];
  const stt = new AWSTranscribeSTTService(
    { ...KEY, logger: { warn: (m) => warnings.push(m) }, keepAliveMs: 0, ...options },
    { socketFactory: server.factory, random: () => 0.99, ...time.runtime },
  );
  const errors: ErrorFrame[] = [];
  stt.on('error', (f) => errors.push(f));
  return { stt, server, time, errors, warnings };
}

/** 100 ms of loud 16 kHz audio (speech, for the pause detector), or silence. */
const chunk = (loud = true): Int16Array => new Int16Array(1600).map((_, i) => (loud ? (i % 2 ? 9000 : -9000) : 0));

test('the stream drops while a switch waits for a pause: the new stream takes over, no other opens', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  for (let i = 0; i < 3; i++) s.stt.pushAudio(chunk());
  const switching = s.stt.updateSettings({ language: 'de-DE' });
  await s.time.advance(50);
  assert.is(s.server.sockets.length, 2, 'the switch opened its stream');
  s.stt.pushAudio(chunk()); // speech: the switch waits for a pause
  s.server.sockets[0]!.serverClose(1011, 'dropped');
  await s.time.advance(10);
  assert.is(await switching, true);
  for (let i = 0; i < 5; i++) s.stt.pushAudio(chunk());
  await s.time.advance(5000);
  assert.is(s.server.sockets.length, 2, 'no reconnect of its own: the switch stream is the current one');
  assert.ok(s.server.sockets[1]!.audio().length >= 5 * 3200, 'audio flows to it');
  const stopping = s.stt.stop();
  await s.time.advance(10);
  assert.ok(s.server.sockets[1]!.gotEndOfStream());
  s.server.sockets[1]!.serverClose(1000);
  assert.equal(await stopping, { complete: true, error: undefined });
  assert.ok(
    s.server.sockets.every((x) => x.closed),
    'no stream left open',
  );
});

test('a switch whose new stream is refused again and again never ends a working call', async () => {
  const s = make({ maxReconnectAttempts: 2 });
  await s.stt.start({ sampleRate: 16000 });
  s.server.refusals = [429, 429, 429, 429, 429, 429];
  const switching = s.stt.updateSettings({ language: 'de-DE' }).then(
    () => undefined,
    (e: TranscribeError) => e,
  );
  await s.time.advance(30_000);
  const failed = await switching;
  assert.is(failed?.code, 'LIMIT_EXCEEDED', 'updateSettings() rejects with the reason');
  assert.match(failed!.message, /the current stream goes on with the previous settings/);
  assert.is(s.stt.state, 'running');
  assert.ok(
    s.errors.every((e) => !e.fatal),
    'nothing fatal',
  );
  const before = s.server.sockets[0]!.audio().length;
  s.stt.pushAudio(chunk());
  assert.is(s.server.sockets[0]!.audio().length, before + 3200, 'the call goes on on its stream');
  s.server.sockets[0]!.transcript([result('still here', { IsPartial: false })]);
  s.stt.cancel();
});

test('a rotation that cannot open its stream is tried again later, the call going on meanwhile', async () => {
  const s = make({ maxStreamDurationMs: 60_000, maxReconnectAttempts: 1 });
  await s.stt.start({ sampleRate: 16000 });
  s.server.refusals = [503, 503];
  await s.time.advance(60_000 + 10_000);
  assert.is(s.stt.state, 'running');
  const tries = s.server.sockets.length;
  assert.ok(tries >= 3, `${tries} sockets`);
  await s.time.advance(31_000);
  assert.ok(s.server.sockets.length > tries, 'tried again after 30 s');
  await s.time.advance(10_100);
  assert.ok(s.server.sockets[0]!.gotEndOfStream(), 'and then the rotation went through (the old stream ended)');
  s.stt.cancel();
});

test('stop() or cancel() during a connect: start() rejects with CANCELLED; stop() ends at once', async () => {
  for (const how of ['stop', 'cancel'] as const) {
    const s = make();
    s.server.autoOpen = false;
    const started = s.stt.start({ sampleRate: 16000 }).then(
      () => undefined,
      (e: TranscribeError) => e,
    );
    await s.time.advance(100);
    let stopped: ReturnType<typeof s.stt.stop> | undefined;
    if (how === 'stop') stopped = s.stt.stop();
    else s.stt.cancel();
    await s.time.advance(1);
    assert.is((await started)?.code, 'CANCELLED', how);
    if (stopped)
      assert.equal(await stopped, { complete: true, error: undefined }, 'nothing was sent: complete, at once');
    assert.ok(s.server.sockets[0]!.closed, 'the connecting socket is closed');
    assert.is(s.time.pending, 0, 'no timer left');
  }
});

test('enablePartialResultsStabilization: false turns the default stability off too', async () => {
  const s = make({ enablePartialResultsStabilization: false });
  await s.stt.start({ sampleRate: 16000 });
  assert.is(s.server.last.query.get('enable-partial-results-stabilization'), null);
  assert.is(s.server.last.query.get('partial-results-stability'), null);
  s.stt.cancel();
  const t = make();
  await t.stt.start({ sampleRate: 16000 });
  const switching = t.stt.updateSettings({ enablePartialResultsStabilization: false });
  await t.time.advance(3000);
  assert.is(await switching, true);
  assert.is(t.server.last.query.get('partial-results-stability'), null);
  t.stt.cancel();
});

test('frames(): two next() at once both get frames; a reader that stops reading is bounded, told', async () => {
  const s = make();
  const it = s.stt.frames();
  const a = it.next();
  const b = it.next();
  await s.stt.start({ sampleRate: 16000 });
  assert.is((await a).value?.type, 'metadata');
  s.server.last.transcript([result('one', { IsPartial: false })]);
  assert.is(((await b).value as Frame | undefined)?.type, 'transcription');
  // Read nothing more: 1500 finals of 2000 characters each.
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
  for (let i = 0; i < 1500; i++)
    s.server.last.transcript([result(`${i} ${words}`, { IsPartial: false, ResultId: `r${i}` })]);
  assert.ok(
    s.warnings.some((w) => /fell 1000 frames behind/.test(w)),
    s.warnings.join('\n'),
  );
  let queued = 0;
  const reading = (async () => {
    for await (const f of it) if (f.type === 'transcription') queued++;
  })();
  const stopping = s.stt.stop();
  await s.time.advance(6000);
  await stopping;
  await reading;
  assert.ok(queued > 0 && queued < 1000, `${queued} kept (bounded by size as well as count)`);
});

test.run();
