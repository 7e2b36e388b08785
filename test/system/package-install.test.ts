// The package as a user gets it: `npm pack` of a copy of this checkout (so prepack builds dist/ as
// a publish would, without touching the dist/ the other tests read), installed with `ws` into an
// empty project, then the README's Node, Deno, Bun and emulator snippets run there, unchanged but
// for one thing: the snippets written for AWS get the `endpoint` of the installed package's own
// emulator (keys from the emulator, in the AWS_* variables). Needs the npm registry or its cache
// (only for `ws`; npm ci has cached it).
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as EmulatorModule from '../../dist/emulator/index.js';
import { binary, note, ROOT, run, skip } from '../runtimes/harness.ts';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPT = ['hello there', 'how are you today'];

/** The README's ```ts blocks whose check marker (none means node) is `runtime`. */
function blocks(runtime: string): string[] {
  const out: string[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const marker = /<!--\s*check:\s*(\w+)\s*-->/.exec(lines[i - 1] ?? '')?.[1] ?? 'node';
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    if (marker === runtime) out.push(lines.slice(i + 1, end).join('\n'));
    i = end;
  }
  return out;
}

/** Points a snippet written for AWS at the emulator: the only change made to it. */
function atEmulator(code: string, endpoint: string): string {
  const out = code
    .replace(/new AWSTranscribeSTTService\(\)/g, `new AWSTranscribeSTTService({ endpoint: '${endpoint}' })`)
    .replace(/new AWSTranscribeSTTService\(\{/g, `new AWSTranscribeSTTService({ endpoint: '${endpoint}',`);
  assert.is.not(out, code, 'the snippet constructs the service');
  return out;
}

/** npm as `npm test` found it, else the one on PATH. */
function npm(args: string[], cwd: string): { status: number | null; out: string } {
  const cli = process.env.npm_execpath;
  const r =
    cli && /\.[cm]?js$/.test(cli)
      ? spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 180_000 })
      : spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 180_000, shell: process.platform === 'win32' });
  return { status: r.status, out: `${r.stdout}${r.stderr}${r.error ? r.error.message : ''}` };
}

/** Runs a snippet with `input` on stdin, without blocking this process (the emulator lives here). */
function runWithInput(
  cmd: string,
  args: readonly string[],
  o: { cwd: string; env: Record<string, string>; input: Uint8Array; timeoutMs: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(o.input);
  });
}

/** This checkout's files (tracked, and new ones git does not ignore), or undefined outside git. */
function checkoutFiles(): string[] | undefined {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) return undefined;
  return r.stdout.split('\0').filter((f) => f && existsSync(join(ROOT, f)));
}

