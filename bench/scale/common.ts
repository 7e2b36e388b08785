// What every scale client process shares: its configuration (one JSON argument), the audio it
// streams, the real-time scheduler that paces N streams, the latency recorder, and the one result
// line it prints. Each client (ours, the official SDK, the bare-WebSocket floor) differs only in
// how a 100 ms chunk reaches the socket, so these parts must be identical for all of them.
import { speechLikePcm } from '../../dist/emulator/index.js';

export interface ClientConfig {
  /** Emulator endpoint, ws://127.0.0.1:PORT. */
  endpoint: string;
  port: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  streams: number;
  /** Audio streamed after every stream is open and before measuring (JIT, buffers, first transcripts). */
  warmupMs: number;
  measureMs: number;
  /** Handshakes in flight at once while connecting. */
  connectConcurrency: number;
  /** Client-specific switch (the SDK's signed or plain mode). */
  mode?: string;
}

export interface ClientResult {
  client: string;
  streams: number;
  /** Streams that opened (and stayed open through the window). */
  opened: number;
  connectMs: number;
  /** Wall time and audio pushed inside the measurement window. */
  windowMs: number;
  streamSeconds: number;
  /** Audio pushed over the whole run (warm-up included): what the emulator should have received. */
  allStreamSeconds: number;
  /** process.cpuUsage() user + system over the window, microseconds. */
  cpuUs: number;
  /** The system (kernel) part of cpuUs: socket writes, and on loopback the receiving TCP path too. */
  systemUs: number;
  /** CPU milliseconds per second of audio streamed (one stream for one second). */
  cpuMsPerStreamSecond: number;
  /** Share of one core the whole process used over the window. */
  coreShare: number;
  /** Audio due time -> send() returned (includes any event-loop lag): ms. */
  dueToSend: { p50: number; p99: number; max: number; count: number };
  /** pushAudio (or the SDK's chunk hand-off) call -> send() returned: ms. */
  callToSend: { p50: number; p99: number; max: number; count: number };
  /** Frames sent outside the push that completed them (e.g. backlog flushes), in the window. */
  unattributedSends: number;
  /** Pushes in the window whose audio had not reached send() when the window closed. */
  unsent: number;
  heapPerStreamBytes: number;
  rssPerStreamBytes: number;
  /** Largest bufferedAmount seen on any socket (bytes not yet handed to the kernel). */
  maxBufferedAmount: number;
  transcripts: { partial: number; final: number };
  errors: string[];
}

export function readConfig(): ClientConfig {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: node bench/scale/client-<name>.ts '<json config>'");
  return JSON.parse(raw) as ClientConfig;
}

export const FRAME_MS = 100;

/**
 * Six seconds of speech-like audio with pauses (so the emulator sends partials and finals back, as
 * Transcribe would), at the rate a client is given. The same segments at every rate.
 */
const SEGMENTS = [
  { silenceMs: 300 },
  { speechMs: 1600 },
  { silenceMs: 900 },
  { speechMs: 1300 },
  { silenceMs: 800 },
  { speechMs: 400 },
  { silenceMs: 700 },
];

export function speechInt16Bytes(rate: number): Uint8Array {
  return speechLikePcm(SEGMENTS, { sampleRate: rate });
}

export function speechFloat32(rate: number): Float32Array {
  const bytes = speechInt16Bytes(rate);
  const s = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const out = new Float32Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s[i]! / 32768;
  return out;
}

/** Latencies in a preallocated array (the recorder must not allocate per frame). */
export class Recorder {
  readonly values: Float64Array;
  count = 0;
  dropped = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }
  add(ms: number): void {
    if (this.count < this.values.length) this.values[this.count++] = ms;
    else this.dropped++;
  }
  summary(): { p50: number; p99: number; max: number; count: number } {
    const v = this.values.slice(0, this.count).sort();
    const at = (q: number): number => (v.length ? v[Math.min(v.length - 1, Math.floor(q * (v.length - 1)))]! : NaN);
    return {
      p50: round3(at(0.5)),
      p99: round3(at(0.99)),
      max: round3(v.length ? v[v.length - 1]! : NaN),
      count: this.count,
    };
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Paces N real-time streams from one timer: stream i is due at start + (i/N + k) * 100 ms, so the
 * pushes are spread evenly over each 100 ms like independent sources. Pushes run in due order; a
 * late timer runs every overdue push at once (that lateness is what `due -> send` measures).
 */
export class Pacer {
  readonly #n: number;
  readonly #start: number;
  readonly #stopAt: number;
  readonly #push: (stream: number, frame: number, due: number) => void;
  #next = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly done: Promise<void>;
  #resolve!: () => void;

  constructor(
    n: number,
    start: number,
    durationMs: number,
    push: (stream: number, frame: number, due: number) => void,
  ) {
    this.#n = n;
    this.#start = start;
    this.#stopAt = start + durationMs;
    this.#push = push;
    this.done = new Promise((r) => (this.#resolve = r));
    this.#tick();
  }

  #due(j: number): number {
    return this.#start + (Math.floor(j / this.#n) + (j % this.#n) / this.#n) * FRAME_MS;
  }

  readonly #tick = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let due = this.#due(this.#next);
    while (due <= now) {
      if (due >= this.#stopAt) {
        this.#resolve();
        return;
      }
      const j = this.#next++;
      this.#push(j % this.#n, Math.floor(j / this.#n), due);
      due = this.#due(this.#next);
    }
    if (due >= this.#stopAt) {
      this.#resolve();
      return;
    }
    this.#timer = setTimeout(this.#tick, Math.max(0, due - performance.now()));
  };

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#resolve();
  }
}

