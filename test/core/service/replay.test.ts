// Replay after a drop: the audio a dropped stream carried and no final covered yet is heard again
// by the stream that takes over, on the same timeline; finals already delivered are not repeated.
// Fake socket and virtual time for the exact bytes; the emulator for the utterance end to end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService } from '../../../dist/core/index.js';
import type { AWSTranscribeSTTServiceOptions, ConnectedEvent, Frame } from '../../../dist/core/index.js';
import { speechLikePcm, startEmulator } from '../../../dist/emulator/index.js';
import { firstDifference } from '../../helpers/bytes.ts';
import { emulatorService } from '../../helpers/emulator-service.ts';
import { FakeServer, result } from '../../helpers/fake-socket.ts';
import { VirtualTime } from '../../helpers/virtual-time.ts';

const KEY = { awsAccessKeyId: 'AKIDEXAMPLE', apiKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const BPS = 32_000;

function make(options: AWSTranscribeSTTServiceOptions = {}) {
  const server = new FakeServer();
  const time = new VirtualTime();
  const stt = new AWSTranscribeSTTService(
    { ...KEY, logger: {}, keepAliveMs: 0, ...options },
    { socketFactory: server.factory, random: () => 0.5, ...time.runtime },
  );
  const frames: Frame[] = [];
  const connected: ConnectedEvent[] = [];
  stt.on('transcription', (f) => frames.push(f));
  stt.on('connected', (e) => connected.push(e));
  return { stt, server, time, frames, connected };
}

/** `seconds` of distinct audio: every 2-byte sample holds its own index, so a byte range says where it came from. */
function numbered(fromSample: number, seconds: number): Uint8Array {
  const samples = new Int16Array(seconds * 16_000);
  for (let i = 0; i < samples.length; i++) samples[i] = ((fromSample + i) % 30_000) + 1000;
  return new Uint8Array(samples.buffer);
}

async function pushSeconds(s: ReturnType<typeof make>, from: number, seconds: number): Promise<void> {
  for (let t = 0; t < seconds * 10; t++) {
    s.stt.pushAudio(numbered(from * 16_000 + t * 1600, 0.1));
    await s.time.advance(100);
  }
}

test('a drop mid-utterance: the next stream first hears the audio since the last final, then new audio', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  await pushSeconds(s, 0, 3);
  const first = s.server.last;
  first.transcript([result('one two', { IsPartial: false, StartTime: 0.2, EndTime: 1 })]);
  first.transcript([result('three', { ResultId: 'r2', StartTime: 1.5, EndTime: 2.8 })]);
  first.serverClose(1006);
  await s.time.advance(1000);
  const second = s.server.last;
  assert.is.not(second, first);
  await pushSeconds(s, 3, 1);
  // From the end of the last final (1.0 s) on: 2 s of replay, then the new audio.
  assert.equal(s.connected[1]?.replayedSeconds, 2);
  const heard = second.audio();
  assert.is(firstDifference(heard.subarray(0, 2 * BPS), numbered(16_000, 2)), -1, 'the replay: audio after 1.0 s');
  assert.is(firstDifference(heard.subarray(2 * BPS), numbered(3 * 16_000, 1)), -1, 'then the new audio');
  // The new stream's times are on the same timeline: its 0 is 1.0 s.
  second.transcript([result('three', { ResultId: 'x', IsPartial: false, StartTime: 0.5, EndTime: 1.8 })]);
  assert.equal(
    s.frames.map((f) => (f.type === 'transcription' ? [f.text, f.result.StartTime, f.result.EndTime] : [])),
    [
      ['one two', 0.2, 1],
      ['three', 1.5, 2.8],
    ],
  );
  // AWS bills what it received: the replay counts in the usage, once.
  assert.ok(Math.abs(s.stt.counters.sentSeconds - 6) < 0.11, String(s.stt.counters.sentSeconds));
  s.stt.cancel();
});

