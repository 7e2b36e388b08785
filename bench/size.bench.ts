// Size, side by side with @aws-sdk/client-transcribe-streaming in one run. KB and MB are 1000 and
// 1,000,000 bytes throughout (the README and test/size.test.ts use the same).
//   1. Install size: packages, files and the bytes of those files, as `npm install` leaves them.
//      Ours: `npm pack --dry-run` of this checkout (no dependencies; `npm run bench` builds dist/ as
//      prepack does, without source maps). Official: installed alone into a temp folder
//      (`npm install --ignore-scripts --prefer-offline` of the version in devDependencies), every
//      file under its node_modules counted once; where that install fails (no registry, or a smoke
//      run), its closure walked through this checkout's node_modules instead, and the row says so.
//      Bytes of files, not `du`: du --apparent-size also counts each directory (4 KB apiece on ext4).
//   2. Bundle size: esbuild --bundle --minify --format=esm, then gzip -9, each entry using the API
//      so tree-shaking cannot drop it: ours through the package's exports map in the browser
//      (service + DSP) and on Node (the adapter), ours' protocol core alone; the official client
//      bundled the same way for the browser and Node (its default HTTP/2 and its
//      WebSocketFetchHandler), and the build-your-own core from SDK parts (@smithy/signature-v4 +
//      @smithy/eventstream-codec). OURS (below) is the one definition test/size.test.ts holds the line on.
// Sizes are deterministic: one measurement each, no rounds.
// Usage: node bench/size.bench.ts [--smoke]   (after `node build.mjs`; --smoke skips the official client's install)
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    largest: all
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3)
      .map((p) => ({ name: p.name, bytes: p.bytes })),
  };
}

/** npm as the running `npm run` found it (npm_execpath), else the one on PATH. */
function npm(args: string[], cwd: string, timeout: number): SpawnSyncReturns<string> {
  const cli = process.env.npm_execpath;
  const o = { cwd, encoding: 'utf8' as const, timeout };
  if (cli && /\.[cm]?js$/.test(cli)) return spawnSync(process.execPath, [cli, ...args], o);
  return spawnSync('npm', args, { ...o, shell: process.platform === 'win32' });
}

/** Every package folder under a node_modules (scoped and nested ones included). */
function installedPackages(nodeModules: string): { name: string; dir: string }[] {
  const out: { name: string; dir: string }[] = [];
  if (!existsSync(nodeModules)) return out;
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const dir = join(nodeModules, name);
    if (name.startsWith('@')) {
      for (const sub of readdirSync(dir)) {
        out.push({ name: `${name}/${sub}`, dir: join(dir, sub) }, ...installedPackages(join(dir, sub, 'node_modules')));
      }
    } else {
      out.push({ name, dir }, ...installedPackages(join(dir, 'node_modules')));
    }
  }
  return out.filter((p) => existsSync(join(p.dir, 'package.json')));
}

