// Scale client, the floor: N bare WebSockets (Node's global one, as the other clients use) sending
// AudioEvent frames that were encoded before the run, at the same real-time cadence, and dropping
// whatever comes back undecoded. No resampling, no framing, no encoding, no decoding: what any
// client on this runtime pays just to put 100 ms frames on N sockets. The limit the others approach.
//   node --expose-gc bench/scale/client-floor.ts '<json config>'   (spawned by bench/scale.bench.ts)
import { audioEvent, transcribeUrl } from '../../dist/core/index.js';
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

const cfg = readConfig();
watchdog(cfg.warmupMs + cfg.measureMs + 120_000);
const CHUNK_BYTES = 3200; // 100 ms of 16 kHz Int16
const pcm = speechInt16Bytes(16000);
const frames: Uint8Array<ArrayBuffer>[] = [];
for (let at = 0; at + CHUNK_BYTES <= pcm.length; at += CHUNK_BYTES)
  frames.push(audioEvent(pcm.subarray(at, at + CHUNK_BYTES)) as Uint8Array<ArrayBuffer>);
const { dueToSend, callToSend } = latencyRecorders(cfg);
const errors: string[] = [];
let recording = false;
let maxBuffered = 0;
let received = 0;

const memBefore = settledMemory();
const sockets: WebSocket[] = [];
const t0 = performance.now();
const opened = await openAll(cfg.streams, cfg.connectConcurrency, (i) => {
  const url = transcribeUrl({
    endpoint: cfg.endpoint,
    region: 'us-east-1',
    credentials: cfg.credentials,
    languageCode: 'en-US',
    mediaEncoding: 'pcm',
    sampleRate: 16000,
  });
  return new Promise<boolean>((resolve) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => resolve(true);
    ws.onerror = (e) => {
      if (errors.length < 5) errors.push(String((e as ErrorEvent).message ?? 'socket error'));
      resolve(false);
    };
    ws.onmessage = () => void received++;
    sockets[i] = ws;
  });
});
const connectMs = performance.now() - t0;

const win = await streamWindow(
  cfg,
  (stream, frame, due) => {
    const call = performance.now();
    const ws = sockets[stream]!;
    ws.send(frames[(stream * 7 + frame) % frames.length]!);
    const now = performance.now();
    if (recording) {
      dueToSend.add(now - due);
      callToSend.add(now - call);
    }
    if (ws.bufferedAmount > maxBuffered) maxBuffered = ws.bufferedAmount;
  },
  (on) => (recording = on),
);
const memAfter = settledMemory();
const alive = sockets.filter((s) => s && s.readyState === WebSocket.OPEN).length;

printResult(
  clientResult(cfg, {
    client: 'floor',
    opened,
    alive,
    connectMs,
    win,
    dueToSend,
    callToSend,
    unattributedSends: 0,
    unsent: 0,
    memBefore,
    memAfter,
    maxBufferedAmount: maxBuffered,
    transcripts: { partial: received, final: 0 },
    errors,
  }),
);
for (const s of sockets) s?.close(1000);
setTimeout(() => process.exit(0), 200);