test('no partial pending: only the last 2 s are heard again; replaySeconds caps it; 0 turns it off', async () => {
  for (const [options, expected] of [
    [{}, 2],
    [{ replaySeconds: 1.5 }, 1.5],
    [{ replaySeconds: 0 }, 0],
  ] as const) {
    const s = make(options);
    await s.stt.start({ sampleRate: 16000 });
    await pushSeconds(s, 0, 6);
    s.server.last.serverClose(1006);
    await s.time.advance(1000);
    assert.equal(s.connected[1]?.replayedSeconds, expected, JSON.stringify(options));
    const heard = s.server.last.audio();
    assert.is(heard.length, expected * BPS, 'the replay, and nothing new pushed since');
    if (expected) assert.is(firstDifference(heard, numbered((6 - expected) * 16_000, expected)), -1);
    s.stt.cancel();
  }
});

test('a rotation or a stop is no drop: nothing is replayed', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  await pushSeconds(s, 0, 2);
  const switched = s.stt.updateSettings({ language: 'de-DE' });
  await s.time.advance(3000);
  assert.is(await switched, true);
  assert.equal(
    s.connected.map((c) => c.replayedSeconds),
    [0, 0],
  );
  s.stt.cancel();
});

/** The sample index the bytes at `at` of `audio` were made from (see `numbered`). */
const sampleAt = (audio: Uint8Array, at: number): number => (audio[at]! | (audio[at + 1]! << 8)) - 1000;

test('two drops in a row, the second mid-replay: each replay is whole, and times follow the audio', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  await pushSeconds(s, 0, 3);
  s.server.last.serverClose(1006);
  await s.time.advance(300);
  await pushSeconds(s, 3, 1);
  // The second stream is still sending its replay (1 s at once, then twice real time) when it drops.
  s.server.last.serverClose(1006);
  await s.time.advance(1000);
  const third = s.server.last;
  assert.is(s.server.sockets.length, 3);
  await pushSeconds(s, 4, 1);
  const heard = third.audio();
  const replayed = s.connected[2]!.replayedSeconds;
  assert.ok(replayed > 0, 'the third stream replays');
  const from = sampleAt(heard, 0);
  // Contiguous from where the replay starts: the replay, then what the outage queued, then new audio.
  assert.is(firstDifference(heard, numbered(from, heard.length / 2 / 16_000)), -1);
  // A result at 0 on the third stream is at the replay's start on the timeline: the audio there is
  // the audio the third stream heard first (sample values repeat every 30,000 samples).
  third.transcript([result('x', { IsPartial: false, StartTime: 0, EndTime: 0.1 })]);
  const f = s.frames.at(-1);
  assert.ok(f?.type === 'transcription', JSON.stringify(f));
  assert.is(Math.round(f.result.StartTime * 16_000) % 30_000, from, `a result at 0 lands at ${f.result.StartTime} s`);
  assert.is(s.stt.counters.droppedSeconds, 0);
  s.stt.cancel();
});

test('a long outage after a drop: the backlog keeps bufferSeconds (rest counted); the replay is whole', async () => {
  const s = make({ bufferSeconds: 1 });
  await s.stt.start({ sampleRate: 16000 });
  await pushSeconds(s, 0, 3);
  s.server.autoOpen = false;
  s.server.last.serverClose(1006);
  await pushSeconds(s, 3, 3);
  assert.ok(Math.abs(s.stt.counters.droppedSeconds - 2) < 0.11, `dropped ${s.stt.counters.droppedSeconds} s`);
  s.server.last.open();
  await s.time.advance(3000);
  const heard = s.server.last.audio();
  // The last 2 s before the drop (no partial pending), then the newest 1 s of the outage.
  assert.equal(s.connected[1]?.replayedSeconds, 2);
  assert.is(heard.length, 3 * BPS);
  assert.is(firstDifference(heard.subarray(0, 2 * BPS), numbered(16_000, 2)), -1);
  assert.is(firstDifference(heard.subarray(2 * BPS), numbered(5 * 16_000, 1)), -1);
  s.stt.cancel();
});

