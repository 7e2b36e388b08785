// The README's TypeScript snippets compile against the built package, with the repo's strict
// settings: every ```ts block is written to a temp dir and checked by tsc, grouped by runtime
// (`<!-- check: deno -->` before a block; node when unmarked), with `transcribe-stream` resolved,
// through `paths`, to the adapter the exports map gives that runtime (`livekit`: a Node app that
// also imports `transcribe-stream/livekit` and the real `@livekit/agents`). Also: the README documents
// every service option and every command-line flag, and keeps the two commands and bench markers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USAGE } from '../dist/adapters/cli/usage.js';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');

const ADAPTER = { node: 'node', deno: 'deno', bun: 'bun', web: 'web', workers: 'workers', livekit: 'node' } as const;
type Runtime = keyof typeof ADAPTER;

/**
 * The runtime globals a snippet may use, as far as the snippets use them (these runtimes' own
 * typings are not dev dependencies): Deno's stdin, Bun's stdin, Workers' WebSocketPair.
 */
const GLOBALS: Record<Runtime, string> = {
  node: '',
  livekit: '',
  web: '',
  deno: 'declare const Deno: { stdin: { readable: AsyncIterable<Uint8Array> } };\n',
  bun: 'declare const Bun: { stdin: { stream(): AsyncIterable<Uint8Array> } };\n',
  workers:
    'declare class WebSocketPair { 0: WebSocket; 1: WebSocket; }\n' +
    'interface WebSocket { accept(): void }\n' +
    'interface ResponseInit { webSocket?: WebSocket | null }\n',
};

interface Snippet {
  runtime: Runtime;
  line: number;
  code: string;
}

function snippets(text: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const marker = /<!--\s*check:\s*(\w+)\s*-->/.exec(lines[i - 1] ?? '');
    const runtime = (marker?.[1] ?? 'node') as Runtime;
    assert.ok(runtime in ADAPTER, `README line ${i}: unknown check marker ${marker?.[1]}`);
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    out.push({ runtime, line: start, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

const all = snippets(readme);

test('the README has TypeScript snippets for Node, Deno, Bun, browsers, Workers and LiveKit Agents', () => {
  for (const rt of Object.keys(ADAPTER) as Runtime[]) {
    assert.ok(all.some((s) => s.runtime === rt), `no snippet checked as ${rt}`);
  }
});

test('every snippet type-checks against the built package for its runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'transcribe-stream-readme-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const failures: string[] = [];
    for (const rt of Object.keys(ADAPTER) as Runtime[]) {
      const mine = all.filter((s) => s.runtime === rt);
      if (mine.length === 0) continue;
      const sub = join(dir, rt);
      mkdirSync(sub);
      const files = mine.map((s) => {
        const name = `readme-line-${s.line}.ts`;
        // `export {}` keeps each snippet a module even if it had no import.
        writeFileSync(join(sub, name), `${s.code}\nexport {};\n`);
        return name;
      });
      if (GLOBALS[rt]) {
        writeFileSync(join(sub, 'globals.d.ts'), GLOBALS[rt]);
        files.push('globals.d.ts');
      }
      const adapter = join(root, `dist/adapters/${ADAPTER[rt]}.d.ts`);
      assert.ok(existsSync(adapter), `${adapter} is missing: run the build first`);
      // The peers (@livekit/agents, @livekit/rtc-node) as an app has them: in its node_modules.
      if (rt === 'livekit') symlinkSync(join(root, 'node_modules'), join(sub, 'node_modules'), 'dir');
      const tsconfig = {
        extends: join(root, 'tsconfig.json'),
        compilerOptions: {
          rootDir: sub,
          noEmit: true,
          declaration: false,
          emitDeclarationOnly: false,
          isolatedDeclarations: false,
          types: rt === 'node' || rt === 'livekit' ? ['node'] : [],
          typeRoots: [join(root, 'node_modules/@types')],
          paths: {
            'transcribe-stream': [adapter],
            'npm:transcribe-stream': [adapter],
            'transcribe-stream/emulator': [join(root, 'dist/emulator/index.d.ts')],
            'transcribe-stream/core': [join(root, 'dist/core/index.d.ts')],
            'transcribe-stream/dsp': [join(root, 'dist/dsp/index.d.ts')],
            'transcribe-stream/livekit': [join(root, 'dist/adapters/livekit/index.d.ts')],
          },
        },
        files,
        include: [],
      };
      writeFileSync(join(sub, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      const r = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(sub, 'tsconfig.json')], { encoding: 'utf8' });
      if (r.status !== 0) failures.push(`[${rt}] ${r.stdout}${r.stderr}`.replaceAll(sub + '/', 'README '));
    }
    assert.is(failures.join('\n'), '', 'README snippets must compile');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a broken snippet would be caught (the check is not vacuous)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'transcribe-stream-readme-neg-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'bad.ts'), "import { AWSTranscribeSTTService } from 'transcribe-stream';\nnew AWSTranscribeSTTService({ regoin: 'x' });\n");
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: { rootDir: dir, noEmit: true, declaration: false, emitDeclarationOnly: false, isolatedDeclarations: false, types: [], paths: { 'transcribe-stream': [join(root, 'dist/adapters/node.d.ts')] } },
        files: ['bad.ts'],
        include: [],
      }),
    );
    const r = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.is.not(r.status, 0);
    assert.match(r.stdout + r.stderr, /regoin/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Property names of an exported interface in a built declaration file. */
function properties(dts: string, name: string): string[] {
  const text = readFileSync(join(root, dts), 'utf8');
  const start = text.indexOf(`export interface ${name} `);
  assert.ok(start >= 0, `${name} in ${dts}`);
  const body = text.slice(text.indexOf('{', start) + 1, text.indexOf('\n}', start));
  return [...body.matchAll(/^ {4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]!);
}

test('the options tables name every service and stream option', () => {
  const service = properties('dist/core/service-options.d.ts', 'AWSTranscribeSTTServiceOptions');
  // Everything of TranscribeUrlOptions that the service passes through (see StreamParameters).
  const notStream = new Set(['region', 'credentials', 'languageCode', 'sampleRate', 'mediaEncoding', 'date', 'expiresIn']);
  const stream = properties('dist/core/transcribe-url.d.ts', 'TranscribeUrlOptions').filter((p) => !notStream.has(p));
  assert.ok(service.length >= 15 && stream.length >= 20, `${service.length} service, ${stream.length} stream options`);
  const missing = [...service, ...stream].filter((p) => !readme.includes(`\`${p}\``));
  assert.equal(missing, [], 'options missing from the README');
});

test('the README covers every command-line flag, the two commands and the bench markers', () => {
  const flags = new Set(USAGE.match(/--[a-z][a-z-]+/g) ?? []);
  assert.ok(flags.size > 20, `${flags.size} flags`);
  const missing = [...flags].filter((f) => f !== '--help' && f !== '--version' && !readme.includes(f));
  assert.equal(missing, [], 'flags missing from the README');
  assert.match(readme, /^npm ci && npm test\b/m);
  assert.match(readme, /^npm start\b/m);
  assert.is(readme.split('<!-- bench:start -->').length, 2);
  assert.is(readme.split('<!-- bench:end -->').length, 2);
  assert.ok(readme.indexOf('<!-- bench:start -->') < readme.indexOf('<!-- bench:end -->'));
  for (const topic of ['transcribe:StartStreamTranscriptionWebSocket', '15 seconds', 'Clock skew', 'Sample rates', 'Region', 'api_key']) {
    assert.ok(readme.includes(topic), topic);
  }
});

test.run();
