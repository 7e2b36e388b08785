// Soak: N concurrent real-time streams through AWSTranscribeSTTService to the emulator running in
// another process, with a random fault every few seconds. Checks that no audio is lost (each
// stream's PCM, byte count and CRC-32, equals what the emulator received across its sessions),
// that nothing rejects unhandled, and that the heap does not grow after warm-up; prints the
// figures. `npm run soak` runs 50 streams for 10 minutes; options: --streams N --seconds S --fault-every S.
import { fork } from 'node:child_process';
import { crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { AWSTranscribeSTTService } from '../dist/adapters/node.js';
import type { AudioPipeline, Credentials } from '../dist/adapters/node.js';
import { PcmPipeline } from '../dist/dsp/index.js';
import { speechLikePcm } from '../dist/emulator/index.js';
import type { FaultSpec } from '../dist/emulator/index.js';

export interface SoakOptions {
  streams: number;
  seconds: number;
  faultEverySeconds: number;
  /** Seconds before the heap baseline is taken. */
  warmupSeconds: number;
  /** Seed of the fault schedule (which fault, when); random when absent. */
  seed?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  streams: number;
  seconds: number;
  faults: number;
  reconnects: number;
  lostStreams: number;
  droppedSeconds: number;
  unhandledRejections: number;
  fatalErrors: number;
  finals: number;
  ttfsP50: number | undefined;
  ttfsP99: number | undefined;
  cpuMsPerStreamSecond: number;
  heapGrowth: number;
}

const FAULTS: FaultSpec[] = [
  { type: 'drop', afterMs: 0 },
  { type: 'close', code: 1011, afterMs: 0 },
  { type: 'exception', exceptionType: 'InternalFailureException', afterMs: 0 },
  { type: 'exception', exceptionType: 'ServiceUnavailableException', afterMs: 0 },
  { type: 'exception', exceptionType: 'LimitExceededException', afterMs: 0 },
  { type: 'refuse', status: 503, times: 3 },
];

/** 48 kHz mono Float32 speech-like audio: a loop the streams read from at different offsets. */
function speechLoop(): Float32Array {
  const pcm = speechLikePcm(
    [
      { speechMs: 1200 },
      { silenceMs: 800 },
      { speechMs: 900 },
      { silenceMs: 900 },
      { speechMs: 1500 },
      { silenceMs: 700 },
    ],
    {
      sampleRate: 48000,
    },
  );
  const s = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
  return Float32Array.from(s, (v) => v / 32768);
}

/** mulberry32: a small seeded PRNG, so a soak's fault schedule can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export async function soak(o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? (() => {});
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seeded(seed);
  log(`soak: fault schedule seed ${seed}`);
  const child = fork(fileURLToPath(new URL('./soak/emulator-process.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const request = <T>(msg: object, want: string): Promise<T> =>
    new Promise((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type === want) {
          child.off('message', on);
          resolve(m as T);
        }
      };
      child.on('message', on);
      if (Object.keys(msg).length) child.send(msg);
    });
  const ready = await request<{ endpoint: string; credentials: Credentials }>({}, 'ready');

  let unhandled = 0;
  const onUnhandled = (): void => void unhandled++;
  process.on('unhandledRejection', onUnhandled);

  const loop = speechLoop();
  const chunk = 4800; // 100 ms at 48 kHz
  const produced = Array.from({ length: o.streams }, () => ({ bytes: 0, crc: 0 }));
  /** Per stream, each ConnectedEvent's replayedSeconds: the emulator counts a replayed head once. */
  const replayed: Record<string, number[]> = {};
  const ttfs: number[] = [];
  let fatal = 0;
  let finals = 0;
  const services = Array.from({ length: o.streams }, (_, i) => {
    const tap = produced[i]!;
    const stt = new AWSTranscribeSTTService(
      {
        endpoint: ready.endpoint,
        awsAccessKeyId: ready.credentials.accessKeyId,
        apiKey: ready.credentials.secretAccessKey,
        extraQuery: { 'x-soak-stream': String(i) },
        keepAliveMs: 0,
        maxReconnectAttempts: 6,
        logger: {},
      },
      {
        // Tap what the DSP produces, to compare with what the emulator received.
        createAudioPipeline: (opts) => {
          const p = new PcmPipeline(opts);
          const counted = (b: Uint8Array): Uint8Array => {
            tap.bytes += b.length;
            tap.crc = crc32(b, tap.crc);
            return b;
          };
          const wrapped: AudioPipeline = { process: (x) => counted(p.process(x)), flush: () => counted(p.flush()) };
          return wrapped;
        },
      },
    );
    stt.on('connected', (e) => (replayed[String(i)] ??= []).push(e.replayedSeconds));
    stt.on('metrics', (m) => ttfs.push(m.ttfs));
    stt.on('transcription', () => void finals++);
    stt.on('error', (f) => {
      if (!f.fatal) return;
      fatal++;
      log(`soak: stream ${i} gave up: ${f.error.code}: ${f.error.message}`);
    });
    return stt;
  });
  await Promise.all(services.map((s) => s.start({ sampleRate: 48000 })));
  log(`soak: ${o.streams} streams open; streaming for ${o.seconds} s with a fault every ${o.faultEverySeconds} s`);

  const gc = (globalThis as { gc?: () => void }).gc;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let heapBase = 0;
  let faults = 0;
  let nextFault = o.faultEverySeconds * 1000;
  let tick = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      tick++;
      const elapsed = Date.now() - t0;
      for (let i = 0; i < services.length; i++) {
        const offset = ((tick * chunk + i * 7919) % (loop.length - chunk)) | 0;
        services[i]!.pushAudio(loop.subarray(offset, offset + chunk));
      }
      if (elapsed >= nextFault) {
        nextFault += o.faultEverySeconds * 1000 * (0.5 + random());
        const spec = FAULTS[Math.floor(random() * FAULTS.length)]!;
        child.send({ type: 'fault', spec });
        faults++;
      }
      if (heapBase === 0 && elapsed >= o.warmupSeconds * 1000) {
        gc?.();
        heapBase = process.memoryUsage().heapUsed;
      }
      if (tick % 100 === 0)
        log(
          `soak: ${(elapsed / 1000).toFixed(0)} s, ${faults} faults, heap ` +
            `${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB`,
        );
      if (elapsed >= o.seconds * 1000) {
        clearInterval(timer);
        done();
      }
    }, 100);
  });
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(services.map((s) => s.stop()));
  gc?.();
  const heapEnd = process.memoryUsage().heapUsed;
  type Received = { bytes: number; crc: number; sessions: number; problem?: string };
  const report = await request<{ streams: Record<string, Received> }>({ type: 'report', replayed }, 'report');
  child.send({ type: 'close' });
  process.off('unhandledRejection', onUnhandled);

  let lost = 0;
  produced.forEach((p, i) => {
    const r = report.streams[String(i)];
    if (!r || r.bytes !== p.bytes || r.crc !== p.crc) {
      lost++;
      log(
        `soak: stream ${i} produced ${p.bytes} bytes, the emulator received ${r?.bytes ?? 0} (${r?.sessions ?? 0} ` +
          `sessions)${r?.problem ? `: ${r.problem}` : ''}`,
      );
    }
  });
  return {
    streams: o.streams,
    seconds: o.seconds,
    faults,
    reconnects: services.reduce((n, s) => n + s.counters.reconnects, 0),
    lostStreams: lost,
    droppedSeconds: services.reduce((n, s) => n + s.counters.droppedSeconds, 0),
    unhandledRejections: unhandled,
    fatalErrors: fatal,
    finals,
    ttfsP50: percentile(ttfs, 50),
    ttfsP99: percentile(ttfs, 99),
    cpuMsPerStreamSecond: (cpu.user + cpu.system) / 1000 / (o.streams * o.seconds),
    heapGrowth: heapBase > 0 ? heapEnd / heapBase - 1 : 0,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const seconds = arg('seconds', 600);
  const r = await soak({
    streams: arg('streams', 50),
    seconds,
    faultEverySeconds: arg('fault-every', 5),
    warmupSeconds: Math.min(60, seconds / 4),
    log: (l) => console.error(l),
  });
  console.log('| figure | value |\n| --- | --- |');
  for (const [k, v] of Object.entries(r))
    console.log(`| ${k} | ${typeof v === 'number' ? +v.toFixed(4) : String(v)} |`);
  const ok =
    r.lostStreams === 0 &&
    r.droppedSeconds === 0 &&
    r.unhandledRejections === 0 &&
    r.fatalErrors === 0 &&
    r.heapGrowth < 0.1;
  console.log(ok ? 'soak: PASS' : 'soak: FAIL');
  process.exit(ok ? 0 : 1);
}