test('a drop just after a settings switch: the old stream still owes its finals, they are not replayed', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  await pushSeconds(s, 0, 2);
  const first = s.server.last;
  first.transcript([result('hello world', { IsPartial: true, StartTime: 0.5, EndTime: 1.9 })]);
  const switched = s.stt.updateSettings({ language: 'de-DE' });
  await s.time.advance(10);
  // A pause: the new stream takes the audio from here (2 s on the timeline).
  for (let i = 0; i < 5; i++) s.stt.pushAudio(new Uint8Array(3200));
  await s.time.advance(100);
  assert.is(await switched, true);
  await pushSeconds(s, 2.5, 1);
  s.server.last.serverClose(1006);
  await s.time.advance(1000);
  // Only what the dropped stream carried (from the switch, at the pause after 2 s: at most 1.5 s),
  // never the utterance stream 1 is finishing.
  const replayed = s.connected.at(-1)!.replayedSeconds;
  assert.ok(replayed >= 1 && replayed <= 1.5, `replayed ${replayed} s`);
  first.transcript([result('hello world', { IsPartial: false, StartTime: 0.5, EndTime: 2 })]);
  s.server.last.transcript([result('tail', { IsPartial: false, StartTime: 0, EndTime: 1 })]);
  assert.equal(
    s.frames.map((f) => (f.type === 'transcription' ? f.text : '')),
    ['hello world', 'tail'],
  );
  s.stt.cancel();
});

test('stop() right after a drop: the replay is still sent and its finals awaited', async () => {
  const s = make();
  await s.stt.start({ sampleRate: 16000 });
  await pushSeconds(s, 0, 1);
  s.server.last.transcript([result('hello', { IsPartial: true, StartTime: 0.2, EndTime: 0.8 })]);
  s.server.last.serverClose(1006);
  const stopped = s.stt.stop();
  await s.time.advance(1500);
  const second = s.server.last;
  assert.is(s.server.sockets.length, 2, 'reconnected to send the replay');
  assert.is(firstDifference(second.audio(), numbered(0, 1)), -1);
  assert.ok(second.gotEndOfStream());
  second.transcript([result('hello world', { IsPartial: false, StartTime: 0.2, EndTime: 0.9 })]);
  second.serverClose(1000);
  const r = await stopped;
  assert.ok(r.complete, JSON.stringify(r));
  assert.equal(
    s.frames.map((f) => (f.type === 'transcription' ? f.text : '')),
    ['hello world'],
  );
});

test('replaySeconds out of range: a typed OptionError', () => {
  for (const bad of [-1, 61, Number.NaN]) {
    assert.throws(
      () => make({ replaySeconds: bad }),
      (e: { code?: string }) => e.code === 'INVALID_OPTION',
    );
  }
});

test('emulator: an utterance whose final was still coming when the stream dropped is transcribed', async () => {
  const pcm = speechLikePcm([{ speechMs: 1500 }, { silenceMs: 800 }, { speechMs: 1200 }, { silenceMs: 800 }]);
  const run = async (replaySeconds: number) => {
    const emu = await startEmulator({ script: ['first', 'second'], finalDelayMs: 800 });
    const stt = emulatorService(emu, { replaySeconds });
    const finals: string[] = [];
    let interims = 0;
    stt.on('transcription', (f) => finals.push(`${f.result.StartTime}-${f.result.EndTime}`));
    stt.on('interimTranscription', () => interims++);
    await stt.start({ sampleRate: 16000 });
    for (let i = 0; i < pcm.length; i += 3200) {
      stt.pushAudio(pcm.subarray(i, i + 3200));
      await new Promise((r) => setTimeout(r, 25));
      // The first utterance sent and seen as a partial, its final held back: the connection drops.
      if (i === 2 * BPS) {
        assert.ok(interims > 0 && finals.length === 0, `interims ${interims}, finals ${finals}`);
        emu.fault({ type: 'drop' });
      }
    }
    await stt.stop();
    const heard = emu.sessions.map((session) => session.audio);
    await emu.close();
    return { finals, heard };
  };
  // (The scripted recognizer names utterances by their order on each stream: the times tell them apart.)
  const replayed = await run(10);
  assert.equal(replayed.finals, ['0-1.5', '2.3-3.5']);
  assert.is(replayed.heard.length, 2);
  assert.is(firstDifference(replayed.heard[1]!, pcm), -1, 'the second stream heard the whole call from its start');
  // Without the replay the first utterance is gone: what this test exists to catch.
  assert.equal((await run(0)).finals, ['2.3-3.5']);
});

test.run();
