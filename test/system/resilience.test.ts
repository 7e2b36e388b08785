// Resilience against the emulator's faults: for every fault the service recovers, the finals name
// every utterance exactly once, result times stay on the input's timeline, and the PCM the
// emulator received across all its streams equals, byte for byte, the PCM the service produced
// (a stream that took over after a drop first hears again what no final covered: counted once).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService } from '../../dist/adapters/node.js';
import type { AWSTranscribeSTTServiceOptions, ServiceRuntime, TranscriptionFrame } from '../../dist/adapters/node.js';
import { PcmPipeline } from '../../dist/dsp/index.js';
import { startEmulator } from '../../dist/emulator/index.js';
import type { Emulator, EmulatorOptions, FaultSpec } from '../../dist/emulator/index.js';
import { receivedStreams, timelineAudio } from '../helpers/timeline.ts';
import { toneRecognizer } from '../helpers/tone-recognizer.ts';

const RATE = 48000;
const PITCHES = [300, 500, 700, 900, 1100, 1300];
const LEAD = 0.3;
const BURST = 0.8;
const GAP = 0.7;
const burstStart = (i: number): number => LEAD + i * (BURST + GAP);

/** Interleaved stereo Float32 at 48 kHz: a tone burst per pitch, with pauses. */
function input(): Float32Array {
  const seconds = burstStart(PITCHES.length) + 0.2;
  const out = new Float32Array(Math.round(seconds * RATE) * 2);
  PITCHES.forEach((f, k) => {
    const start = Math.round(burstStart(k) * RATE);
    for (let i = 0; i < BURST * RATE; i++) {
      const ramp = Math.min(1, i / 240, (BURST * RATE - i) / 240);
      out[2 * (start + i)] = out[2 * (start + i) + 1] = 0.3 * ramp * Math.sin((2 * Math.PI * f * i) / RATE);
    }
  });
  return out;
}

const INPUT = input();
const EXPECTED = (() => {
  const p = new PcmPipeline({ from: RATE, to: 16000, channels: 2 });
  const a = p.process(INPUT).slice();
  const b = p.flush().slice();
  return Uint8Array.from([...a, ...b]);
})();

interface Run {
  emu: Emulator;
  stt: AWSTranscribeSTTService;
  finals: TranscriptionFrame[];
  errors: string[];
  /** Each stream's replayedSeconds, in the order they became current. */
  replayed: number[];
}

async function run(
  o: {
    emulator?: EmulatorOptions;
    service?: AWSTranscribeSTTServiceOptions;
    runtime?: Partial<ServiceRuntime>;
    before?: (emu: Emulator) => void;
    /** Called with the chunk index before each push; may wait (e.g. a pause). */
    during?: (chunk: number, r: Run) => Promise<void> | void;
    /** Wall ms per 20 ms chunk (5 = four times real time). */
    paceMs?: number;
    /**
     * After this many 100 ms frames went out, wait for the fault's disconnect before pushing more:
     * a frame sent into a connection the server already dropped, before the client saw the close,
     * is lost by any client (the protocol has no acks), and CI load must not make that a race.
     */
    settleAfterFrames?: number;
  },
  check: (r: Run) => void | Promise<void>,
): Promise<void> {
  const emu = await startEmulator({ recognizer: toneRecognizer, ...o.emulator });
  try {
    o.before?.(emu);
    const stt = new AWSTranscribeSTTService(
      {
        endpoint: emu.endpoint,
        awsAccessKeyId: emu.credentials.accessKeyId,
        apiKey: emu.credentials.secretAccessKey,
        keepAliveMs: 0,
        logger: {},
        ...o.service,
      },
      o.runtime,
    );
    const r: Run = { emu, stt, finals: [], errors: [], replayed: [] };
    stt.on('connected', (e) => r.replayed.push(e.replayedSeconds));
    let disconnected = false;
    stt.on('disconnected', () => (disconnected = true));
    stt.on('transcription', (f) => r.finals.push(f));
    stt.on('error', (f) => r.errors.push(`${f.fatal ? 'fatal ' : ''}${f.error.code}`));
    await stt.start({ sampleRate: RATE });
    const step = (RATE / 50) * 2;
    for (let i = 0, k = 0; i < INPUT.length; i += step, k++) {
      await o.during?.(k, r);
      if (o.settleAfterFrames !== undefined && !disconnected && stt.counters.sentSeconds >= o.settleAfterFrames / 10) {
        const until = Date.now() + 3000;
        while (!disconnected && Date.now() < until) await new Promise((res) => setTimeout(res, 2));
      }
      stt.pushAudio(INPUT.subarray(i, i + step), { channels: 2 });
      await new Promise((res) => setTimeout(res, o.paceMs ?? 5));
    }
    await stt.stop();
    await check(r);
  } finally {
    await emu.close();
  }
}

/** Mono 16 kHz on the wire (the service downmixes without channel identification). */
const WIRE_BPS = 32_000;

