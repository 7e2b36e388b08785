// Regenerates the README's comparison table from bench/results.json: one row per headline figure,
// ours beside the peer measured in the same run, and the ratio. Sizes in KB and MB of 1000 and
// 1,000,000 bytes, as bench/size.bench.ts and test/size.test.ts count them. Only the text between
// `<!-- bench:start -->` and `<!-- bench:end -->` is replaced, and only when both markers exist.
//   node bench/readme-table.mjs [results.json] [README.md] [--print]
// (bench/run.mjs calls updateReadme after a full run.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

/** The first row whose first cell matches `rowRe`, in the first table whose title matches `titleRe`. */
export function findRow(tables, titleRe, rowRe) {
  for (const t of tables ?? []) {
    if (!titleRe.test(t.title)) continue;
    const row = t.rows.find((r) => rowRe.test(String(r[0])));
    if (row) return { columns: t.columns, row, table: t };
  }
  return undefined;
}

/** The cell under the first column matching `colRe` (or at index `colRe` when a number). */
export function cell(found, colRe) {
  if (!found) return undefined;
  const i = typeof colRe === 'number' ? colRe : found.columns.findIndex((c) => colRe.test(c));
  return i >= 0 ? found.row[i] : undefined;
}

/** The first number in a table cell (thousands separators dropped), NaN if none. */
export const num = (s) =>
  typeof s === 'number'
    ? s
    : Number(
        String(s ?? '')
          .replace(/,/g, '')
          .match(/-?[\d.]+/)?.[0] ?? NaN,
      );
const fmt = (x, unit = '') =>
  !Number.isFinite(x)
    ? 'n/a'
    : `${x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2)}${unit}`;
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');

