// The layers of ARCHITECTURE.md, enforced on the sources: no import climbs a layer, none forms a
// cycle (type imports and re-exports count), and each part reaches the others only where it may.
//   core:  errors + encoding  <  sigv4, eventstream  <  transcribe  <  service  <  index
//   dsp:   imports nothing outside dsp/
//   adapters: core and dsp through their public index only (and each other)
//   cli:   the Node adapter and the emulator's public entries only (an application of the package)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinRegExp } from '../helpers/regexp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PARTS = ['core', 'dsp', 'adapters', 'cli', 'emulator'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) {
      if (path !== join('dsp', 'assembly') && name !== 'build' && name !== 'sample') out.push(...sources(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every module specifier a file names: imports, `import type`, re-exports, dynamic imports (comments left out). */
function specifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const re = joinRegExp(
    /(?:^|[^\w.])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
    /|import\(\s*['"]([^'"]+)['"]\s*\)/,
  );
  for (let m = re.exec(text); m; m = re.exec(text)) out.push((m[1] ?? m[2])!);
  return out;
}

const files = PARTS.flatMap(sources).sort();
/** file -> the project files it imports (resolved, as .ts paths). */
const graph = new Map<string, string[]>();
/** file -> the bare specifiers it imports (node:*, packages). */
const external = new Map<string, string[]>();
for (const f of files) {
  const deps: string[] = [];
  const ext: string[] = [];
  for (const s of specifiers(readFileSync(join(root, f), 'utf8'))) {
    if (!s.startsWith('.')) ext.push(s);
    else deps.push(normalize(join(dirname(f), s)).replace(/\.js$/, '.ts'));
  }
  graph.set(f, deps);
  external.set(f, ext);
}

test('the scan sees the layers (a parser that found nothing would pass everything)', () => {
  assert.ok(files.length > 100, `${files.length} files`);
  assert.ok(graph.get('core/service/service.ts')!.includes('core/service/streams/router.ts'));
  assert.ok(graph.get('core/transcribe/url.ts')!.includes('core/sigv4/sigv4.ts'));
  assert.ok(
    graph.get('core/index.ts')!.some((d) => d.startsWith('core/eventstream/')),
    'export … from is an import',
  );
  assert.ok(graph.get('cli/main.ts')!.includes('emulator/index.ts'), 'a dynamic import is an import');
  for (const deps of graph.values())
    for (const d of deps) if (!d.endsWith('.wasm')) assert.ok(graph.has(d), `${d} is a scanned file`);
});

/** Layer of a core file; the folders of one layer may not import each other. */
function coreLayer(f: string): [number, string] {
  const [, folder] = f.split('/');
  if (f === 'core/errors.ts' || folder === 'encoding') return [0, 'encoding'];
  if (folder === 'sigv4' || folder === 'eventstream') return [1, folder];
  if (folder === 'transcribe') return [2, folder];
  if (folder === 'service') return [3, folder];
  if (f === 'core/index.ts') return [4, 'index'];
  throw new Error(`${f}: a core file outside the layer folders`);
}

test('core: no import climbs a layer, and the folders of one layer stay apart', () => {
  const bad: string[] = [];
  for (const f of files.filter((x) => x.startsWith('core/'))) {
    const [layer, folder] = coreLayer(f);
    for (const d of graph.get(f)!) {
      if (!d.startsWith('core/')) {
        bad.push(`${f} imports ${d}, outside core/`);
        continue;
      }
      const [l, dFolder] = coreLayer(d);
      if (l > layer) bad.push(`${f} (layer ${layer}) imports ${d} (layer ${l})`);
      else if (l === layer && dFolder !== folder) bad.push(`${f} imports ${d}: ${folder} and ${dFolder} are one layer`);
    }
    for (const e of external.get(f)!) bad.push(`${f} imports ${e}: core imports nothing of a runtime or a package`);
  }
  assert.equal(bad, []);
});

test('dsp imports nothing outside dsp/; adapters reach core and dsp through their public index only', () => {
  const bad: string[] = [];
  for (const f of files) {
    for (const d of graph.get(f)!) {
      if (f.startsWith('dsp/') && !d.startsWith('dsp/')) bad.push(`${f} imports ${d}`);
      if (
        f.startsWith('adapters/') &&
        (d.startsWith('core/') || d.startsWith('dsp/')) &&
        !['core/index.ts', 'dsp/index.ts', 'dsp/dsp.wasm'].includes(d)
      ) {
        bad.push(`${f} imports ${d}, not a public index`);
      }
      if (!f.startsWith('cli/') && d.startsWith('cli/')) bad.push(`${f} imports the command line (${d})`);
    }
    if (f.startsWith('dsp/')) for (const e of external.get(f)!) bad.push(`${f} imports ${e}`);
  }
  assert.equal(bad, []);
});

test('the command line is an application: only the Node adapter and the emulator entry, never their insides', () => {
  const bad: string[] = [];
  for (const f of files.filter((x) => x.startsWith('cli/'))) {
    for (const d of graph.get(f)!)
      if (!d.startsWith('cli/') && d !== 'adapters/node.ts' && d !== 'emulator/index.ts') bad.push(`${f} imports ${d}`);
  }
  assert.equal(bad, []);
});

test('no import cycle, type imports included', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open')
        cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative('.', x)).join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.equal(cycles, []);
});

test('core uses no runtime global but timers and URL (a bare ES2022 engine runs it; adapters inject the rest)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'transcribe-stream-core-globals-'));
  try {
    // The only host globals core may name: the timers (a default where no runtime injects its own)
    // and URL (used where the host has it; QuickJS runs the presigner without).
    writeFileSync(
      join(dir, 'allowed-globals.d.ts'),
      'declare function setTimeout(fn: () => void, ms: number): unknown;\n' +
        'declare function clearTimeout(handle: unknown): void;\n' +
        'declare var globalThis: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };\n' +
        'declare class URL { constructor(url: string | URL, base?: string | URL); readonly host: string; readonly ' +
        'hostname: string; readonly port: string; readonly protocol: string; readonly pathname: string; readonly ' +
        'search: string; readonly href: string; toString(): string; }\n',
    );
    const config = {
      extends: join(root, 'tsconfig.json'),
      compilerOptions: {
        lib: ['es2022'],
        types: [],
        noEmit: true,
        declaration: false,
        emitDeclarationOnly: false,
        isolatedDeclarations: false,
        rootDir: root,
      },
      include: [join(root, 'core/**/*.ts'), join(dir, 'allowed-globals.d.ts')],
      exclude: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const r = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.is(r.status, 0, `core names a global it may not: ${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no source file over 400 lines', () => {
  const long = files
    .map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length] as const)
    .filter(([, n]) => n > 400);
  assert.equal(long, []);
});

test.run();
