// Pipecat parity and Transcribe fidelity (issue 15), on a fake socket and virtual time: TTFS as
// Pipecat measures it, usage, userId per push, stabilization updates, Medical's defaults, and the
// idle-timeout BadRequest that AWS can send while audio flows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService } from '../../../dist/core/index.js';
import type {
  AWSTranscribeSTTServiceOptions,
  Frame,
  ServiceRuntime,
  TranscribeError,
  TranscriptResult,
  UsageEvent,
} from '../../../dist/core/index.js';
import { FakeServer, result } from '../../helpers/fake-socket.ts';
import { VirtualTime } from '../../helpers/virtual-time.ts';

const KEY = { awsAccessKeyId: 'AKIDEXAMPLE', apiKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const IDLE = 'Your request timed out because no new audio was received for 15 seconds.';

function make(options: AWSTranscribeSTTServiceOptions = {}, rt: Partial<ServiceRuntime> = {}) {
  const server = new FakeServer();
  const time = new VirtualTime();
  const stt = new AWSTranscribeSTTService(
    { ...KEY, logger: {}, keepAliveMs: 0, ...options },
    { socketFactory: server.factory, random: () => 1, ...time.runtime, ...rt },
  );
  const frames: Frame[] = [];
  const ttfs: number[] = [];
  const usage: UsageEvent[] = [];
  for (const name of ['transcription', 'interimTranscription', 'error'] as const) stt.on(name, (f) => frames.push(f));
  stt.on('metrics', (m) => ttfs.push(m.ttfs));
  stt.on('usage', (u) => usage.push(u));
  return { stt, server, time, frames, ttfs, usage };
}

const pcm = (seconds: number): Int16Array =>
  new Int16Array(Math.round(seconds * 16000)).map((_, i) => Math.round(6000 * Math.sin(i / 4)));
const final = (text: string, id = text): TranscriptResult => result(text, { IsPartial: false, ResultId: id });

test('TTFS with a VAD: userStoppedSpeaking() to the last final in the window, reported when it closes', async () => {
  const s = make({ ttfsWindowMs: 2000 });
  await s.stt.start({ sampleRate: 16000 });
  s.stt.pushAudio(pcm(1));
  s.stt.userStoppedSpeaking(0.3); // the VAD waited 0.3 s of silence before it decided
  await s.time.advance(400);
  s.server.last.transcript([final('first segment')]);
  await s.time.advance(500);
  s.server.last.transcript([final('second segment')]);
  assert.equal(s.ttfs, [], 'nothing until the window closes');
  await s.time.advance(1200);
  assert.equal(s.ttfs, [1.2], 'end of speech 0.3 s before the call, last final 0.9 s after it');
  assert.is(s.stt.ttfsP50, 1.2);
  s.stt.cancel();
});

test('TTFS with a VAD: no final in the window, speech again, or an interruption: no stale measurement', async () => {
  const s = make({ ttfsWindowMs: 2000 });
  await s.stt.start({ sampleRate: 16000 });
  s.stt.userStoppedSpeaking();
  await s.time.advance(2500);
  s.server.last.transcript([final('late, belongs to nothing')]);
  await s.time.advance(3000);
  assert.equal(s.ttfs, [], 'a final after the window measures nothing (no 2.69 s from a stale stamp)');
  s.stt.userStoppedSpeaking();
  await s.time.advance(100);
  s.stt.userStartedSpeaking();
  s.server.last.transcript([final('mid-turn')]);
  await s.time.advance(3000);
  s.stt.userStoppedSpeaking();
  await s.time.advance(100);
  s.stt.interrupted();
  s.server.last.transcript([final('after the interruption')]);
  await s.time.advance(3000);
  assert.equal(s.ttfs, [], 'dropped by speech and by the interruption');
  // A final that arrived before the end of speech is an earlier segment.
  s.server.last.transcript([final('before')]);
  await s.time.advance(100);
  s.stt.userStoppedSpeaking();
  await s.time.advance(3000);
  assert.equal(s.ttfs, []);
  s.stt.cancel();
});

test('usage: audio seconds sent, reported before each final and once at the end, with the total', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  s.stt.pushAudio(pcm(1.5));
  const order: string[] = [];
  s.stt.on('usage', () => order.push('usage'));
  s.stt.on('transcription', () => order.push('final'));
  s.server.last.transcript([final('one')]);
  s.stt.pushAudio(pcm(0.5));
  s.server.last.transcript([result('partial only')]);
  const stopping = s.stt.stop();
  await s.time.advance(10);
  s.server.last.serverClose(1000);
  await stopping;
  assert.equal(order, ['usage', 'final', 'usage']);
  assert.equal(
    s.usage.map((u) => u.audioSeconds),
    [1.5, 0.5],
  );
  assert.equal(
    s.usage.map((u) => u.totalAudioSeconds),
    [1.5, 2],
  );
});