/** `npm install name@version` alone in a temp folder: what a user's install of it adds. */
function standaloneInstall(name: string, version: string): Closure | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'transcribe-stream-size-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    const r = npm(
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--prefer-offline',
        '--loglevel=error',
        `${name}@${version}`,
      ],
      dir,
      180_000,
    );
    if (r.status !== 0)
      return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop() ?? '' };
    const all = installedPackages(join(dir, 'node_modules')).map((p) => ({ name: p.name, ...dirBytes(p.dir) }));
    return {
      packages: all.length,
      bytes: all.reduce((n, p) => n + p.bytes, 0),
      files: all.reduce((n, p) => n + p.files, 0),
      missing: [],
      largest: all
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 3)
        .map((p) => ({ name: p.name, bytes: p.bytes })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PackResult {
  name: string;
  version: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
}

function npmPack(): PackResult | undefined {
  const r = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root, 60_000);
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
export async function bundle(
  contents: string,
  platform: 'browser' | 'node' | 'neutral',
  partPattern?: RegExp,
): Promise<Bundle> {
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
  const part = partPattern
    ? inputs.reduce((n, [input, info]) => n + (partPattern.test(input) ? info.bytesInOutput : 0), 0)
    : 0;
  const top = inputs
    .map(([k, v]): [string, number] => [
      k.replace(/^(\.\.\/)*|^.*node_modules\//, '').replace(/^dist\//, ''),
      v.bytesInOutput,
    ])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  return { min: out.length, gzip: gzipSync(out, { level: 9 }).length, part, top };
}

/**
 * Ours, as an app imports the package (by name, so the exports map picks the adapter for the
 * platform). test/size.test.ts measures these same entries.
 */
export const OURS = {
  browser: {
    what: 'browser: service + DSP (Wasm resampler embedded) + WebSocket',
    platform: 'browser',
    contents: `import { AWSTranscribeSTTService } from 'transcribe-stream';
export const stt = new AWSTranscribeSTTService({
  credentials: async () => ({ accessKeyId: 'k', secretAccessKey: 's' }),
});
stt.start({ sampleRate: 48000 }).then(() => stt.pushAudio(new Float32Array(960), { channels: 2 }));`,
  },
  node: {
    what: 'Node: the adapter (service + DSP + zlib CRC + handshake probe)',
    platform: 'node',
    contents: `import { AWSTranscribeSTTService } from 'transcribe-stream';
export const stt = new AWSTranscribeSTTService({ region: 'us-east-1' });
stt.start({ sampleRate: 48000 }).then(() => stt.pushAudio(new Float32Array(960), { channels: 2 }));`,
  },
  webPresigned: {
    what: 'browser, URL-only: service + DSP + WebSocket, URLs from your backend (no SigV4)',
    platform: 'browser',
    contents: `import { AWSTranscribeSTTService, presignedUrlProvider } from 'transcribe-stream/web-presigned';
export const stt = new AWSTranscribeSTTService({ url: presignedUrlProvider('/transcribe-url') });
stt.start({ sampleRate: 48000 }).then(() => stt.pushAudio(new Float32Array(960), { channels: 2 }));`,
  },
  core: {
    what: 'protocol core: presign, Transcribe URL (validated), event-stream codec, AudioEvent, parser',
    platform: 'browser',
    contents: `export {
  presignUrl, transcribeUrl, encodeMessage, decodeMessage, MessageDecoder, audioEvent, endOfStream, parseServerMessage,
} from 'transcribe-stream/core';`,
  },
} as const satisfies Record<string, { what: string; platform: 'browser' | 'node' | 'neutral'; contents: string }>;

/** The signing code (SigV4, SHA-256, the signed Transcribe URL): the URL-only bundle's `part` must be 0. */
export const SIGNER = /core\/sigv4\/(sigv4|sha256)\.|core\/transcribe\/url\./;

/** Our four bundles, measured as the bench and the size test both report them. */
export async function measureOurs(): Promise<{ browser: Bundle; node: Bundle; webPresigned: Bundle; core: Bundle }> {
  const wasm = /wasm-bytes|\.wasm/;
  const [browser, node, webPresigned, core] = await Promise.all([
    bundle(OURS.browser.contents, OURS.browser.platform, wasm),
    bundle(OURS.node.contents, OURS.node.platform, wasm),
    bundle(OURS.webPresigned.contents, OURS.webPresigned.platform, SIGNER),
    bundle(OURS.core.contents, OURS.core.platform),
  ]);
  return { browser, node, webPresigned, core };
}

const OFFICIAL_ENTRY = (
  ws: boolean,
): string => `import { TranscribeStreamingClient, StartStreamTranscriptionCommand } from '${OFFICIAL}';
${ws ? "import { WebSocketFetchHandler } from '@aws-sdk/middleware-websocket';" : ''}
const client = new TranscribeStreamingClient({
  region: 'us-east-1',${ws ? '\n  requestHandler: new WebSocketFetchHandler(),' : ''}
});
async function* audio() { yield { AudioEvent: { AudioChunk: new Uint8Array(3200) } }; }
export const res = await client.send(
  new StartStreamTranscriptionCommand({
    LanguageCode: 'en-US', MediaEncoding: 'pcm', MediaSampleRateHertz: 16000, AudioStream: audio(),
  }),
);`;

const SMITHY_CORE = `import { SignatureV4 } from '@smithy/signature-v4';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
const signer = new SignatureV4({
  service: 'transcribe', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const codec = new EventStreamCodec(toUtf8, fromUtf8);
export const out = [
  await signer.presign({
    method: 'GET', protocol: 'wss:', hostname: 'h', path: '/', query: {}, headers: { host: 'h' },
  }),
  codec.encode({ headers: {}, body: new Uint8Array(3200) }), codec.decode(new Uint8Array(16))];`;

// ---------------------------------------------------------------- the bench

const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`;
const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;
const times = (peer: number, ours: number): string =>
  peer >= ours ? `${(peer / ours).toFixed(1)}x smaller` : `${(ours / peer).toFixed(1)}x larger`;

export async function run(opts: { smoke: boolean }): Promise<BenchTable[]> {
  const tables: BenchTable[] = [];
  const ownPkg = readJson<PackageJson>(join(root, 'package.json'));

  // 1. Install size.
  const pack = npmPack();
  const ownDeps = Object.keys({ ...ownPkg.dependencies, ...ownPkg.optionalDependencies });
  const officialDir = resolvePackage(OFFICIAL, root);
  if (!officialDir) throw new Error(`${OFFICIAL} is not installed (a devDependency): run npm install`);
  const officialVersion = readJson<PackageJson>(join(officialDir, 'package.json')).version;
  const installed = opts.smoke ? { error: 'smoke run' } : standaloneInstall(OFFICIAL, officialVersion);
  const official = 'error' in installed ? closure(officialDir) : installed;
  const how =
    'error' in installed
      ? `its closure walked through this checkout's node_modules (installing it alone failed: ${installed.error})`
      : 'installed alone into a temp folder';
  const ourBytes = pack?.unpackedSize ?? dirBytes(join(root, 'dist')).bytes;
  const ourFiles = pack?.entryCount ?? dirBytes(join(root, 'dist')).files;
  tables.push({
    title: 'Install size: what `npm install` adds',
    columns: ['package', 'packages', 'files', 'bytes of files', 'tarball bytes', 'vs official'],
    rows: [
      [
        `transcribe-stream ${ownPkg.version}${pack ? '' : ' (dist/, npm pack failed)'}`,
        1 + ownDeps.length,
        ourFiles,
        ourBytes,
        pack ? pack.size : 'n/a',
        `${times(official.bytes, ourBytes)}, ${official.packages - 1 - ownDeps.length} fewer packages`,
      ],
      [
        `${OFFICIAL} ${officialVersion}${'error' in installed ? ' (closure in this checkout)' : ''}`,
        official.packages,
        official.files,
        official.bytes,
        'n/a',
        '1.0x (peer)',
      ],
    ],
    notes: [
      `Ours: npm pack --dry-run of this checkout, ${mb(ourBytes)} (files: dist without source maps, README.md, ` +
        `LICENSE; ${ownDeps.length} dependencies; ` +
        '@aws-sdk/credential-providers is an optional peer, only for the Node default chain, and ws one for the ' +
        'emulator).',
      `Official: ${how}, ${mb(official.bytes)}; largest: ` +
        `${official.largest.map((p) => `${p.name} ${mb(p.bytes)}`).join(', ')}.` +
        (official.missing.length ? ` Not installed here: ${official.missing.join(', ')}.` : ''),
      'Bytes of the files themselves (KB = 1000 B, MB = 1,000,000 B); disk usage adds blocks and directories on top.',
    ],
  });

  // 2. Bundle sizes.
  const [ours, offBrowser, offNode, offNodeWs, smithyCore] = await Promise.all([
    measureOurs(),
    bundle(OFFICIAL_ENTRY(false), 'browser'),
    bundle(OFFICIAL_ENTRY(false), 'node'),
    bundle(OFFICIAL_ENTRY(true), 'node'),
    bundle(SMITHY_CORE, 'browser'),
  ]);
  const { browser: oursBrowser, node: oursNode, webPresigned: oursUrlOnly, core: oursCore } = ours;
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
      row(OURS.browser.what, oursBrowser, `${OFFICIAL}, browser build (WebSocket)`, offBrowser),
      row(OURS.webPresigned.what, oursUrlOnly, `${OFFICIAL}, browser build (WebSocket)`, offBrowser),
      row(OURS.node.what, oursNode, `${OFFICIAL}, Node build (HTTP/2)`, offNode),
      row('Node: the adapter', oursNode, `${OFFICIAL}, Node + WebSocketFetchHandler`, offNodeWs),
      row(
        OURS.core.what,
        oursCore,
        '@smithy/signature-v4 + @smithy/eventstream-codec + sha256-js (signer and codec only)',
        smithyCore,
      ),
    ],
    notes: [
      `Ours are bundled through the package's exports map (browser and node conditions). Of ours' browser bundle, ` +
        `${kb(oursBrowser.part)} minified is the embedded DSP WebAssembly (base64), ` +
        `the rest ${kb(oursBrowser.min - oursBrowser.part)}; the official client does no resampling at all.`,
      `URL-only (transcribe-stream/web-presigned): the page holds no credentials and its bundle no signing code ` +
        `(${oursUrlOnly.part} B of SigV4/SHA-256); ` +
        `${kb(oursBrowser.gzip - oursUrlOnly.gzip)} gzip smaller than the browser entry with both ways to connect.`,
      'Protocol core: ours also validates every StartStreamTranscription option, knows the 99 streaming language ' +
        "codes and parses Transcribe's events and exceptions; the SDK-parts entry only signs and frames.",
      'Each entry constructs the client and sends (or starts) a stream, so tree-shaking keeps what a real app keeps. ' +
        'The official Node bundles include the default credential chain they pull in; ours loads its optional peer ' +
        'at run time only (kept external).',
      `esbuild target es2022; node ` +
        `${process.version}${opts.smoke ? '; smoke run (sizes are the same as a full run)' : ''}.`,
    ],
  });
  return tables;
}

await runIfMain(import.meta.url, run);
