// Node side of the runtime matrix: the emulator (loopback), the 48 kHz stereo WAV fixture in a temp
// dir, the control server the scenario talks to (see scenario.ts), the runtime launchers and the
// checks every row makes on what came back.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { initDsp, PcmPipeline } from '../../dist/dsp/index.js';
import { speechLikePcm, startEmulator } from '../../dist/emulator/index.js';
import type { Emulator, EmulatorOptions, ScriptEntry } from '../../dist/emulator/index.js';
import { concatBytes, firstDifference } from '../helpers/bytes.ts';
import { receivedStreams, timelineAudio } from '../helpers/timeline.ts';
import type { ScenarioReport } from './scenario.ts';
import { parseWav, wavFile } from './wav.ts';

export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN: string = join(ROOT, 'node_modules', '.bin');

/** What the scripted recognizer says, utterance by utterance, across the two streams. */
export const SCRIPT: readonly string[] = ['hello there', 'how are you today', 'goodbye for now'];
/** The fixture: three utterances with room for a drop in the pause after the first. */
export const SEGMENTS = [
  { silenceMs: 300 },
  { speechMs: 900 },
  { silenceMs: 1500 },
  { speechMs: 1200 },
  { silenceMs: 1200 },
  { speechMs: 1000 },
  { silenceMs: 700 },
] as const;
export const WAV_RATE = 48000;
export const WAV_CHANNELS = 2;

