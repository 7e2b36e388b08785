// `transcribe-stream demo` from an installed package: only what package.json "files" ships
// (dist/, README.md) under node_modules/transcribe-stream, with the optional peer ws beside it.
// Without the recording, the demo synthesises speech-like bursts timed like it and prints the
// same transcript; `demo --aws` there says why it cannot, in one line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SCRIPT } from '../../dist/cli/demo-sample.js';
import { cleanEnv, cli, lines, root, TRANSCRIPT } from '../helpers/cli-run.ts';
import { joinRegExp } from '../helpers/regexp.ts';

const tmp = mkdtempSync(join(tmpdir(), 'transcribe-stream-demo-'));

/** A project that installed the package: the "files" of package.json, and ws. */
function installed(): string {
  const app = join(tmp, 'app');
  const pkgDir = join(app, 'node_modules', 'transcribe-stream');
  mkdirSync(pkgDir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
  cpSync(join(root, 'package.json'), join(pkgDir, 'package.json'));
  // Negated patterns ("!dist/**/*.map") only take files out; the demo does not need maps anyway.
  for (const f of pkg.files) if (!f.startsWith('!')) cpSync(join(root, f), join(pkgDir, f), { recursive: true });
  symlinkSync(join(root, 'node_modules', 'ws'), join(app, 'node_modules', 'ws'), 'dir');
  return app;
}

const app = installed();
// The command an install links, as package.json declares it (so a moved bin cannot leave this behind).
const { bin: bins } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(app, 'node_modules', 'transcribe-stream', bins['transcribe-stream']!);

interface Final {
  type: string;
  text: string;
  result: { StartTime: number; EndTime: number };
}

const finals = (stdout: string): Final[] =>
  lines(stdout)
    .map((l) => JSON.parse(l) as Final)
    .filter((o) => o.type === 'transcription');

test("the synthesised sample speaks the recording's script", () => {
  assert.equal([...DEMO_SCRIPT], TRANSCRIPT);
});

test('installed package: the demo runs on the synthesised sample and prints the transcript and summary', async () => {
  const r = await cli(['demo'], { cwd: app, env: cleanEnv(), bin });
  assert.is(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  assert.equal(
    out.filter((l) => !l.startsWith('~ ')),
    TRANSCRIPT,
  );
  assert.ok(out.includes('~ This is a'), r.stdout);
  const err = lines(r.stderr);
  assert.match(
    err[0]!,
    joinRegExp(
      /^demo: a synthesised sample, 4\.2 s of speech-like sound in three bursts \(WAV, PCM 16-bit, /,
      /48000 Hz, stereo; the recording is in the git checkout\) -> the bundled emulator at /,
      /ws:\/\/127\.0\.0\.1:\d+/,
    ),
  );
  assert.match(err[err.length - 1]!, /^summary: 3 utterances, 10 words; 4\.2 s of audio in [\d.]+ s, 1\.0x real time/);
  assert.is(err.length, 2);
});

test('installed package: the synthesised bursts sit where the recorded sentences are (within 60 ms)', async () => {
  const recorded = await cli(['demo', '--fast', '--json']);
  const synthetic = await cli(['demo', '--fast', '--json'], { cwd: app, bin });
  assert.is(recorded.code, 0, recorded.stderr);
  assert.is(synthetic.code, 0, synthetic.stderr);
  const a = finals(recorded.stdout);
  const b = finals(synthetic.stdout);
  assert.equal(
    b.map((f) => f.text),
    a.map((f) => f.text),
  );
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i]!.result.StartTime - b[i]!.result.StartTime) <= 0.06, `start of ${a[i]!.text}`);
    assert.ok(Math.abs(a[i]!.result.EndTime - b[i]!.result.EndTime) <= 0.06, `end of ${a[i]!.text}`);
  }
});

test('installed package: demo --aws says the recording is not there, in one line (exit 2)', async () => {
  const r = await cli(['demo', '--aws'], { cwd: app, bin });
  assert.is(r.code, 2);
  assert.equal(lines(r.stderr), [
    'transcribe-stream: demo --aws sends a recording of speech, and the installed package carries none (it is in the ' +
      'git checkout, emulator/sample/demo.wav); send one of your own instead: transcribe-stream speech.wav',
  ]);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
