// The one end-to-end scenario every row of the runtime matrix runs, inside the runtime under test
// (Node, Deno, Bun, a Cloudflare Worker, a browser page). It uses only what all of them share
// (fetch, setTimeout, typed arrays) and talks to the Node test process through its control server:
//   GET  /audio.wav        the 48 kHz stereo fixture
//   POST /drop?bytes=N     "drop my stream once it has received N audio bytes" (answers after the drop)
//   POST /produced         every wire PCM byte the service's audio pipeline produced, in order
//   POST /result           the ScenarioReport (JSON)
// The Node side then checks the transcripts, the reconnect and that the emulator's streams,
// concatenated, hold exactly the produced bytes.
import type { AudioPipeline, AWSTranscribeSTTService, Frame } from '../../dist/core/index.js';
import { parseWav } from './wav.ts';

export interface ScenarioReport {
  runtime: string;
  backend: string;
  finals: string[];
  interims: number;
  errors: { code: string; fatal: boolean; message: string }[];
  disconnects: { code: number; willReconnect: boolean }[];
  connects: number;
  /** Each stream's replayedSeconds (audio heard again after a drop), in the order they became current. */
  replayed: number[];
  state: string;
  reconnects: number;
  bufferedSeconds: number;
  droppedSeconds: number;
  /** Milliseconds from start() to each step, for the row's timing note. */
  timings: Record<string, number>;
  /** Runtime-specific facts the row checks (e.g. which CRC-32 is in use). */
  extra: Record<string, unknown>;
  error?: string;
}

export interface ScenarioHost {
  runtime: string;
  stt: AWSTranscribeSTTService;
  control: string;
  dspBackend: () => string;
  /** The WAV bytes; fetched from the control server when absent. */
  wav?: Uint8Array;
  extra?: Record<string, unknown>;
}

/** Milliseconds of the fixture pushed before the drop: first utterance, then 1 s of its silence. */
export const DROP_AT_MS = 2200;
/** Milliseconds pushed while the stream is down (they wait in the service's backlog). */
export const OUTAGE_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Records every byte the service's pipeline produces (process and flush), in order. */
export class ProducedTap {
  private chunks: Uint8Array[] = [];
  length = 0;

  wrap(stt: AWSTranscribeSTTService): void {
    const inner = stt.runtime.createAudioPipeline;
    if (!inner) throw new Error('this adapter injects no audio pipeline');
    stt.runtime.createAudioPipeline = (o) => {
      const p = inner(o);
      const tap: AudioPipeline = {
        process: (input) => this.keep(p.process(input)),
        flush: () => this.keep(p.flush()),
      };
      return tap;
    };
  }

  private keep(bytes: Uint8Array): Uint8Array {
    if (bytes.length > 0) {
      this.chunks.push(bytes.slice());
      this.length += bytes.length;
    }
    return bytes;
  }

