// The README's TypeScript snippets compile as a user's project would compile them: every ```ts block
// is written into a temp project whose node_modules/transcribe-stream links to this checkout, so
// the package's own exports map and types resolve it, under both module resolutions users have:
// "nodenext" (which always picks the "node" condition) and "bundler" (which picks none: the
// root's runtime-neutral types). Blocks are grouped by runtime (`<!-- check: deno -->` before a
// block; node when unmarked) for their globals and libs. Also: the README documents every service
// option and every command-line flag, and keeps the two commands and bench markers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE } from '../../dist/cli/usage.js';
import { SET_BY_THE_SERVICE } from '../helpers/url-options.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

// `livekit`: a Node app that also imports transcribe-stream/livekit and the real @livekit/agents.
// `server`: Node code that is only type-checked (the package test runs the `node` snippets).
const RUNTIMES = ['node', 'deno', 'bun', 'web', 'workers', 'livekit', 'server'] as const;
type Runtime = (typeof RUNTIMES)[number];
const MODES = ['nodenext', 'bundler'] as const;
type Mode = (typeof MODES)[number];

/**
 * The runtime globals a snippet may use, as far as the snippets use them (these runtimes' own
 * typings are not dev dependencies): Deno's stdin, Bun's stdin, Workers' WebSocketPair.
 */
const GLOBALS: Record<Runtime, string> = {
  node: '',
  livekit: '',
  server: '',
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
    assert.ok(RUNTIMES.includes(runtime), `README line ${i}: unknown check marker ${marker?.[1]}`);
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    out.push({ runtime, line: start, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

const all = snippets(readme);

/** A temp project that depends on this checkout as a user's depends on the installed package. */
function consumerProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'transcribe-stream'), 'dir');
  // @types/node as a user would have them, and the LiveKit peers an agent app installs.
  symlinkSync(join(root, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
  symlinkSync(join(root, 'node_modules', '@livekit'), join(dir, 'node_modules', '@livekit'), 'dir');
  return dir;
}

/** A user's strict tsconfig for one runtime under one module resolution. */
function tsconfig(rt: Runtime, mode: Mode, files: string[]): object {
  return {
    compilerOptions: {
      target: 'es2022',
      module: mode === 'nodenext' ? 'nodenext' : 'esnext',
      moduleResolution: mode,
      // Node projects get Node's globals only; the others a browser-like global scope.
      lib: rt === 'node' || rt === 'livekit' || rt === 'server' ? ['es2022'] : ['es2022', 'dom'],
      types: rt === 'node' || rt === 'livekit' || rt === 'server' ? ['node'] : [],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      noEmit: true,
      // tsc cannot resolve Deno's npm: specifiers; Deno itself picks the "deno" condition's types.
      paths: { 'npm:transcribe-stream': ['../node_modules/transcribe-stream/dist/adapters/deno.d.ts'] },
    },
    files,
    include: [],
  };
}

/** tsc over the given snippets in a fresh consumer project; the compiler's complaints, or ''. */
function compile(mode: Mode, group: Snippet[]): string {
  const dir = consumerProject(`transcribe-stream-readme-${mode}-`);
  try {
    const failures: string[] = [];
    for (const rt of RUNTIMES) {
      const mine = group.filter((s) => s.runtime === rt);
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
      writeFileSync(join(sub, 'tsconfig.json'), JSON.stringify(tsconfig(rt, mode, files), null, 2));
      // Run in the snippet's folder, so the compiler names files as README line numbers.
      const r = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: sub, encoding: 'utf8' });
      if (r.status !== 0) failures.push(`[${rt}, ${mode}] ${r.stdout}${r.stderr}`);
    }
    return failures.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the README has TypeScript snippets for Node, Deno, Bun, browsers, Workers, LiveKit Agents and a server', () => {
  for (const rt of RUNTIMES) {
    assert.ok(
      all.some((s) => s.runtime === rt),
      `no snippet checked as ${rt}`,
    );
  }
});

for (const mode of MODES) {
  test(`every snippet type-checks against the package as installed, moduleResolution ${mode}`, () => {
    assert.ok(existsSync(join(root, 'dist/index.d.ts')), 'dist/ is missing: run the build first');
    assert.is(compile(mode, all), '', 'README snippets must compile');
  });
}

test('a broken snippet would be caught, in both resolutions (the check is not vacuous)', () => {
  const bad: Snippet = {
    runtime: 'node',
    line: 0,
    code: "import { AWSTranscribeSTTService } from 'transcribe-stream';\nnew AWSTranscribeSTTService({ regoin: 'x' });",
  };
  // A browser-only export is not promised to code whose runtime is unknown or Node.
  const webOnly: Snippet = {
    runtime: 'web',
    line: 1,
    code: "import { cognitoCredentials } from 'transcribe-stream';\nconsole.log(cognitoCredentials);",
  };
  for (const mode of MODES) {
    assert.match(compile(mode, [bad]), /regoin/, mode);
    assert.match(compile(mode, [webOnly]), /cognitoCredentials/, mode);
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
  const service = properties('dist/core/service/options.d.ts', 'AWSTranscribeSTTServiceOptions');
  // Everything of TranscribeUrlOptions that the service passes through (see StreamParameters).
  const stream = properties('dist/core/transcribe/url.d.ts', 'TranscribeUrlOptions').filter(
    (p) => !SET_BY_THE_SERVICE.has(p),
  );
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
  for (const topic of [
    'transcribe:StartStreamTranscriptionWebSocket',
    '15 seconds',
    'Clock skew',
    'Sample rates',
    'Region',
    'api_key',
  ]) {
    assert.ok(readme.includes(topic), topic);
  }
});

test.run();
