// Size, side by side with @aws-sdk/client-transcribe-streaming in one run:
//   1. Install size: packages and bytes. Ours: what `npm pack --dry-run` would publish (no
//      dependencies). Official: its installed dependency closure, walked through node_modules
//      (dependencies and optional dependencies resolved as Node does, each package counted once,
//      apparent bytes of its files without nested node_modules).
//   2. Bundle size: esbuild --bundle --minify --format=esm, then gzip -9, each entry using the API
//      so tree-shaking cannot drop it: ours in the browser (service + DSP), ours on Node (the
//      adapter), ours' protocol core alone; the official client bundled the same way for the
//      browser and Node (its default HTTP/2 and its WebSocketFetchHandler), and the build-your-own
//      core from SDK parts (@smithy/signature-v4 + @smithy/eventstream-codec).
// Sizes are deterministic: one measurement each, no rounds.
// Usage: node bench/size.bench.ts [--smoke]   (after `node build.mjs`; --smoke changes nothing but the note)
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { runIfMain } from './table.ts';
import type { BenchTable } from './table.ts';

export type { BenchTable };

const root = fileURLToPath(new URL('..', import.meta.url));
const OFFICIAL = '@aws-sdk/client-transcribe-streaming';

// ---------------------------------------------------------------- install size

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Where Node would find `name` from a package at `from`: its node_modules, then each parent's. */
function resolvePackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Apparent bytes and file count of a package directory, nested node_modules excluded. */
function dirBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) {
      const sub = dirBytes(path);
      bytes += sub.bytes;
      files += sub.files;
    } else if (st.isFile()) {
      bytes += st.size;
      files++;
    }
  }
  return { bytes, files };
}

interface Closure {
  packages: number;
  bytes: number;
  files: number;
  missing: string[];
  largest: { name: string; bytes: number }[];
}

/** The installed dependency closure of the package at `dir`, itself included. */
function closure(dir: string): Closure {
  const seen = new Map<string, { name: string; bytes: number; files: number }>();
  const missing: string[] = [];
  const visit = (pkgDir: string): void => {
    if (seen.has(pkgDir)) return;
    const pkg = readJson<PackageJson>(join(pkgDir, 'package.json'));
    seen.set(pkgDir, { name: pkg.name, ...dirBytes(pkgDir) });
    const required = { ...pkg.dependencies, ...pkg.optionalDependencies };
    // npm 7+ installs non-optional peers too.
    for (const peer of Object.keys(pkg.peerDependencies ?? {})) {
      if (!pkg.peerDependenciesMeta?.[peer]?.optional) required[peer] = pkg.peerDependencies![peer]!;
    }
    for (const name of Object.keys(required)) {
      const at = resolvePackage(name, pkgDir);
      if (at) visit(at);
      else if (!pkg.optionalDependencies?.[name]) missing.push(`${name} (from ${pkg.name})`);
    }
  };
  visit(dir);
  const all = [...seen.values()];
  return {
    packages: all.length,
    bytes: all.reduce((n, p) => n + p.bytes, 0),
    files: all.reduce((n, p) => n + p.files, 0),
    missing,
    largest: all.sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((p) => ({ name: p.name, bytes: p.bytes })),
  };
}

interface PackResult {
  name: string;
  version: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
}