/** The PCM of the call as the emulator's streams received it, each replayed head counted once. */
function received(emu: Emulator, replayed: readonly number[]): Uint8Array {
  return timelineAudio(receivedStreams(emu.sessions, replayed, WIRE_BPS));
}

function sameBytes(a: Uint8Array, b: Uint8Array, what: string): void {
  if (a.length !== b.length) assert.unreachable(`${what}: ${a.length} bytes received, ${b.length} produced`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.unreachable(`${what}: first difference at byte ${i}`);
}

/** `shift(i)`: seconds the wire timeline runs ahead of the input at burst i (keep-alive silence). */
function everyUtteranceOnce(r: Run, shift: (i: number) => number = () => 0): void {
  assert.equal(
    r.finals.map((f) => f.text),
    PITCHES.map((p) => `tone ${p}`),
    'each utterance exactly once, in order',
  );
  r.finals.forEach((f, i) => {
    // On the input's timeline: it ends where the burst ends; it may start later when a failed
    // stream heard the burst's beginning (that audio reached AWS, but its stream died).
    const { StartTime: start, EndTime: end } = f.result;
    const [from, to] = [burstStart(i) + shift(i), burstStart(i) + BURST + shift(i)];
    assert.ok(Math.abs(end - to) < 0.05, `final ${i} ends at ${end.toFixed(3)} s, the burst at ${to.toFixed(3)} s`);
    assert.ok(start > from - 0.05 && start < to, `final ${i} starts at ${start.toFixed(3)} s, the burst at ${from} s`);
  });
}

const FAULTS: [string, FaultSpec, number][] = [
  ['a TCP drop without a close frame', { type: 'drop', afterFrames: 20 }, 2],
  ['a 1011 close', { type: 'close', code: 1011, afterFrames: 25 }, 2],
  [
    'InternalFailureException mid-stream',
    { type: 'exception', exceptionType: 'InternalFailureException', afterFrames: 30 },
    2,
  ],
  [
    'ServiceUnavailableException mid-stream',
    { type: 'exception', exceptionType: 'ServiceUnavailableException', afterFrames: 15 },
    2,
  ],
  [
    'LimitExceededException mid-stream',
    { type: 'exception', exceptionType: 'LimitExceededException', afterFrames: 35 },
    2,
  ],
  ['a refused handshake (429)', { type: 'refuse', status: 429 }, 1],
  ['two refused handshakes (503)', { type: 'refuse', status: 503, times: 2 }, 1],
  ['slow responses (150 ms on everything)', { type: 'delay', ms: 150, target: 'all' }, 1],
];

for (const [name, spec, sessions] of FAULTS) {
  test(`recovers from ${name}: every utterance once, every byte once`, () =>
    run(
      { before: (emu) => emu.fault(spec), ...('afterFrames' in spec ? { settleAfterFrames: spec.afterFrames } : {}) },
      (r) => {
        assert.is(r.emu.sessions.length, sessions, 'streams opened');
        everyUtteranceOnce(r);
        sameBytes(received(r.emu, r.replayed), EXPECTED, 'PCM across streams');
        assert.not.ok(
          r.errors.some((e) => e.startsWith('fatal')),
          `no fatal error: ${r.errors.join(', ')}`,
        );
        if (sessions > 1 || spec.type === 'refuse') assert.ok(r.errors.length >= 1, 'the incident was reported');
        assert.is(r.stt.counters.droppedSeconds, 0);
        assert.is(r.emu.sessions[r.emu.sessions.length - 1]!.closeCode, 1000);
      },
    ));
}

test('a drop just before stop(): the buffered audio still reaches a new stream before the end', async () => {
  const emu = await startEmulator({ recognizer: toneRecognizer });
  try {
    const stt = new AWSTranscribeSTTService({
      endpoint: emu.endpoint,
      awsAccessKeyId: emu.credentials.accessKeyId,
      apiKey: emu.credentials.secretAccessKey,
      keepAliveMs: 0,
      logger: {},
    });
    let dropped = false;
    const replayed: number[] = [];
    stt.on('disconnected', () => (dropped = true));
    stt.on('connected', (e) => replayed.push(e.replayedSeconds));
    await stt.start({ sampleRate: RATE });
    emu.fault({ type: 'drop', afterFrames: 40 });
    // Paced until the drop is noticed; then the rest at once and stop() at once, so the rest is
    // still in the backlog, with no stream open, when stop() is called.
    const step = (RATE / 50) * 2;
    for (let i = 0; i < INPUT.length; i += step) {
      stt.pushAudio(INPUT.subarray(i, i + step), { channels: 2 });
      if (!dropped) await new Promise((res) => setTimeout(res, 5));
    }
    assert.ok(dropped && stt.counters.bufferedSeconds > 1, `buffered ${stt.counters.bufferedSeconds} s`);
    await stt.stop();
    assert.ok(emu.sessions.length >= 2, `streams: ${emu.sessions.length}`);
    sameBytes(received(emu, replayed), EXPECTED, 'PCM across streams');
    assert.is(emu.sessions[emu.sessions.length - 1]!.closeCode, 1000);
  } finally {
    await emu.close();
  }
});

test('keep-alive silence holds the stream open through a pause longer than the idle timeout', () =>
  run(
    {
      emulator: { idleTimeoutMs: 1200 },
      service: { keepAliveMs: 400, idleTimeoutMs: 1200 },
      during: (k) => (k === 160 ? new Promise((res) => setTimeout(res, 2600)) : undefined),
    },
    (r) => {
      assert.is(r.emu.sessions.length, 1, 'one stream, never timed out');
      // The pause (3.2 s into the input) is on the wire as silence: later results move by its length.
      everyUtteranceOnce(r, (i) => (burstStart(i) > 3.2 ? r.stt.counters.keepAliveSeconds : 0));
      const got = received(r.emu, r.replayed);
      const extra = got.length - EXPECTED.length;
      assert.ok(
        extra > 0 && extra === Math.round(r.stt.counters.keepAliveSeconds * WIRE_BPS),
        'the silence sent is counted',
      );
      let o = 0;
      while (o < EXPECTED.length && got[o] === EXPECTED[o]) o++;
      for (let i = o; i < o + extra; i++) assert.is(got[i], 0, 'keep-alive is digital silence');
      sameBytes(got.subarray(o + extra), EXPECTED.subarray(o), 'the audio after the keep-alive');
    },
  ));

test('without keep-alive, the idle timeout is classified structurally and recovered from', () =>
  run(
    {
      emulator: { idleTimeoutMs: 800 },
      service: { keepAliveMs: 0, idleTimeoutMs: 800 },
      during: (k) => (k === 160 ? new Promise((res) => setTimeout(res, 1500)) : undefined),
    },
    (r) => {
      assert.is(r.emu.sessions.length, 2);
      assert.ok(r.errors.includes('IDLE_TIMEOUT'), r.errors.join(','));
      everyUtteranceOnce(r);
      sameBytes(received(r.emu, r.replayed), EXPECTED, 'PCM across streams');
    },
  ));

test('rotation before the maximum stream duration loses and duplicates nothing', () =>
  run({ service: { maxStreamDurationMs: 1500 }, paceMs: 10 }, (r) => {
    assert.ok(r.emu.sessions.length >= 3, `streams: ${r.emu.sessions.length}`);
    everyUtteranceOnce(r);
    sameBytes(received(r.emu, r.replayed), EXPECTED, 'PCM across streams');
    for (const s of r.emu.sessions) assert.is(s.closeCode, 1000, 'each stream ended normally');
    assert.equal(r.errors, []);
    const ids = r.emu.sessions.map((s) => s.id);
    assert.is(new Set(ids).size, ids.length, 'no session id reused');
  }));

test('credentials that expire mid-stream are refreshed before they lapse (simulated clock)', async () => {
  let skew = 0;
  const timers: { due: number; fn: () => void }[] = [];
  const now = (): number => Date.now() + skew;
  const pump = setInterval(() => {
    for (const t of timers.splice(0).sort((a, b) => a.due - b.due)) {
      if (t.due <= now()) t.fn();
      else timers.push(t);
    }
  }, 2);
  let calls = 0;
  const issued: Date[] = [];
  try {
    await run(
      {
        emulator: { credentials: { accessKeyId: 'AKIDROTATE', secretAccessKey: 'rotating-secret' } },
        service: {
          awsAccessKeyId: undefined,
          apiKey: undefined,
          credentials: () => {
            calls++;
            const expiration = new Date(now() + 120_000);
            issued.push(expiration);
            return { accessKeyId: 'AKIDROTATE', secretAccessKey: 'rotating-secret', expiration };
          },
        } as unknown as AWSTranscribeSTTServiceOptions,
        runtime: {
          now,
          setTimeout: (fn, ms) => {
            const t = { due: now() + ms, fn };
            timers.push(t);
            return t;
          },
          clearTimeout: (h) => {
            const i = timers.indexOf(h as (typeof timers)[number]);
            if (i >= 0) timers.splice(i, 1);
          },
        },
        // Jump 61 s ahead a third of the way in: past half of the 2-minute lifetime.
        during: (k) => {
          if (k === 150) skew += 61_000;
        },
      },
      (r) => {
        assert.ok(calls >= 2, `provider asked ${calls} times`);
        assert.ok(r.emu.sessions.length >= 2, 'a new stream with fresh credentials');
        everyUtteranceOnce(r);
        sameBytes(received(r.emu, r.replayed), EXPECTED, 'PCM across streams');
        assert.equal(r.errors, []);
      },
    );
  } finally {
    clearInterval(pump);
  }
});

test.run();
