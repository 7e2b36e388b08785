// `transcribe-stream/emulator` as a consumer installs it: without the optional peer `ws` (importing
// works; starting says what to install, in one line), and type-checked with skipLibCheck false and
// no @types at all (the published declarations must not need @types/node or @types/ws).
// Both run on a copy of the package (package.json + dist/) in a temp dir with no node_modules
// above it, so nothing of this checkout can be resolved by accident.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** A consumer project: <dir>/node_modules/transcribe-stream is a copy of package.json and dist/. */
function consumerProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ts-emulator-consumer-'));
  const pkg = join(dir, 'node_modules', 'transcribe-stream');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  return dir;
}

const p = suite('emulator as a package');

p('without ws: the module imports, startEmulator rejects with WS_NOT_INSTALLED and the install line', () => {
  const dir = consumerProject();
  try {
    writeFileSync(
      join(dir, 'check.mjs'),
      `let wsFound = true;
try { await import('ws'); } catch { wsFound = false; }
const mod = await import('transcribe-stream/emulator');
const out = { wsFound, exports: typeof mod.startEmulator };
try { const emu = await mod.startEmulator(); out.started = true; await emu.close(); }
catch (err) {
  out.name = err.name; out.code = err.code; out.message = err.message;
  out.isEmulatorError = err instanceof mod.EmulatorError; out.hasCause = err.cause !== undefined;
}
console.log(JSON.stringify(out));`,
    );
    const r = spawnSync(process.execPath, ['check.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.is(out.wsFound, false, 'the copy must not see a ws package (is there a node_modules above the temp dir?)');
    assert.equal(out, {
      wsFound: false,
      exports: 'function',
      name: 'EmulatorError',
      code: 'WS_NOT_INSTALLED',
      message: 'the emulator needs the optional peer ws: npm install -D ws',
      isEmulatorError: true,
      hasCause: true,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

p('the static import graph of dist/emulator/index.js never names ws', () => {
  // Follows every static `import … from './x.js'` from the entry; only a dynamic import('ws') may remain.
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s*["']([^"']+)["']/gm)) {
      const spec = m[1]!;
      assert.is.not(spec, 'ws', `${file.slice(root.length)} imports ws statically`);
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
    }
  };
  visit(join(root, 'dist', 'emulator', 'index.js'));
  assert.ok(seen.size > 10, `followed ${seen.size} modules`);
});

p('the declarations type-check with skipLibCheck false, types [] and no DOM lib', () => {
  const dir = consumerProject();
  try {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          lib: ['es2022'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          types: [],
          noEmit: true,
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import {
  DEFAULT_RETAIN, EmulatorError, IDLE_TIMEOUT_MESSAGE, MEDICAL_PATH, STANDARD_PATH, runEmulatorCli, scriptedRecognizer,
  speechLikePcm, startEmulator,
} from 'transcribe-stream/emulator';
import type {
  Emulator, EmulatorErrorCode, EmulatorOptions, EmulatorSession, FaultSpec, Recognizer, RetainOptions, ScriptEntry,
  SentEvent,
} from 'transcribe-stream/emulator';

const script: ScriptEntry[] = ['hello', { finals: ['part one', 'part two'], finalDelayMs: 200 }];
const retain: RetainOptions = { ...DEFAULT_RETAIN, audioBytes: 0 };
const opts: EmulatorOptions = { script, retain, finalDelayMs: 100 };
const faults: FaultSpec[] = [{ type: 'idle-timeout', afterFrames: 3 }, { type: 'drop' }];
const recognizer: Recognizer = { push: () => [], flush: () => [] };
export async function run(): Promise<number> {
  const emu: Emulator = await startEmulator({ ...opts, recognizer: () => recognizer });
  for (const f of faults) emu.fault(f);
  const s: EmulatorSession | undefined = emu.sessions[0];
  const events: readonly SentEvent[] = s?.events ?? [];
  const bytes: Uint8Array = speechLikePcm([{ speechMs: 100 }]);
  const code: EmulatorErrorCode | undefined = s?.audioRetained === false ? 'AUDIO_RELEASED' : undefined;
  await emu.close();
  await runEmulatorCli(['--help'], { out: () => {}, err: () => {} });
  return events.length + bytes.length + (code?.length ?? 0)
    + STANDARD_PATH.length + MEDICAL_PATH.length + IDLE_TIMEOUT_MESSAGE.length
    + (new EmulatorError('WS_NOT_INSTALLED', 'x') instanceof Error ? 1 : 0)
    + (typeof scriptedRecognizer === 'function' ? 1 : 0);
}
`,
    );
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], {
        cwd: dir,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    assert.is(output, '', `tsc found errors in the consumer or the published declarations:\n${output}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

p.run();