  bytes(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Listens to the service; shared by the file scenario and the browser page. */
export class ScenarioLog {
  readonly report: ScenarioReport;
  readonly started = Date.now();

  constructor(runtime: string, backend: string, stt: AWSTranscribeSTTService, onFrame?: (f: Frame) => void) {
    this.report = {
      runtime,
      backend,
      finals: [],
      interims: 0,
      errors: [],
      disconnects: [],
      connects: 0,
      replayed: [],
      state: '',
      reconnects: 0,
      bufferedSeconds: 0,
      droppedSeconds: 0,
      timings: {},
      extra: {},
    };
    const r = this.report;
    stt.on('transcription', (f) => {
      r.finals.push(f.text);
      onFrame?.(f);
    });
    stt.on('interimTranscription', (f) => {
      r.interims++;
      onFrame?.(f);
    });
    stt.on('error', (f) => {
      r.errors.push({ code: f.error.code, fatal: f.fatal, message: f.error.message });
      onFrame?.(f);
    });
    stt.on('disconnected', (e) => r.disconnects.push({ code: e.code, willReconnect: e.willReconnect }));
    stt.on('connected', (e) => {
      r.connects++;
      r.replayed.push(e.replayedSeconds);
    });
  }

  mark(step: string): void {
    this.report.timings[step] = Date.now() - this.started;
  }

  finish(stt: AWSTranscribeSTTService): ScenarioReport {
    const r = this.report;
    r.state = stt.state;
    r.reconnects = stt.counters.reconnects;
    r.bufferedSeconds = stt.counters.bufferedSeconds;
    r.droppedSeconds = stt.counters.droppedSeconds;
    return r;
  }
}

/**
 * Starts a service whose secret is wrong: the endpoint refuses the handshake with 403, and the
 * service must end with one fatal AUTH_FAILED (no retry loop) where the runtime can learn the
 * HTTP status, or a CONNECTION_FAILED where it cannot (browsers).
 */
export async function refusedHandshake(
  stt: AWSTranscribeSTTService,
): Promise<{ state: string; errors: string[]; status: number | undefined; rejected: string | undefined }> {
  const errors: string[] = [];
  let status: number | undefined;
  stt.on('error', (f) => {
    errors.push(`${f.error.code}${f.fatal ? ' fatal' : ''}`);
    status ??= f.error.status;
  });
  // A refused handshake is fatal: start() rejects with the same error the error frame carries.
  const rejected = await stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (e: { code?: string }) => e.code,
  );
  const state = stt.state;
  stt.cancel();
  return { state, errors, status, rejected };
}

export async function post(control: string, path: string, body: Uint8Array<ArrayBuffer> | string): Promise<Response> {
  const res = await fetch(`${control}${path}`, { method: 'POST', body });
  if (!res.ok) throw new Error(`control ${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/**
 * Streams the fixture in 20 ms chunks: the first DROP_AT_MS, waits for the first final, has the
 * stream dropped once everything sent has arrived, pushes OUTAGE_MS while it is down, waits for the
 * reconnect, pushes the rest, stops. Reports to the control server; resolves with the report.
 */
export async function runFileScenario(host: ScenarioHost): Promise<ScenarioReport> {
  const { stt, control } = host;
  const tap = new ProducedTap();
  tap.wrap(stt);
  const log = new ScenarioLog(host.runtime, host.dspBackend(), stt);
  Object.assign(log.report.extra, host.extra);
  try {
    const bytes = host.wav ?? new Uint8Array(await (await fetch(`${control}/audio.wav`)).arrayBuffer());
    const wav = parseWav(bytes);
    const frame = (wav.sampleRate / 50) * wav.channels; // 20 ms
    const channels = wav.channels === 2 ? 2 : 1;
    let at = 0;
    const pushUntil = async (ms: number): Promise<void> => {
      const end = Math.min(wav.samples.length, Math.round((ms * wav.sampleRate) / 1000) * wav.channels);
      for (let n = 0; at < end; at += frame, n++) {
        stt.pushAudio(wav.samples.subarray(at, Math.min(at + frame, end)), { channels });
        if (n % 10 === 9) await sleep(0);
      }
    };
    await stt.start({ sampleRate: wav.sampleRate });
    log.mark('open');
    await pushUntil(DROP_AT_MS);
    await waitFor('the first final transcript', () => log.report.finals.length >= 1, 10_000);
    log.mark('firstFinal');
    const sent = Math.round(stt.counters.sentSeconds * stt.wireRate * 2);
    await post(control, `/drop?bytes=${sent}`, '');
    await waitFor('the disconnected event', () => log.report.disconnects.length >= 1, 10_000);
    log.mark('dropped');
    await pushUntil(DROP_AT_MS + OUTAGE_MS);
    await waitFor('the reconnect', () => log.report.connects >= 2, 10_000);
    log.mark('reconnected');
    await pushUntil(Infinity);
    await stt.stop();
    log.mark('stopped');
  } catch (err) {
    log.report.error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    stt.cancel();
  }
  const report = log.finish(stt);
  await post(control, '/produced', tap.bytes());
  await post(control, '/result', JSON.stringify(report));
  return report;
}
