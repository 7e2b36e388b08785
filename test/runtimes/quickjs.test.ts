// Runtime matrix, QuickJS row: the protocol core (SigV4 presign, Transcribe URL, event-stream
// encode/decode, AudioEvent, server messages) and the pure-TypeScript DSP, bundled into one
// script and run in quickjs-emscripten (no WebCrypto, TextEncoder, WebAssembly or timers); its
// output must equal the same function's output on Node byte for byte.
import { join } from 'node:path';
import { build } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { note, ROOT, skip } from './harness.ts';
import { runCore } from './quickjs-core.ts';

let getQuickJS: typeof import('quickjs-emscripten').getQuickJS | undefined;
let shouldInterruptAfterDeadline: typeof import('quickjs-emscripten').shouldInterruptAfterDeadline | undefined;
try {
  ({ getQuickJS, shouldInterruptAfterDeadline } = await import('quickjs-emscripten'));
} catch (err) {
  skip(`matrix quickjs: quickjs-emscripten cannot be loaded (${(err as Error).message}); run npm ci`);
}

if (getQuickJS && shouldInterruptAfterDeadline) {
  const loadQuickJS = getQuickJS;
  const deadline = shouldInterruptAfterDeadline;
  test('quickjs: core + pure-TS DSP in a bare ES2022 engine, byte for byte equal to Node', async () => {
    const started = Date.now();
    const bundle = await build({
      entryPoints: [join(ROOT, 'test', 'runtimes', 'quickjs-core.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'CoreRun',
      platform: 'neutral',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    });
    const code = bundle.outputFiles[0]!.text;
    const QuickJS = await loadQuickJS();
    const vm = QuickJS.newContext();
    let inQuickJS: string;
    const ran = Date.now();
    try {
      vm.runtime.setInterruptHandler(deadline(Date.now() + 60_000));
      const result = vm.evalCode(`${code}\nCoreRun.runCore();`, 'core.js');
      if (result.error) {
        const e = vm.dump(result.error) as { message?: string; stack?: string };
        result.error.dispose();
        throw new Error(`QuickJS threw: ${e.message ?? JSON.stringify(e)}\n${e.stack ?? ''}`);
      }
      inQuickJS = vm.dump(result.value) as string;
      result.value.dispose();
    } finally {
      vm.dispose();
    }
    const quickMs = Date.now() - ran;
    const onNode = runCore();
    const q = JSON.parse(inQuickJS) as Record<string, unknown>;
    assert.equal(
      q.globals,
      { crypto: 'undefined', TextEncoder: 'undefined', WebAssembly: 'undefined' },
      'a bare engine',
    );
    assert.is(q.dspBackend, 'js');
    const n = JSON.parse(onNode) as Record<string, unknown>;
    assert.equal(Object.keys(q), Object.keys(n));
    for (const k of Object.keys(n)) if (k !== 'globals') assert.equal(q[k], n[k], `QuickJS and Node differ on ${k}`);
    assert.ok((q['dsp-high'] as { bytes: number }).bytes > 15000, 'half a second of 16 kHz audio came out');
    note(
      `matrix quickjs (quickjs-emscripten, ${code.length} B script): ${Date.now() - started} ms, of which QuickJS ` +
        `ran ${quickMs} ms`,
    );
  });
}

test.run();
