// `npm run bench`: runs every bench/*.bench.ts (each exports run({ smoke }) -> tables), prints one
// markdown section per area, adds the physical limits measured in this same run (memcpy bandwidth
// via TypedArray.set, native CRC-32, native SHA-256) beside our figures, and writes
// bench/results.json (machine, runtime and peer versions, date, commit, every table). A full run
// then regenerates the README's comparison table (bench/readme-table.mjs).
//   node bench/run.mjs [--smoke] [--only=<area>[,<area>]] [--out=<file>] [--no-readme]
// --smoke: tiny sizes (CI); it writes no results file unless --out is given.
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { cell, findRow, num, updateReadme } from './readme-table.mjs';
import { median } from './stats.ts';
import { markdown } from './table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const outArg = args.find((a) => a.startsWith('--out='))?.slice(6);
const out = outArg ?? (smoke ? undefined : join(root, 'bench', 'results.json'));

// Cheap, well-understood areas first; the long scale run last.
const ORDER = ['eventstream', 'presign', 'dsp', 'size', 'scale'];
export function benchFiles(dir = join(root, 'bench')) {
  const names = readdirSync(dir).filter((n) => n.endsWith('.bench.ts'));
  const area = (n) => n.slice(0, -'.bench.ts'.length);
  const rank = (n) => (ORDER.includes(area(n)) ? ORDER.indexOf(area(n)) : ORDER.length);
  return names
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((n) => ({ area: area(n), path: join(dir, n) }));
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function git(...a) {
  try {
    return execFileSync('git', a, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- physical limits, measured here

// Every measured call's result goes in here, so the engine cannot drop the call as unused; nothing reads it.
// biome-ignore lint/correctness/noUnusedVariables: written, never read, on purpose (above)
let sink = 0;
/** Operations per second of `fn`, median of `rounds` slices of `ms` each (after a warm-up). */
function rate(fn, rounds, ms) {
  const slice = () => {
    const start = performance.now();
    let ops = 0;
    let now = start;
    do {
      for (let i = 0; i < 64; i++) sink ^= fn();
      ops += 64;
      now = performance.now();
    } while (now - start < ms);
    return ops / ((now - start) / 1000);
  };
  slice();
  return median(Array.from({ length: rounds }, slice));
}

/**
 * The least work each hot path must do on this machine, timed with native code only:
 * - memcpy: TypedArray.set of a 100 ms chunk (what any encoder must at least move);
 * - AudioEvent encode: copy the 3200-byte payload into a frame + one native CRC-32 pass over the frame;
 * - decode: one native CRC-32 pass over the frame (bodies are views, so nothing is copied);
 * - presign: node:crypto SHA-256 of a canonical request the size of ours + one HMAC of the
 *   string to sign (the signing key cached, as in the first presign table).
 */
function measureLimits() {
  const rounds = smoke ? 3 : 9;
  const ms = smoke ? 10 : 150;
  const frame = new Uint8Array(3304);
  const pcm = new Uint8Array(3200).map((_, i) => (i * 7919) & 255);
  const big = new Float32Array(4800);
  const bigOut = new Float32Array(4800);
  const memcpy3200 = rate(
    () => {
      frame.set(pcm, 88);
      return frame[100];
    },
    rounds,
    ms,
  );
  const memcpy48k = rate(
    () => {
      bigOut.set(big);
      return bigOut.length;
    },
    rounds,
    ms,
  );
  const encode = rate(
    () => {
      frame.set(pcm, 100);
      return zlibCrc32(frame);
    },
    rounds,
    ms,
  );
  const crcFrame = rate(() => zlibCrc32(frame), rounds, ms);
  // A Transcribe canonical request (7 parameters, token, host:8443) is about 900 bytes; the string to sign about 160.
  const canonical =
    'GET\n/stream-transcription-websocket\n' +
    'X-Amz-Param=value&'.repeat(45) +
    '\nhost:transcribestreaming.us-east-1.amazonaws.com:8443\n\nhost\n' +
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const key = Buffer.alloc(32, 7);
  const presign = rate(
    () => {
      const h = createHash('sha256').update(canonical).digest('hex');
      return createHmac('sha256', key)
        .update(`AWS4-HMAC-SHA256\n20261125T000000Z\n20261125/us-east-1/transcribe/aws4_request\n${h}`)
        .digest()[0];
    },
    rounds,
    ms,
  );
  return {
    memcpy3200MBs: (memcpy3200 * 3200) / 1e6,
    memcpy48kMBs: (memcpy48k * 4800 * 4) / 1e6,
    memcpy48kUs: 1e6 / memcpy48k,
    encodeFramesPerSec: encode,
    crcFrameMBs: (crcFrame * 3304) / 1e6,
    decodeFramesPerSec: crcFrame,
    presignPerSec: presign,
    canonicalBytes: canonical.length,
  };
}

const fmt = (x) =>
  !Number.isFinite(x) ? 'n/a' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2);
const pct = (ours, limit) =>
  Number.isFinite(ours) && Number.isFinite(limit) ? `${Math.round((100 * ours) / limit)}%` : 'n/a';

/** One table: each limit beside our figure from the area tables of this run. */
function limitsTable(limits, areas) {
  const tables = (name) => areas.find((a) => a.area === name)?.tables ?? [];
  const es = tables('eventstream');
  const rows = [];
  const crcRow = findRow(es, /^CRC-32 of 3200/, /^ours crc32Table/);
  const nativeRow = findRow(es, /^CRC-32 of 3200/, /native/);
  const crcOurs = num(cell(crcRow, /MB\/s median/));
  const crcNative = num(cell(nativeRow, /MB\/s median/));
  rows.push([
    'CRC-32, 3200 B (table, for runtimes without a native one)',
    'node:zlib crc32 (native, same run)',
    `${fmt(crcNative)} MB/s`,
    `${fmt(crcOurs)} MB/s`,
    pct(crcOurs, crcNative),
  ]);
  const encRow = findRow(es, /^AudioEvent encode/, /encodeAudioEventInto.*native/);
  const encOurs = num(cell(encRow, /msgs\/s median/));
  rows.push([
    'AudioEvent encode, 3200 B payload (native CRC, reused buffer, as the service sends)',
    'TypedArray.set of the payload + one native CRC pass',
    `${fmt(limits.encodeFramesPerSec)} frames/s`,
    `${fmt(encOurs)} frames/s`,
    pct(encOurs, limits.encodeFramesPerSec),
  ]);
  const decRow = findRow(es, /^decode of/, /decodeMessage \(native/);
  const decOurs = num(cell(decRow, /msgs\/s median/));
  rows.push([
    'decode of the same frame (native CRC, body as a view)',
    'one native CRC pass over the frame',
    `${fmt(limits.decodeFramesPerSec)} frames/s`,
    `${fmt(decOurs)} frames/s`,
    pct(decOurs, limits.decodeFramesPerSec),
  ]);
  const pr = findRow(tables('presign'), /^Presign a Transcribe/, /^ours transcribeUrl \(/);
  const prOurs = num(cell(pr, /presigns\/s median/));
  rows.push([
    `presign (signing key cached; pure JS SHA-256 so it also runs in QuickJS)`,
    `node:crypto SHA-256 of a ${limits.canonicalBytes}-byte canonical request + 1 HMAC (OpenSSL)`,
    `${fmt(limits.presignPerSec)} /s`,
    `${fmt(prOurs)} /s`,
    pct(prOurs, limits.presignPerSec),
  ]);
  const dsp = findRow(tables('dsp'), /^Resampling 48000/, /high \(wasm/);
  const dspUsPerChunk = num(cell(dsp, /us per chunk/));
  rows.push([
    "resampling 48k -> 16k 'high', 20 ms chunk",
    'compute-bound (FIR); the only fixed cost is moving the input: TypedArray.set of 100 ms at 48 kHz Float32',
    `${fmt(limits.memcpy48kUs)} µs per 100 ms (${fmt(limits.memcpy48kMBs)} MB/s)`,
    `${fmt(dspUsPerChunk * 5)} µs per 100 ms`,
    Number.isFinite(dspUsPerChunk)
      ? `copy is ${((100 * limits.memcpy48kUs) / (dspUsPerChunk * 5)).toFixed(1)}% of it`
      : 'n/a',
  ]);
  const sc = tables('scale');
  const floorRow = findRow(sc, /^Scale: \d+ concurrent/, /^floor/);
  const oursRow = findRow(sc, /^Scale: \d+ concurrent/, /^ours \(/);
  const ours16 = findRow(sc, /^Scale: \d+ concurrent/, /same input/);
  const floorCpu = num(cell(floorRow, /CPU ms per stream-second/));
  rows.push([
    'scale: client CPU per stream-second, 16 kHz Int16 in',
    "floor: Node's WebSocket + loopback TCP with pre-encoded frames",
    `${fmt(floorCpu)} ms`,
    `${fmt(num(cell(ours16, /CPU ms per stream-second/)))} ms`,
    pct(floorCpu, num(cell(ours16, /CPU ms per stream-second/))),
  ]);
  rows.push([
    'scale: client CPU per stream-second, 48 kHz Float32 in (resampled)',
    'the same floor',
    `${fmt(floorCpu)} ms`,
    `${fmt(num(cell(oursRow, /CPU ms per stream-second/)))} ms`,
    pct(floorCpu, num(cell(oursRow, /CPU ms per stream-second/))),
  ]);
  return {
    title: 'Physical limits measured in this run, and how close we are',
    columns: [
      'hot path',
      'limit',
      'limit figure',
      'ours',
      'ours as % of the limit (speed) / limit as % of ours (cost)',
    ],
    rows,
    notes: [
      `memcpy bandwidth (TypedArray.set, same run): ${fmt(limits.memcpy3200MBs)} MB/s for a 3200-byte payload, ` +
        `${fmt(limits.memcpy48kMBs)} MB/s for 100 ms of 48 kHz Float32.`,
      'Throughput rows: ours / limit (100% = at the limit). Cost rows (µs, ms): the limit / ours. A figure missing ' +
        'from its area table shows n/a.',
    ],
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const startLoad = loadavg();
  const files = benchFiles().filter((f) => !only || only.includes(f.area));
  const areas = [];
  let failed = 0;
  for (const f of files) {
    const t0 = Date.now();
    process.stderr.write(`bench: ${f.area}${smoke ? ' (smoke)' : ''}...\n`);
    try {
      const mod = await import(pathToFileURL(f.path).href);
      const tables = await mod.run({ smoke });
      areas.push({ area: f.area, file: `bench/${f.area}.bench.ts`, durationMs: Date.now() - t0, tables });
      console.log(`\n## ${f.area}\n\n${tables.map((t) => markdown(t)).join('\n\n')}`);
    } catch (err) {
      failed++;
      areas.push({
        area: f.area,
        file: `bench/${f.area}.bench.ts`,
        durationMs: Date.now() - t0,
        tables: [],
        error: String(err?.stack ?? err),
      });
      console.log(`\n## ${f.area}\n\nFAILED: ${err?.message ?? err}`);
    }
    process.stderr.write(`bench: ${f.area} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  if (!only || only.includes('limits')) {
    const limits = limitsTable(measureLimits(), areas);
    areas.push({ area: 'limits', file: 'bench/run.mjs', durationMs: 0, tables: [limits] });
    console.log(`\n## limits\n\n${markdown(limits)}`);
  }
  const cpu = cpus();
  const results = {
    date: new Date().toISOString(),
    smoke,
    commit: git('rev-parse', 'HEAD'),
    dirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
    durationMs: Date.now() - started,
    machine: {
      cpu: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      memoryBytes: totalmem(),
      platform: `${platform()} ${release()} ${arch()}`,
      loadAverage: { start: startLoad.map((x) => +x.toFixed(2)), end: loadavg().map((x) => +x.toFixed(2)) },
    },
    runtime: {
      node: process.versions.node,
      v8: process.versions.v8,
      uv: process.versions.uv,
      openssl: process.versions.openssl,
      esbuild: version('esbuild'),
    },
    peers: Object.fromEntries(
      [
        '@aws-sdk/client-transcribe-streaming',
        '@aws-sdk/middleware-websocket',
        '@smithy/eventstream-codec',
        '@smithy/signature-v4',
        '@smithy/core',
        '@aws-crypto/crc32',
        '@aws-crypto/sha256-js',
        'aws4fetch',
        '@echogarden/speex-resampler-wasm',
        '@alexanderolsen/libsamplerate-js',
        'wave-resampler',
      ].map((p) => [p, version(p) ?? null]),
    ),
    areas,
  };
  if (out) {
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stderr.write(`bench: wrote ${out}\n`);
  }
  if (!smoke && !only && !args.includes('--no-readme') && out) {
    const readme = join(root, 'README.md');
    const status = existsSync(readme) ? updateReadme(readme, results) : 'no README.md';
    process.stderr.write(`bench: README table: ${status}\n`);
  }
  process.stderr.write(
    `bench: ${areas.length} areas in ${((Date.now() - started) / 1000).toFixed(0)} ` +
      `s${failed ? `, ${failed} FAILED` : ''}\n`,
  );
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
