// Scale client, ours: N AWSTranscribeSTTService instances (the Node adapter: global WebSocket,
// zlib CRC, WASM resampler) fed 48 kHz Float32 mono in 100 ms chunks, in real time. The socket
// factory is wrapped to see each send: a frame sent while pushAudio runs is timed against that
// push (the service sends synchronously once a frame is complete).
//   node --expose-gc bench/scale/client-ours.ts '<json config>'   (spawned by bench/scale.bench.ts)
import { AWSTranscribeSTTService, webSocketFactory } from '../../dist/adapters/node.js';
import { PcmPipeline } from '../../dist/dsp/index.js';
import type { SocketFactory, TranscribeSocket, WebSocketConstructorLike } from '../../dist/adapters/node.js';
import {
  clientResult,
  latencyRecorders,
  openAll,
  printResult,
  readConfig,
  settledMemory,
  speechFloat32,
  speechInt16Bytes,
  streamWindow,
  watchdog,
} from './common.ts';

const cfg = readConfig();
watchdog(cfg.warmupMs + cfg.measureMs + 120_000);
// mode 'int16-16k': the official client's input (16 kHz Int16, nothing to resample), for the
// library's own cost beside the SDK's; otherwise the target's 48 kHz Float32.
const int16 = cfg.mode === 'int16-16k';
const RATE = int16 ? 16000 : 48000;
const CHUNK = (RATE / 1000) * 100;
const audio: Float32Array | Int16Array = int16 ? int16Samples(speechInt16Bytes(RATE)) : speechFloat32(RATE);
const chunks = Math.floor(audio.length / CHUNK);
const { dueToSend, callToSend } = latencyRecorders(cfg);
const errors: string[] = [];
let recording = false;
let unattributed = 0;
let maxBuffered = 0;
let partial = 0;
let final = 0;

// The push in progress (pushAudio is synchronous, so at most one).
let pushStream = -1;
let pushDue = 0;
let pushCall = 0;
let pushSent = false;

const base: SocketFactory = webSocketFactory(
  (globalThis as unknown as { WebSocket: WebSocketConstructorLike }).WebSocket,
);
function timedFactory(stream: number): SocketFactory {
  return (url, events) => {
    const s: TranscribeSocket = base(url, events);
    return {
      send(data: Uint8Array) {
        const r = s.send(data);
        const now = performance.now();
        if (pushStream === stream) {
          if (recording) {
            dueToSend.add(now - pushDue);
            callToSend.add(now - pushCall);
          }
          pushSent = true;
        } else if (recording) {
          unattributed++;
        }
        const b = s.bufferedAmount;
        if (b > maxBuffered) maxBuffered = b;
        return r;
      },
      close: (code?: number, reason?: string) => s.close(code, reason),
      get bufferedAmount() {
        return s.bufferedAmount;
      },
    } as TranscribeSocket;
  };
}

// Instantiate the DSP module once first: only what each stream adds counts per stream.
function int16Samples(b: Uint8Array): Int16Array {
  return new Int16Array(b.buffer, b.byteOffset, b.byteLength / 2);
}

const warm = new PcmPipeline({ from: RATE, to: 16000, channels: 1 });
warm.process(audio.subarray(0, CHUNK));
warm.dispose();
const memBefore = settledMemory();
const services: AWSTranscribeSTTService[] = [];
for (let i = 0; i < cfg.streams; i++) {
  const stt = new AWSTranscribeSTTService(
    {
      endpoint: cfg.endpoint,
      awsAccessKeyId: cfg.credentials.accessKeyId,
      apiKey: cfg.credentials.secretAccessKey,
      region: 'us-east-1',
      logger: {},
      stopTimeoutMs: 1000,
    },
    { socketFactory: timedFactory(i) },
  );
  stt.on('interimTranscription', () => void partial++);
  stt.on('transcription', () => void final++);
  stt.on('error', (f) => {
    if (errors.length < 5) errors.push(String(f.error.message));
  });
  services.push(stt);
}

const t0 = performance.now();
const opened = await openAll(cfg.streams, cfg.connectConcurrency, async (i) => {
  await services[i]!.start({ sampleRate: RATE });
  return services[i]!.state === 'running';
});
const connectMs = performance.now() - t0;

let unsent = 0;
const offsets = services.map((_, i) => (i * 7) % chunks);
const win = await streamWindow(
  cfg,
  (stream, frame, due) => {
    const k = (offsets[stream]! + frame) % chunks;
    pushStream = stream;
    pushDue = due;
    pushCall = performance.now();
    pushSent = false;
    services[stream]!.pushAudio(audio.subarray(k * CHUNK, (k + 1) * CHUNK));
    // Resampler delay moves the frame boundary inside the chunk: every push completes one frame.
    if (recording && !pushSent) unsent++;
    pushStream = -1;
  },
  (on) => (recording = on),
);
const memAfter = settledMemory();
const alive = services.filter((s) => s.state === 'running').length;

printResult(
  clientResult(cfg, {
    client: int16 ? 'ours-int16-16k' : 'ours',
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
for (const s of services) s.cancel();
setTimeout(() => process.exit(0), 200);