/** The headline rows: [area, measure, ours, peer, ratio]. */
export function summaryRows(results) {
  const t = (area) => results.areas?.find((a) => a.area === area)?.tables ?? [];
  const rows = [];

  // Frame encoding (the headline) and decoding, against the codec the official client uses.
  const es = t('eventstream');
  const enc = findRow(es, /^AudioEvent encode/, /encodeAudioEventInto.*native/);
  const encPeer = findRow(es, /^AudioEvent encode/, /^@smithy/);
  const encRatio = num(cell(enc, /^vs /));
  rows.push([
    'Frame encoding',
    'AudioEvent encode, 3200 B payload',
    fmt(num(cell(enc, /MB\/s median/)), ' MB/s'),
    `@smithy/eventstream-codec ${fmt(num(cell(encPeer, /MB\/s median/)), ' MB/s')}`,
    times(encRatio),
  ]);
  const dec = findRow(es, /^decode of/, /decodeMessage \(native/);
  const decPeer = findRow(es, /^decode of/, /^@smithy/);
  const decRatio = num(cell(dec, /^vs /));
  rows.push([
    'Frame decoding',
    'decode of the same frame',
    fmt(num(cell(dec, /MB\/s median/)), ' MB/s'),
    `@smithy/eventstream-codec ${fmt(num(cell(decPeer, /MB\/s median/)), ' MB/s')}`,
    times(decRatio),
  ]);
  const crc = findRow(es, /^CRC-32 of 3200/, /^ours crc32Table/);
  const crcNative = findRow(es, /^CRC-32 of 3200/, /native/);
  const crcAws = findRow(es, /^CRC-32 of 3200/, /^@aws-crypto/);
  const crcRatio = num(cell(crc, /^vs /));
  rows.push([
    'CRC-32',
    'pure-JS table CRC, 3200 B',
    fmt(num(cell(crc, /MB\/s median/)), ' MB/s'),
    `node:zlib native ${fmt(num(cell(crcNative, /MB\/s median/)), ' MB/s')}; @aws-crypto/crc32 ` +
      `${fmt(num(cell(crcAws, /MB\/s median/)), ' MB/s')}`,
    `${times(crcRatio)} of native; ${times(num(cell(crc, /MB\/s median/)) / num(cell(crcAws, /MB\/s median/)))} ` +
      `@aws-crypto`,
  ]);

  // Presign.
  const pr = t('presign');
  const ours = findRow(pr, /^Presign a Transcribe/, /^ours transcribeUrl \(/);
  const smithy = findRow(pr, /^Presign a Transcribe/, /sha256-js/);
  const smithyNode = findRow(pr, /^Presign a Transcribe/, /node:crypto/);
  const prRatio = num(cell(ours, /^vs /));
  rows.push([
    'Presign',
    'Transcribe URL, validate + build + sign',
    fmt(num(cell(ours, /presigns\/s median/)), '/s'),
    `@smithy/signature-v4 + sha256-js ${fmt(num(cell(smithy, /presigns\/s median/)), '/s')} (with node:crypto ` +
      `${fmt(num(cell(smithyNode, /presigns\/s median/)), '/s')})`,
    times(prRatio),
  ]);

  // DSP.
  const dsp = t('dsp');
  const rs = findRow(dsp, /^Resampling 48000/, /high \(wasm/);
  const speex = findRow(dsp, /^Resampling 48000/, /speex.*q10/);
  const rsRatio = num(cell(rs, /^vs /));
  rows.push([
    'Resampling',
    "48 kHz -> 16 kHz, 'high', 20 ms chunks",
    `${fmt(num(cell(rs, /x realtime/)))}x realtime, ${fmt(num(cell(rs, /rejection/)))} dB alias rejection`,
    `speex SIMD q10 ${fmt(num(cell(speex, /x realtime/)))}x realtime, ${fmt(num(cell(speex, /rejection/)))} dB alias ` +
      `rejection`,
    times(rsRatio),
  ]);
  const conv = findRow(dsp, /^Float32 -> Int16, 100 ms chunks \(1600/, /^floatToInt16/);
  const js = findRow(dsp, /^Float32 -> Int16, 100 ms chunks \(1600/, /magic/);
  const convRatio = num(cell(conv, /^vs /));
  rows.push([
    'Float -> Int16',
    '100 ms chunks',
    fmt(num(cell(conv, /M samples/)), ' M samples/s'),
    `best plain-JS loop ${fmt(num(cell(js, /M samples/)), ' M samples/s')}`,
    times(convRatio),
  ]);

  // Size. Install bytes are plain numbers since the bench counts files (not du); an older results
  // file has text there, in other units, and gets n/a rather than a converted guess.
  const size = t('size');
  const own = findRow(size, /^Install size/, /^transcribe-stream/);
  const off = findRow(size, /^Install size/, /client-transcribe-streaming/);
  const ownBytes = cell(own, /^bytes of files/);
  const offBytes = cell(off, /^bytes of files/);
  if (typeof ownBytes === 'number' && typeof offBytes === 'number') {
    const pkgs = (f) =>
      `${cell(f, /^packages/)} package${cell(f, /^packages/) === 1 ? '' : 's'}, ` +
      `${Number(cell(f, /^files/)).toLocaleString('en-US')} files`;
    rows.push([
      'Install size',
      'what npm install adds (bytes of files)',
      `${(ownBytes / 1e6).toFixed(2)} MB: ${pkgs(own)}`,
      `official client ${(offBytes / 1e6).toFixed(2)} MB: ${pkgs(off)}`,
      `${times(offBytes / ownBytes)} smaller`,
    ]);
  } else {
    rows.push(['Install size', 'what npm install adds (bytes of files)', 'n/a: rerun `npm run bench`', 'n/a', 'n/a']);
  }
  for (const [label, re] of [
    ['Bundle, browser', /^browser/],
    ['Bundle, Node', /^Node: the adapter \(/],
  ]) {
    const b = findRow(size, /^Bundle size/, re);
    rows.push([
      label,
      'esbuild minified, gzip -9',
      fmt(num(cell(b, 2)) / 1000, ' KB'),
      `${String(cell(b, 3) ?? 'n/a').replace('@aws-sdk/client-transcribe-streaming', 'official')} ` +
        `${fmt(num(cell(b, 5)) / 1000, ' KB')}`,
      `${times(num(cell(b, 5)) / num(cell(b, 2)))} smaller`,
    ]);
  }

  // Scale.
  const sc = t('scale');
  const so = findRow(sc, /^Scale: \d+ concurrent/, /^ours \(/);
  const ss = findRow(sc, /^Scale: \d+ concurrent/, /signed/);
  const sf = findRow(sc, /^Scale: \d+ concurrent/, /^floor/);
  const scRatio = num(cell(so, /official \(signed\) CPU/));
  const n = /^Scale: (\d+)/.exec(so?.table.title ?? '')?.[1] ?? '?';
  rows.push([
    'Scale: CPU',
    `client CPU per stream-second at N = ${n} (ours 48 kHz Float32 in, official 16 kHz Int16)`,
    fmt(num(cell(so, /CPU ms per stream-second/)), ' ms'),
    `official (Node default) ${fmt(num(cell(ss, /CPU ms per stream-second/)), ' ms')}; transport floor ` +
      `${fmt(num(cell(sf, /CPU ms per stream-second/)), ' ms')}`,
    `${times(scRatio)} lower`,
  ]);
  const steps = sc.find((x) => /^Scale: concurrent real-time streams on one core/.test(x.title));
  const maxN = (col) => Math.max(0, ...(steps?.rows ?? []).filter((r) => r[col] === 'yes').map((r) => num(r[0])));
  const oursN = steps ? maxN(steps.columns.findIndex((c) => /^ours: p99/.test(c))) : NaN;
  const offN = steps ? maxN(steps.columns.findIndex((c) => /^official: p99/.test(c))) : NaN;
  // When the bare transport itself misses the latency criterion, the machine's jitter decides the
  // count, not the clients: the row says so instead of printing a count.
  const floorP99 = Number(/\/\s*([\d.]+)/.exec(cell(sf, /push -> send p50 \/ p99/) ?? '')?.[1]);
  const noisy = floorP99 >= 20;
  rows.push([
    'Scale: streams',
    'concurrent real-time streams on one core, p99 push -> send < 20 ms',
    noisy ? 'not measurable on this run' : fmt(oursN),
    noisy
      ? `the transport floor (bare WebSocket) itself had p99 ${floorP99} ms at N = ${n}; ours ` +
        `${cell(so, /push -> send p50 \/ p99/)} ms, official (Node default) ` +
        `${cell(ss, /push -> send p50 \/ p99/)} ms (p50 / p99)`
      : `official (Node default) ${fmt(offN)}`,
    noisy ? 'n/a' : times(oursN / offN),
  ]);
  return rows;
}

export function renderTable(results) {
  const m = results.machine ?? {};
  const lines = [
    '| Area | Measure | transcribe-stream | Peer, same run | Ratio |',
    '| --- | --- | --- | --- | --- |',
    ...summaryRows(results).map((r) => `| ${r.join(' | ')} |`),
    '',
    `_Generated by \`node bench/readme-table.mjs\` from bench/results.json: ${results.date?.slice(0, 10) ?? '?'}, ` +
      `${m.cpu ?? '?'} (${m.cores ?? '?'} cores, ` +
      `${m.memoryBytes ? Math.round(m.memoryBytes / 2 ** 30) : '?'} GB), Node ${results.runtime?.node ?? '?'}, load ` +
      `average ${m.loadAverage?.start?.[0] ?? '?'} at the start` +
      `${results.smoke ? ', SMOKE RUN' : ''}. Medians of paired runs; KB = 1000 B, MB = 1,000,000 B; full tables ` +
      `with min/max: \`npm run bench\`._`,
  ];
  return lines.join('\n');
}

/** Replaces the text between the markers; returns what happened. */
export function updateReadme(readmePath, results) {
  const text = readFileSync(readmePath, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < 0) return `markers ${START} / ${END} not found: README left unchanged`;
  if (b < a) return 'markers out of order: README left unchanged';
  const next = `${text.slice(0, a + START.length)}\n${renderTable(results)}\n${text.slice(b)}`;
  if (next === text) return 'unchanged';
  writeFileSync(readmePath, next);
  return 'updated';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const results = JSON.parse(readFileSync(files[0] ?? join(root, 'bench', 'results.json'), 'utf8'));
  if (process.argv.includes('--print')) console.log(renderTable(results));
  else console.log(updateReadme(files[1] ?? join(root, 'README.md'), results));
}
