// Scale client, the official one: N StartStreamTranscription commands on one
// TranscribeStreamingClient over @aws-sdk/middleware-websocket's WebSocketFetchHandler (Node 22's
// global WebSocket), pointed at the emulator as test/emulator-peer.test.ts does (protocol.md §5.3).
// It is given 16 kHz Int16 already (it cannot resample), in 100 ms chunks, through the async
// iterable its API takes. mode 'signed' is the Node default (every message in a signed envelope),
// 'plain' the browser build's pass-through (bare AudioEvents, like ours).
// Sends are seen by a WebSocket subclass installed as the global (the handler calls
// `new WebSocket(url)` at connect time); each send is matched to its chunk in order, per stream.
//   node --expose-gc bench/scale/client-sdk.ts '<json config>'   (spawned by bench/scale.bench.ts)
import { randomUUID } from 'node:crypto';
import { StartStreamTranscriptionCommand } from '@aws-sdk/client-transcribe-streaming';
import type { AudioStream, TranscriptResultStream } from '@aws-sdk/client-transcribe-streaming';
import {
  clientResult,
  latencyRecorders,
  openAll,
  printResult,
  readConfig,
  settledMemory,
  speechInt16Bytes,
  streamWindow,
  watchdog,
} from './common.ts';
import { sdkClientForEmulator } from './sdk-to-emulator.ts';

const cfg = readConfig();
watchdog(cfg.warmupMs + cfg.measureMs + 120_000);
const signed = cfg.mode !== 'plain';
const CHUNK_BYTES = 3200; // 100 ms of 16 kHz Int16
const pcm = speechInt16Bytes(16000);
const chunks = Math.floor(pcm.length / CHUNK_BYTES);
const { dueToSend, callToSend } = latencyRecorders(cfg);
const errors: string[] = [];
let recording = false;
let maxBuffered = 0;
let partial = 0;
let final = 0;
let unattributed = 0;

/** Per stream, the chunks handed over and not yet seen on the socket (a ring: no allocation). */
const RING = 64;
const ringDue = new Float64Array(cfg.streams * RING);
const ringCall = new Float64Array(cfg.streams * RING);
const ringRec = new Uint8Array(cfg.streams * RING);
const head = new Int32Array(cfg.streams);
const tail = new Int32Array(cfg.streams);

function sent(stream: number, bytes: number): void {
  const now = performance.now();
  if (bytes === 0 || head[stream] === tail[stream]) {
    if (recording) unattributed++;
    return;
  }
  const at = stream * RING + (head[stream]! % RING);
  head[stream]!++;
  if (ringRec[at]) {
    dueToSend.add(now - ringDue[at]!);
    callToSend.add(now - ringCall[at]!);
  }
}

const sessionStream = new Map<string, number>();
const socketOpened = new Map<number, () => void>();
const NativeWebSocket = globalThis.WebSocket;
class TimedWebSocket extends NativeWebSocket {
  readonly stream: number;
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    const id = /[?&]session-id=([0-9a-f-]+)/.exec(String(url))?.[1];
    this.stream = id === undefined ? -1 : (sessionStream.get(id) ?? -1);
    const onOpen = socketOpened.get(this.stream);
    if (onOpen) this.addEventListener('open', onOpen, { once: true });
  }
  override send(data: string | Blob | BufferSource): void {
    super.send(data);
    if (this.stream >= 0)
      sent(this.stream, typeof data === 'string' ? data.length : (data as ArrayBufferView).byteLength);
    if (this.bufferedAmount > maxBuffered) maxBuffered = this.bufferedAmount;
  }
}
(globalThis as { WebSocket: typeof WebSocket }).WebSocket = TimedWebSocket;

/** The push side of the SDK's pull API: one slot per stream plus a waiting reader. */
class ChunkQueue {
  items: Uint8Array[] = [];
  waiting: ((c: Uint8Array | undefined) => void) | undefined;
  ended = false;
  push(c: Uint8Array): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w(c);
    } else this.items.push(c);
  }
  next(): Promise<Uint8Array | undefined> | Uint8Array | undefined {
    if (this.items.length) return this.items.shift();
    if (this.ended) return undefined;
    return new Promise((r) => (this.waiting = r));
  }
  end(): void {
    this.ended = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.(undefined);
  }
}

async function* audioStream(q: ChunkQueue): AsyncGenerator<AudioStream> {
  for (;;) {
    const c = await q.next();
    if (!c) return;
    yield { AudioEvent: { AudioChunk: c } };
  }
}

const client = sdkClientForEmulator({
  port: cfg.port,
  credentials: cfg.credentials,
  signed,
  connectionTimeout: 10_000,
});

// The shared client is set up once: only what each stream adds counts per stream.
const memBefore = settledMemory();
const queues: ChunkQueue[] = [];
let alive = 0;
const t0 = performance.now();
// The command resolves only once the service has answered, and it answers once audio flows: a
// stream counts as connected when its socket opens (the handler starts sending from then on).
const opened = await openAll(cfg.streams, cfg.connectConcurrency, (i) => {
  const q = new ChunkQueue();
  queues[i] = q;
  const sessionId = randomUUID();
  return new Promise<boolean>((resolve) => {
    sessionStream.set(sessionId, i);
    socketOpened.set(i, () => resolve(true));
    client
      .send(
        new StartStreamTranscriptionCommand({
          LanguageCode: 'en-US',
          MediaEncoding: 'pcm',
          MediaSampleRateHertz: 16000,
          SessionId: sessionId,
          AudioStream: audioStream(q),
        }),
      )
      .then(async (response) => {
        alive++;
        try {
          for await (const event of response.TranscriptResultStream as AsyncIterable<TranscriptResultStream>) {
            for (const r of event.TranscriptEvent?.Transcript?.Results ?? []) {
              if (r.IsPartial) partial++;
              else final++;
            }
          }
        } finally {
          alive--;
        }
      })
      .catch((err: unknown) => {
        if (errors.length < 5 && !q.ended) errors.push(String((err as Error).message ?? err));
        resolve(false);
      });
  });
});
const connectMs = performance.now() - t0;

const win = await streamWindow(
  cfg,
  (stream, frame, due) => {
    const k = (stream * 7 + frame) % chunks;
    const at = stream * RING + (tail[stream]! % RING);
    tail[stream]!++;
    ringDue[at] = due;
    ringCall[at] = performance.now();
    ringRec[at] = recording ? 1 : 0;
    queues[stream]!.push(pcm.subarray(k * CHUNK_BYTES, (k + 1) * CHUNK_BYTES));
  },
  (on) => (recording = on),
);
// Chunks handed over in the window but not yet on the socket (its pipeline is asynchronous).
let unsent = 0;
for (let s = 0; s < cfg.streams; s++) {
  for (let j = head[s]!; j < tail[s]!; j++) if (ringRec[s * RING + (j % RING)]) unsent++;
}
const memAfter = settledMemory();

printResult(
  clientResult(cfg, {
    client: `sdk-${signed ? 'signed' : 'plain'}`,
    opened,
    alive,
    connectMs,
    win,
    dueToSend,
    callToSend,
    unattributedSends: unattributed,
    unsent,
    memBefore,
    memAfter,
    maxBufferedAmount: maxBuffered,
    transcripts: { partial, final },
    errors,
  }),
);
for (const q of queues) q?.end();
setTimeout(() => process.exit(0), 200);