export interface Matrix {
  emu: Emulator;
  dir: string;
  wavPath: string;
  wav: Uint8Array;
  control: string;
  /** The scenario's report and produced bytes, once it posted both. */
  outcome(timeoutMs: number): Promise<{ report: ScenarioReport; produced: Uint8Array }>;
  /** Extra routes (the browser page, its bundle); return true when handled. */
  route(fn: (req: IncomingMessage, res: ServerResponse, body: Uint8Array) => boolean | Promise<boolean>): void;
  log: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** The emulator answers SCRIPT across streams: a new stream goes on where the dropped one stopped. */
function continuingScript(): NonNullable<EmulatorOptions['script']> {
  // The scenario drops the first stream right after its first final: the second one says the rest.
  let streams = 0;
  return (): readonly ScriptEntry[] => SCRIPT.slice(streams++ === 0 ? 0 : 1);
}

export async function startMatrix(o: { sessionToken?: string } = {}): Promise<Matrix> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-matrix-'));
  const pcm = speechLikePcm(SEGMENTS, { sampleRate: WAV_RATE, channels: WAV_CHANNELS });
  const wav = wavFile(pcm, WAV_RATE, WAV_CHANNELS);
  const wavPath = join(dir, 'speech-48k-stereo.wav');
  writeFileSync(wavPath, wav);
  const emu = await startEmulator({
    script: continuingScript(),
    ...(o.sessionToken
      ? {
          credentials: {
            accessKeyId: 'AKIDMATRIXTEST',
            secretAccessKey: 'matrix-secret-key',
            sessionToken: o.sessionToken,
          },
        }
      : {}),
  });
  const log: string[] = [];
  const routes: ((req: IncomingMessage, res: ServerResponse, body: Uint8Array) => boolean | Promise<boolean>)[] = [];
  let report: ScenarioReport | undefined;
  let produced: Uint8Array | undefined;
  let settle: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cache-Control', 'no-store');
      try {
        if (req.method === 'GET' && url.pathname === '/audio.wav') {
          res.writeHead(200, { 'Content-Type': 'audio/wav' }).end(wav);
        } else if (req.method === 'POST' && url.pathname === '/drop') {
          // ?next=1: as the next frame arrives (a live microphone never pauses); ?bytes=N: once the
          // stream holds N bytes (a file runtime that stopped pushing until the drop).
          if (url.searchParams.has('next')) emu.fault({ type: 'drop', afterFrames: 1 });
          else await dropWhenReceived(emu, Number(url.searchParams.get('bytes')));
          res.writeHead(200).end('dropped');
        } else if (req.method === 'POST' && url.pathname === '/produced') {
          produced = body;
          res.writeHead(200).end('ok');
        } else if (req.method === 'POST' && url.pathname === '/result') {
          report = JSON.parse(Buffer.from(body).toString('utf8')) as ScenarioReport;
          res.writeHead(200).end('ok');
          if (produced) settle?.();
        } else if (req.method === 'POST' && url.pathname === '/log') {
          log.push(Buffer.from(body).toString('utf8'));
          res.writeHead(200).end('ok');
        } else {
          for (const r of routes) if (await r(req, res, body)) return;
          res.writeHead(404).end('not found');
        }
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    emu,
    dir,
    wavPath,
    wav,
    control: `http://127.0.0.1:${port}`,
    log,
    route: (fn) => routes.push(fn),
    async outcome(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no scenario result within ${timeoutMs} ms; log: ${log.join(' | ')}`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([done, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return { report: report!, produced: produced! };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops the open stream once it holds `bytes` audio bytes (everything the client had sent). */
async function dropWhenReceived(emu: Emulator, bytes: number): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const s = emu.sessions[emu.sessions.length - 1];
    if (s && s.closeCode === undefined && s.audio.length >= bytes) break;
    if (Date.now() > until) throw new Error(`the stream never reached ${bytes} bytes (has ${s?.audio.length ?? 0})`);
    await new Promise((r) => setTimeout(r, 2));
  }
  emu.fault({ type: 'drop' });
}

/** What Node's own DSP produces for the fixture pushed in the scenario's 20 ms chunks. */
export function referencePcm(backend: 'wasm-simd' | 'js'): Uint8Array {
  const { samples, sampleRate, channels } = parseWav(
    wavFile(speechLikePcm(SEGMENTS, { sampleRate: WAV_RATE, channels: WAV_CHANNELS }), WAV_RATE, WAV_CHANNELS),
  );
  if (backend === 'js') initDsp({ backend: 'js' });
  try {
    const p = new PcmPipeline({ from: sampleRate, to: 16000, channels: channels as 1 | 2 });
    const parts: Uint8Array[] = [];
    const frame = (sampleRate / 50) * channels;
    for (let at = 0; at < samples.length; at += frame) parts.push(p.process(samples.subarray(at, at + frame)).slice());
    parts.push(p.flush().slice());
    return concatBytes(parts);
  } finally {
    initDsp({ backend: 'auto' });
  }
}

/** Mono 16 kHz on the wire. */
const WIRE_BPS = 32_000;

/** Which 100 ms wire frames differ, and where a differing received frame's audio was produced. */
function frameDiagnosis(received: Uint8Array, produced: Uint8Array, frameBytes = 3200): string {
  const key = (b: Uint8Array, i: number): string =>
    Buffer.from(b.subarray(i * frameBytes, (i + 1) * frameBytes)).toString('base64');
  const producedAt = new Map<string, number>();
  for (let i = 0; i * frameBytes < produced.length; i++)
    if (!producedAt.has(key(produced, i))) producedAt.set(key(produced, i), i);
  const bad: string[] = [];
  for (let i = 0; i * frameBytes < Math.max(received.length, produced.length); i++) {
    if (key(received, i) === key(produced, i)) continue;
    const from = producedAt.get(key(received, i));
    bad.push(from === undefined ? `${i}` : `${i}(=produced ${from})`);
  }
  return (
    `differing ${frameBytes}-byte frames: ` +
    `${bad.slice(0, 20).join(', ')}${bad.length > 20 ? ` … ${bad.length} in all` : ''}`
  );
}

const words = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .trim();

/**
 * The row's verdict: the scripted finals in order, one drop survived by one reconnect, both
 * streams closed as expected, and not one byte of produced audio missing, added or reordered.
 */
export function checkOutcome(
  m: Matrix,
  { report, produced }: { report: ScenarioReport; produced: Uint8Array },
  o: {
    backend?: string;
    reference?: Uint8Array;
    backlog?: boolean;
    /** 'hidden': the runtime cannot see a refused upgrade's HTTP status (browsers); the row checks it itself. */
    refused?: 'hidden';
  } = {},
): void {
  assert.is(report.error, undefined, `scenario failed inside ${report.runtime}: ${report.error}`);
  assert.equal(report.finals.map(words), [...SCRIPT], 'the scripted finals, in order, across the drop');
  assert.ok(report.interims >= 2, `interim transcripts: ${report.interims}`);
  assert.equal(
    report.errors.filter((e) => e.fatal),
    [],
    'no fatal error',
  );
  // The drop (1006, reconnecting), then the clean end at stop() (1000).
  assert.equal(report.disconnects, [
    { code: 1006, willReconnect: true },
    { code: 1000, willReconnect: false },
  ]);
  assert.is(report.connects, 2, 'one reconnect');
  assert.is(report.reconnects, 1);
  assert.is(report.state, 'stopped');
  assert.is(report.droppedSeconds, 0, 'no audio dropped from the backlog');
  if (o.backlog !== false)
    assert.ok(report.bufferedSeconds > 0, 'audio pushed during the outage went through the backlog');
  if (o.backend) assert.is(report.backend, o.backend, 'DSP backend');
  if (o.refused !== 'hidden') {
    // A wrong secret: one fatal AUTH_FAILED carrying the HTTP status, no retry loop.
    assert.equal(
      report.extra.refused,
      { state: 'failed', errors: ['AUTH_FAILED fatal'], status: 403, rejected: 'AUTH_FAILED' },
      'a refused handshake is told apart',
    );
  }
  const sessions = m.emu.sessions;
  assert.is(sessions.length, 2, 'two streams: the dropped one and its replacement');
  assert.is(sessions[0]!.closeCode, 1006, 'the first stream was dropped');
  assert.is(sessions[1]!.closeCode, 1000, 'the second stream ended cleanly');
  // The second stream first heard again what the first carried and no final covered.
  const received = timelineAudio(receivedStreams(sessions, report.replayed, WIRE_BPS));
  const at = firstDifference(received, produced);
  assert.is(
    at,
    -1,
    `emulator received ${received.length} bytes, the service produced ${produced.length}; first difference at byte ` +
      `${at}; ${frameDiagnosis(received, produced)}`,
  );
  if (o.reference) {
    const ref = firstDifference(produced, o.reference);
    assert.is(
      ref,
      -1,
      `produced ${produced.length} bytes vs Node's DSP ${o.reference.length}; first difference at byte ${ref}`,
    );
  }
}

export interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a runtime binary to completion (bounded), collecting its output. */
export function run(
  cmd: string,
  args: readonly string[],
  o: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A runtime binary from node_modules/.bin, or undefined (with the reason) when it is not installed. */
export function binary(name: string): string | undefined {
  const path = join(BIN, name);
  return existsSync(path) ? path : undefined;
}

// uvu prints its progress dots without a newline: start on a fresh line so the runner sees the prefix.
export function note(line: string): void {
  console.log(`\nnote: ${line}`);
}

export function skip(line: string): void {
  console.log(`\nskip: ${line}`);
}

export function writeTemp(m: Matrix, name: string, contents: string | Uint8Array): string {
  const path = join(m.dir, name);
  writeFileSync(path, contents);
  return path;
}