function npmPack(): PackResult | undefined {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return undefined;
  try {
    const start = r.stdout.indexOf('[');
    return (JSON.parse(r.stdout.slice(start)) as PackResult[])[0];
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- bundles

export interface Bundle {
  min: number;
  gzip: number;
  /** Minified bytes that came from inputs matching a pattern (e.g. the embedded Wasm). */
  part: number;
  /** The five largest inputs by minified bytes (dist/ and node_modules/ prefixes dropped). */
  top: [string, number][];
}

/**
 * One app entry bundled as an app would ship it (esbuild --bundle --minify --format=esm, es2022,
 * tree-shaken) and gzip -9'd. Also used by test/size.test.ts, which holds the line on these figures.
 */
export async function bundle(contents: string, platform: 'browser' | 'node' | 'neutral', partPattern?: RegExp): Promise<Bundle> {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'size-entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // The Node adapter imports the optional peer by a computed name only when no keys are given.
    external: ['@aws-sdk/credential-providers'],
  });
  const out = result.outputFiles[0]!.contents;
  const inputs = Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  const part = partPattern ? inputs.reduce((n, [input, info]) => n + (partPattern.test(input) ? info.bytesInOutput : 0), 0) : 0;
  const top = inputs
    .map(([k, v]): [string, number] => [k.replace(/^(\.\.\/)*|^.*node_modules\//, '').replace(/^dist\//, ''), v.bytesInOutput])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  return { min: out.length, gzip: gzipSync(out, { level: 9 }).length, part, top };
}

const dist = (p: string): string => JSON.stringify(join(root, 'dist', p));

/** Ours in the browser: the web adapter when it is built, else the same service wired by hand. */
function oursBrowserEntry(): { contents: string; what: string } {
  if (existsSync(join(root, 'dist/adapters/web.js'))) {
    return {
      what: 'dist/adapters/web.js (service + DSP + WebSocket)',
      contents: `import { AWSTranscribeSTTService } from ${dist('adapters/web.js')};
const stt = new AWSTranscribeSTTService({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
await stt.start({ sampleRate: 48000 });
stt.pushAudio(new Float32Array(4800));
export { stt };`,
    };
  }
  return {
    what: 'core service + dsp PcmPipeline + webSocketFactory (no web adapter built)',
    contents: `import { AWSTranscribeSTTService, webSocketFactory } from ${dist('core/index.js')};
import { PcmPipeline } from ${dist('dsp/index.js')};
const stt = new AWSTranscribeSTTService({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
  { socketFactory: webSocketFactory(WebSocket), createAudioPipeline: (o) => new PcmPipeline(o) });
await stt.start({ sampleRate: 48000 });
stt.pushAudio(new Float32Array(4800));
export { stt };`,
  };
}

const OURS_NODE = `import { AWSTranscribeSTTService } from ${dist('adapters/node.js')};
const stt = new AWSTranscribeSTTService({ region: 'us-east-1' });
await stt.start({ sampleRate: 48000 });
stt.pushAudio(new Float32Array(4800));
export { stt };`;

const OURS_CORE = `import { transcribeUrl, audioEvent, endOfStream, MessageDecoder, parseServerMessage } from ${dist('core/index.js')};
const url = transcribeUrl({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, languageCode: 'en-US', mediaEncoding: 'pcm', sampleRate: 16000 });
const d = new MessageDecoder();
export const out = [url, audioEvent(new Uint8Array(3200)), endOfStream(), d.push(new Uint8Array(0)).map(parseServerMessage)];`;

const OFFICIAL_ENTRY = (ws: boolean): string => `import { TranscribeStreamingClient, StartStreamTranscriptionCommand } from '${OFFICIAL}';
${ws ? "import { WebSocketFetchHandler } from '@aws-sdk/middleware-websocket';" : ''}
const client = new TranscribeStreamingClient({ region: 'us-east-1'${ws ? ', requestHandler: new WebSocketFetchHandler()' : ''} });
async function* audio() { yield { AudioEvent: { AudioChunk: new Uint8Array(3200) } }; }
export const res = await client.send(new StartStreamTranscriptionCommand({ LanguageCode: 'en-US', MediaEncoding: 'pcm', MediaSampleRateHertz: 16000, AudioStream: audio() }));`;

const SMITHY_CORE = `import { SignatureV4 } from '@smithy/signature-v4';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
const signer = new SignatureV4({ service: 'transcribe', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const codec = new EventStreamCodec(toUtf8, fromUtf8);
export const out = [await signer.presign({ method: 'GET', protocol: 'wss:', hostname: 'h', path: '/', query: {}, headers: { host: 'h' } }),
  codec.encode({ headers: {}, body: new Uint8Array(3200) }), codec.decode(new Uint8Array(16))];`;

// ---------------------------------------------------------------- the bench

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
const times = (peer: number, ours: number): string => (peer >= ours ? `${(peer / ours).toFixed(1)}x smaller` : `${(ours / peer).toFixed(1)}x larger`);

export async function run(opts: { smoke: boolean }): Promise<BenchTable[]> {
  const tables: BenchTable[] = [];
  const ownPkg = readJson<PackageJson>(join(root, 'package.json'));

  // 1. Install size.
  const pack = npmPack();
  const ownDeps = Object.keys({ ...ownPkg.dependencies, ...ownPkg.optionalDependencies });
  const officialDir = resolvePackage(OFFICIAL, root);
  if (!officialDir) throw new Error(`${OFFICIAL} is not installed (a devDependency): run npm install`);
  const official = closure(officialDir);
  const officialVersion = readJson<PackageJson>(join(officialDir, 'package.json')).version;
  const ourBytes = pack?.unpackedSize ?? dirBytes(join(root, 'dist')).bytes;
  const ourFiles = pack?.entryCount ?? dirBytes(join(root, 'dist')).files;
  tables.push({
    title: 'Install size: what `npm install` adds',
    columns: ['package', 'packages', 'files', 'bytes (apparent)', 'tarball', 'vs official'],
    rows: [
      [
        `transcribe-stream ${ownPkg.version}${pack ? '' : ' (dist/, npm pack failed)'}`,
        1 + ownDeps.length,
        ourFiles,
        mb(ourBytes),
        pack ? kb(pack.size) : 'n/a',
        `${times(official.bytes, ourBytes)}, ${official.packages - 1 - ownDeps.length} fewer packages`,
      ],
      [`${OFFICIAL} ${officialVersion} (its dependency closure)`, official.packages, official.files, mb(official.bytes), 'n/a', '1.0x (peer)'],
    ],
    notes: [
      `Ours: npm pack --dry-run of this checkout (files: dist, README.md; ${ownDeps.length} dependencies; @aws-sdk/credential-providers is an optional peer, only for the Node default chain). ` +
        `It counts everything dist/ holds at run time, source maps and declarations included.`,
      `Official: its installed closure walked through node_modules; largest: ${official.largest.map((p) => `${p.name} ${mb(p.bytes)}`).join(', ')}.` +
        (official.missing.length ? ` Not installed here: ${official.missing.join(', ')}.` : ''),
      'No physical limit applies; both figures are apparent bytes (du --apparent-size), not disk blocks.',
    ],
  });

  // 2. Bundle sizes.
  const browser = oursBrowserEntry();
  const wasm = /wasm-bytes|\.wasm/;
  const [oursBrowser, oursNode, oursCore, offBrowser, offNode, offNodeWs, smithyCore] = await Promise.all([
    bundle(browser.contents, 'browser', wasm),
    bundle(OURS_NODE, 'node', wasm),
    bundle(OURS_CORE, 'browser'),
    bundle(OFFICIAL_ENTRY(false), 'browser'),
    bundle(OFFICIAL_ENTRY(false), 'node'),
    bundle(OFFICIAL_ENTRY(true), 'node'),
    bundle(SMITHY_CORE, 'browser'),
  ]);
  const row = (name: string, b: Bundle, peerName: string, peer: Bundle): (string | number)[] => [
    name,
    b.min,
    b.gzip,
    peerName,
    peer.min,
    peer.gzip,
    times(peer.gzip, b.gzip),
  ];
  tables.push({
    title: 'Bundle size: esbuild --bundle --minify --format=esm, gzip -9 (bytes)',
    columns: ['ours', 'min', 'gzip', 'peer', 'min', 'gzip', 'gzip ratio'],
    rows: [
      row('browser: service + DSP (Wasm resampler embedded) + WebSocket', oursBrowser, `${OFFICIAL}, browser build (WebSocket)`, offBrowser),
      row('Node: the adapter (service + DSP + zlib CRC + handshake probe)', oursNode, `${OFFICIAL}, Node build (HTTP/2)`, offNode),
      row('Node: the adapter', oursNode, `${OFFICIAL}, Node + WebSocketFetchHandler`, offNodeWs),
      row('protocol core: Transcribe URL (validated, presigned) + AudioEvent + decoder + parser', oursCore, '@smithy/signature-v4 + @smithy/eventstream-codec + sha256-js (signer and codec only)', smithyCore),
    ],
    notes: [
      `Browser entry: ${browser.what}. Of ours' browser bundle, ${kb(oursBrowser.part)} minified is the embedded DSP WebAssembly (base64), ` +
        `the rest ${kb(oursBrowser.min - oursBrowser.part)}; the official client does no resampling at all.`,
      "Protocol core: ours also validates every StartStreamTranscription option, knows the 99 streaming language codes and parses Transcribe's events and exceptions; the SDK-parts entry only signs and frames.",
      'Each entry constructs the client and sends (or starts) a stream, so tree-shaking keeps what a real app keeps. The official Node bundles include the default credential chain they pull in; ours loads its optional peer at run time only (kept external).',
      `esbuild target es2022; node ${process.version}${opts.smoke ? '; smoke run (sizes are the same as a full run)' : ''}.`,
    ],
  });
  return tables;
}

await runIfMain(import.meta.url, run);