const files = checkoutFiles();
if (!files) {
  skip('package install: not a git checkout, so there is no list of the files to pack');
} else {
  test('npm pack, npm install into an empty project, the README snippets run there against the emulator', async () => {
    const started = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'transcribe-stream-package-'));
    try {
      // 1. Pack a copy, so prepack's clean build leaves this checkout's dist/ alone.
      const src = join(dir, 'src');
      for (const f of files) {
        mkdirSync(dirname(join(src, f)), { recursive: true });
        copyFileSync(join(ROOT, f), join(src, f));
      }
      symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
      const pack = npm(['pack', '--silent', '--pack-destination', dir], src);
      assert.is(pack.status, 0, `npm pack: ${pack.out}`);
      const tgz = readdirSync(dir).find((n) => n.endsWith('.tgz'));
      assert.ok(tgz, `no tarball: ${pack.out}`);
      const listing = spawnSync('tar', ['-tzf', join(dir, tgz)], { encoding: 'utf8' }).stdout.split('\n');
      assert.ok(
        listing.includes('package/LICENSE') && listing.includes('package/dist/adapters/node.js'),
        'LICENSE and dist/ are packed',
      );
      assert.equal(
        listing.filter((f) => f.endsWith('.map')),
        [],
        'no source maps in the package',
      );
      const packed = Date.now();

      // 2. An empty project installs it, with the emulator's optional peer.
      const app = join(dir, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
      const wsVersion = (
        JSON.parse(readFileSync(join(ROOT, 'node_modules', 'ws', 'package.json'), 'utf8')) as { version: string }
      ).version;
      const install = npm(
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--loglevel=error',
          join(dir, tgz),
          `ws@${wsVersion}`,
        ],
        app,
      );
      assert.is(install.status, 0, `npm install: ${install.out}`);
      const installed = Date.now();

      // 3. The installed package's emulator, and audio for the snippets to read.
      const emuPath = createRequire(join(app, 'package.json')).resolve('transcribe-stream/emulator');
      assert.ok(emuPath.startsWith(join(app, 'node_modules', 'transcribe-stream')), emuPath);
      const { startEmulator, speechLikePcm } = (await import(pathToFileURL(emuPath).href)) as typeof EmulatorModule;
      const emu = await startEmulator({ script: SCRIPT });
      const speech = [{ silenceMs: 200 }, { speechMs: 900 }, { silenceMs: 900 }] as const;
      writeFileSync(join(app, 'call-48k-stereo.raw'), speechLikePcm(speech, { sampleRate: 48000, channels: 2 }));
      writeFileSync(join(app, 'speech.raw'), speechLikePcm(speech));
      const env = {
        AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
        NO_COLOR: '1',
        DENO_NO_UPDATE_CHECK: '1',
      };
      const ran: string[] = [];
      try {
        // Finals are whole lines; the Node snippet rewrites its interim text in place with \r first.
        const finals = (out: string): string[] =>
          out
            .split('\n')
            .slice(0, -1)
            .map((l) =>
              l
                .split('\r')
                .pop()!
                .trim()
                .toLowerCase()
                .replace(/[^a-z ]/g, ''),
            );

        // Node: the file snippet (its audio, paced), the frames snippet, and the emulator's own.
        const [fileSnippet, framesSnippet, emulatorSnippet, emulatorOptionsSnippet, ...more] = blocks('node');
        assert.is(more.length, 0, 'the README has four Node snippets; this test knows each');
        writeFileSync(join(app, 'node-file.ts'), atEmulator(fileSnippet!, emu.endpoint));
        writeFileSync(join(app, 'node-frames.ts'), atEmulator(framesSnippet!, emu.endpoint));
        writeFileSync(join(app, 'emulator.ts'), emulatorSnippet!);
        writeFileSync(join(app, 'emulator-options.ts'), emulatorOptionsSnippet!);
        const nodeFiles = ['node-file.ts', 'node-frames.ts', 'emulator.ts', 'emulator-options.ts'];
        const nodeRuns = await Promise.all(
          nodeFiles.map((f) => run(process.execPath, [f], { cwd: app, env, timeoutMs: 30_000 })),
        );
        const [file, frames, emulator, emulatorOptions] = nodeRuns;
        assert.is(emulatorOptions!.code, 0, `emulator options snippet: ${emulatorOptions!.stderr}`);
        assert.is(file!.code, 0, `node snippet: ${file!.stderr}`);
        assert.equal(
          finals(file!.stdout),
          ['hello there'],
          `node snippet printed: ${JSON.stringify(file!.stdout)} ${file!.stderr}`,
        );
        assert.not.match(file!.stderr, /error/i, 'no error frames');
        assert.is(frames!.code, 0, `frames snippet: ${frames!.stderr}`);
        assert.is(emulator!.code, 0, `emulator snippet: ${emulator!.stderr}`);
        assert.is(emulator!.stdout.trim(), '2 true', 'the emulator snippet prints what its comment says');
        ran.push(`node ${file!.ms}/${frames!.ms}/${emulator!.ms} ms`);

        // Deno and Bun: audio on stdin, credentials from the environment.
        for (const [rt, args] of [
          [
            'deno',
            [
              'run',
              '--allow-net',
              '--allow-env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN,AWS_REGION',
              '--allow-read',
              'main.ts',
            ],
          ],
          ['bun', ['run', 'main.ts']],
        ] as const) {
          const bin = binary(rt);
          if (!bin) {
            skip(`package install: node_modules/.bin/${rt} is missing; its snippet did not run`);
            continue;
          }
          const [snippet] = blocks(rt);
          assert.ok(snippet, `the README has a ${rt} snippet`);
          writeFileSync(join(app, 'main.ts'), atEmulator(snippet, emu.endpoint));
          const r = await runWithInput(bin, args, {
            cwd: app,
            env,
            input: readFileSync(join(app, 'speech.raw')),
            timeoutMs: 60_000,
          });
          assert.is(r.code, 0, `${rt} snippet: ${r.stderr}`);
          assert.equal(
            finals(r.stdout),
            ['hello there'],
            `${rt} snippet printed: ${JSON.stringify(r.stdout)} ${r.stderr}`,
          );
          ran.push(rt);
        }
      } finally {
        await emu.close();
      }
      note(
        `package install: pack ${packed - started} ms, install ${installed - packed} ms, snippets ` +
          `${Date.now() - installed} ms (${ran.join(', ')})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