test('userId per push: results carry the user of the latest push, else the one given to start()', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000, userId: 'room' });
  s.server.last.transcript([final('before any push')]);
  s.stt.pushAudio(pcm(0.1), { userId: 'alice' });
  s.server.last.transcript([final('alice speaks')]);
  s.stt.pushAudio(pcm(0.1));
  s.server.last.transcript([final('back to the default')]);
  const users = s.frames.flatMap((f) => (f.type === 'transcription' ? [f.userId] : []));
  assert.equal(users, ['room', 'alice', 'room']);
  s.stt.cancel();
});

test('stabilization: a partial whose items became stable is passed on, an identical one is not', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  const partial = (stable: boolean[]): TranscriptResult => {
    const r = result('welcome to amazon');
    r.Alternatives[0]!.Items.forEach((item, i) => {
      item.Stable = stable[i] ?? false;
    });
    return r;
  };
  s.server.last.transcript([partial([false, false, false])]);
  s.server.last.transcript([partial([true, false, false])]);
  s.server.last.transcript([partial([true, false, false])]);
  s.server.last.transcript([partial([true, true, true])]);
  const seen = s.frames.flatMap((f) =>
    f.type === 'interimTranscription' ? [f.result.Alternatives[0]!.Items.map((i) => i.Stable)] : [],
  );
  assert.equal(seen, [
    [false, false, false],
    [true, false, false],
    [true, true, true],
  ]);
  s.stt.cancel();
});

test('Transcribe Medical starts with no stabilization parameters; setting them is a clear OptionError', async () => {
  const s = make({ medical: true, specialty: 'PRIMARYCARE', type: 'CONVERSATION' });
  await s.stt.start({ sampleRate: 16000 });
  const q = s.server.last.query;
  assert.ok(s.server.last.url.includes('/medical-stream-transcription-websocket'));
  assert.is(q.get('enable-partial-results-stabilization'), null);
  assert.is(q.get('partial-results-stability'), null);
  s.stt.cancel();
  const bad = make({
    medical: true,
    specialty: 'PRIMARYCARE',
    type: 'CONVERSATION',
    enablePartialResultsStabilization: true,
  });
  const e = await bad.stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (err: TranscribeError) => err,
  );
  assert.is(e?.code, 'INVALID_OPTION');
  assert.match(String(e?.message), /enablePartialResultsStabilization/);
  assert.is(bad.server.sockets.length, 0);
});

test("AWS's idle-timeout BadRequest while audio flows: once IDLE_TIMEOUT and retried, fatal if again", async () => {
  const s = make({ maxReconnectAttempts: 5 });
  await s.stt.start({ sampleRate: 16000 });
  s.stt.pushAudio(pcm(0.5));
  s.server.last.exception('BadRequestException', IDLE);
  await s.time.advance(1000);
  assert.is(s.server.sockets.length, 2, 'reconnected');
  const first = s.frames.find((f) => f.type === 'error');
  assert.ok(first?.type === 'error' && first.error.code === 'IDLE_TIMEOUT' && !first.fatal && first.error.retryable);
  s.stt.pushAudio(pcm(0.5));
  s.server.last.exception('BadRequestException', IDLE);
  await s.time.advance(1000);
  assert.is(s.stt.state, 'failed');
  const last = s.frames.filter((f) => f.type === 'error').pop();
  assert.ok(
    last?.type === 'error' && last.fatal && last.error.code === 'IDLE_TIMEOUT' && /again/.test(last.error.message),
  );
  // Another BadRequest mid-stream is still fatal at once.
  const t = make();
  await t.stt.start({ sampleRate: 16000 });
  t.stt.pushAudio(pcm(0.5));
  t.server.last.exception('BadRequestException', 'Your stream is too big.');
  await t.time.advance(1000);
  assert.is(t.stt.state, 'failed');
  assert.is(t.server.sockets.length, 1);
});

test.run();