/** Opens `n` things with at most `limit` in flight; resolves with how many succeeded. */
export async function openAll(n: number, limit: number, open: (i: number) => Promise<boolean>): Promise<number> {
  let next = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) if (await open(i)) ok++;
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return ok;
}

declare const gc: (() => void) | undefined;

/** Heap and RSS after a full collection (the client runs with --expose-gc). */
export function settledMemory(): { heap: number; rss: number } {
  if (typeof gc === 'function') {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

/** The one line the orchestrator reads (plus the process's whole CPU time, for the load figure). */
export function printResult(r: ClientResult): void {
  const c = process.cpuUsage();
  process.stdout.write(`RESULT ${JSON.stringify({ ...r, processCpuUs: c.user + c.system })}\n`);
}

/**
 * The window every client runs: warm up, then measure CPU and latency while streaming, then the
 * memory of the live streams. `recording` tells the client's hooks when to record latencies.
 */
export async function streamWindow(
  cfg: ClientConfig,
  push: (stream: number, frame: number, due: number) => void,
  setRecording: (on: boolean) => void,
): Promise<{ windowMs: number; cpuUs: number; systemUs: number; pushes: number; allPushes: number }> {
  let pushes = 0;
  let allPushes = 0;
  let recording = false;
  const counted = (stream: number, frame: number, due: number): void => {
    allPushes++;
    if (recording) pushes++;
    push(stream, frame, due);
  };
  const start = performance.now() + 20;
  const pacer = new Pacer(cfg.streams, start, cfg.warmupMs + cfg.measureMs, counted);
  // Switch recording on at the window's start (by timer: the pacer owns the loop).
  let cpu0 = process.cpuUsage();
  let t0 = 0;
  await new Promise<void>((r) => setTimeout(r, Math.max(0, start + cfg.warmupMs - performance.now())));
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  recording = true;
  setRecording(true);
  await pacer.done;
  const cpu = process.cpuUsage(cpu0);
  const windowMs = performance.now() - t0;
  recording = false;
  setRecording(false);
  return { windowMs, cpuUs: cpu.user + cpu.system, systemUs: cpu.system, pushes, allPushes };
}

/** The latency recorders every client keeps, sized for the measured window of all its streams. */
export function latencyRecorders(cfg: ClientConfig): { dueToSend: Recorder; callToSend: Recorder } {
  const capacity = Math.ceil((cfg.streams * (cfg.measureMs + 1000)) / 100) + 1024;
  return { dueToSend: new Recorder(capacity), callToSend: new Recorder(capacity) };
}

/** What a client measured, in its own terms; clientResult() derives the rest the same way for all. */
export interface Measurements {
  client: string;
  /** Streams that opened, and of those the ones still open after the window. */
  opened: number;
  alive: number;
  connectMs: number;
  win: { windowMs: number; cpuUs: number; systemUs: number; pushes: number; allPushes: number };
  dueToSend: Recorder;
  callToSend: Recorder;
  unattributedSends: number;
  unsent: number;
  memBefore: { heap: number; rss: number };
  memAfter: { heap: number; rss: number };
  maxBufferedAmount: number;
  transcripts: { partial: number; final: number };
  errors: string[];
}

/** The result line's content: per-stream and per-stream-second figures from a client's measurements. */
export function clientResult(cfg: ClientConfig, m: Measurements): ClientResult {
  const { win } = m;
  const streamSeconds = (win.pushes * FRAME_MS) / 1000;
  return {
    client: m.client,
    streams: cfg.streams,
    opened: Math.min(m.opened, m.alive),
    connectMs: Math.round(m.connectMs),
    windowMs: Math.round(win.windowMs),
    streamSeconds,
    allStreamSeconds: win.allPushes / 10,
    cpuUs: win.cpuUs,
    systemUs: win.systemUs,
    cpuMsPerStreamSecond: win.cpuUs / 1000 / streamSeconds,
    coreShare: win.cpuUs / 1000 / win.windowMs,
    dueToSend: m.dueToSend.summary(),
    callToSend: m.callToSend.summary(),
    unattributedSends: m.unattributedSends,
    unsent: m.unsent,
    heapPerStreamBytes: Math.round((m.memAfter.heap - m.memBefore.heap) / cfg.streams),
    rssPerStreamBytes: Math.round((m.memAfter.rss - m.memBefore.rss) / cfg.streams),
    maxBufferedAmount: m.maxBufferedAmount,
    transcripts: m.transcripts,
    errors: m.errors,
  };
}

/** A hard stop so a wedged client can never outlive its run. */
export function watchdog(ms: number): void {
  setTimeout(() => {
    process.stderr.write(`scale client: watchdog after ${ms} ms\n`);
    process.exit(3);
  }, ms).unref();
}
