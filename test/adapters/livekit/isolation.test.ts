// transcribe-stream/livekit stays in its corner: no other entry's import graph reaches it or
// @livekit/*, and importing it without its optional peers fails with one error naming them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('../../..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  bin: Record<string, string>;
};

/** Every file an exports entry can resolve to, under any condition. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return value.endsWith('.js') ? [value] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

/** Static imports, re-exports, side-effect imports and import('literal') in esbuild's output. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

/** Files reached from `entry` through relative imports, and the bare specifiers they import. */
function graph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const todo = [resolve(root, entry)];
  while (todo.length) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (spec!.startsWith('.')) todo.push(resolve(dirname(file), spec!));
      else bare.add(spec!);
    }
  }
  return { files, bare };
}

const livekitDir = join(root, 'dist/adapters/livekit');

test('no entry but ./livekit reaches adapters/livekit or @livekit/* (static or dynamic import, or by name)', () => {
  const entries = [
    ...Object.entries(pkg.exports)
      .filter(([key]) => key !== './livekit')
      .flatMap(([, v]) => targets(v)),
    ...Object.values(pkg.bin),
  ];
  assert.ok(entries.length >= 10, `${entries.length} entries`);
  let files = 0;
  for (const entry of new Set(entries)) {
    const g = graph(entry);
    files += g.files.size;
    const leaks = [...g.bare].filter((s) => s.startsWith('@livekit/'));
    assert.equal(leaks, [], `${entry} imports ${leaks.join(', ')}`);
    for (const file of g.files) {
      assert.not.ok(file.startsWith(livekitDir), `${entry} reaches ${relative(root, file)}`);
      // Also catches a computed import('@livekit/…') the specifier scan cannot see.
      assert.not.ok(
        readFileSync(file, 'utf8').includes('@livekit/'),
        `${relative(root, file)} (from ${entry}) mentions @livekit/`,
      );
    }
  }
  assert.ok(files > 50, `${files} files walked`);
});

test('the scan is not vacuous: the ./livekit entry does reach @livekit/agents', () => {
  assert.equal(targets(pkg.exports['./livekit']), ['./dist/adapters/livekit/index.js']);
  const g = graph('dist/adapters/livekit/index.js');
  assert.ok(g.bare.has('@livekit/agents'), [...g.bare].join(', '));
});

/** Runs the built entry from a copy of dist/ in a fresh folder, with `modules` as its node_modules. */
function importWithout(modules: Record<string, Record<string, string>>): {
  name?: string;
  code?: string;
  missing?: string[];
  message?: string;
  loaded?: boolean;
} {
  const dir = mkdtempSync(join(tmpdir(), 'transcribe-stream-livekit-'));
  try {
    // An ancestor's node_modules would let the copy find the real peers.
    for (let d = dir; d !== dirname(d); d = dirname(d))
      assert.not.ok(existsSync(join(d, 'node_modules')), `${d}/node_modules exists`);
    cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "name": "transcribe-stream", "version": "0.0.0", "type": "module" }\n');
    for (const [name, files] of Object.entries(modules)) {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, 'node_modules', name, file)), { recursive: true });
        writeFileSync(join(dir, 'node_modules', name, file), text);
      }
    }
    writeFileSync(
      join(dir, 'probe.mjs'),
      `import('./dist/adapters/livekit/index.js').then(
        () => console.log(JSON.stringify({ loaded: true })),
        (e) => console.log(JSON.stringify({ name: e.name, code: e.code, missing: e.missing, message: e.message })),
      );\n`,
    );
    const r = spawnSync(process.execPath, ['probe.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fakePackage = (name: string, body: string): Record<string, string> => ({
  'package.json': JSON.stringify({ name, version: '1.9.0', type: 'module', exports: './index.js' }),
  'index.js': body,
});

test('without the peers: one PeerDependencyError naming both and the install command', () => {
  const r = importWithout({});
  assert.is(r.name, 'PeerDependencyError');
  assert.is(r.code, 'MISSING_PEER_DEPENDENCY');
  assert.equal(r.missing, ['@livekit/agents', '@livekit/rtc-node']);
  assert.match(r.message!, 'npm install @livekit/agents @livekit/rtc-node');
});

test('with @livekit/agents but not the @livekit/rtc-node it needs: the error names rtc-node', () => {
  const r = importWithout({ '@livekit/agents': fakePackage('@livekit/agents', "import '@livekit/rtc-node';\n") });
  assert.is(r.code, 'MISSING_PEER_DEPENDENCY');
  assert.equal(r.missing, ['@livekit/rtc-node']);
  assert.match(r.message!, 'not found: @livekit/rtc-node.');
});

test('peers present but failing to load (e.g. no native binary for the platform): PEER_LOAD_FAILED, cause', () => {
  const r = importWithout({
    '@livekit/agents': fakePackage('@livekit/agents', "import '@livekit/rtc-node';\n"),
    '@livekit/rtc-node': fakePackage('@livekit/rtc-node', "throw new Error('no binary for this platform');\n"),
  });
  assert.is(r.code, 'PEER_LOAD_FAILED');
  assert.equal(r.missing, []);
  assert.match(r.message!, 'could not load @livekit/agents: no binary for this platform');
});

test.run();
