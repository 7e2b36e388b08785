// Runtime matrix, Cloudflare Workers row: the scenario inside workerd (miniflare, programmatic),
// bundled with esbuild under the Workers export conditions; outbound WebSocket through
// fetch + Upgrade, credentials from bindings, the DSP .wasm imported as a CompiledWasm module.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { checkOutcome, note, referencePcm, ROOT, skip, startMatrix } from './matrix/harness.ts';

let Miniflare: typeof import('miniflare').Miniflare | undefined;
try {
  ({ Miniflare } = await import('miniflare'));
} catch (err) {
  skip(`matrix workers: miniflare cannot be loaded (${(err as Error).message}); run npm ci`);
}

if (Miniflare) {
  const MF = Miniflare;
  test('workers: 48 kHz stereo WAV through the service, one dropped stream survived, every byte delivered', async () => {
    const m = await startMatrix();
    const started = Date.now();
    // dist/adapters/workers.js imports '../dsp/dsp.wasm': the bundle keeps that import, so the
    // .wasm sits at the same relative place next to it.
    const dir = join(m.dir, 'worker');
    mkdirSync(join(dir, 'bundle'), { recursive: true });
    mkdirSync(join(dir, 'dsp'), { recursive: true });
    copyFileSync(join(ROOT, 'dist', 'dsp', 'dsp.wasm'), join(dir, 'dsp', 'dsp.wasm'));
    const script = join(dir, 'bundle', 'worker.js');
    await build({
      entryPoints: [join(ROOT, 'test', 'matrix', 'worker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      external: ['*.wasm'],
      outfile: script,
      logLevel: 'warning',
    });
    assert.match(readFileSync(script, 'utf8'), /from ["']\.\.\/dsp\/dsp\.wasm["']/, 'the bundle imports the .wasm as a module');
    const mf = new MF({
      modules: true,
      scriptPath: script,
      // Module names are relative to this root (workerd refuses '..' above it).
      modulesRoot: dir,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2026-01-01',
      bindings: {
        AWS_ACCESS_KEY_ID: m.emu.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: m.emu.credentials.secretAccessKey,
        EMULATOR_ENDPOINT: m.emu.endpoint,
        CONTROL_URL: m.control,
      },
    });
    try {
      const bundled = Date.now();
      const res = await mf.dispatchFetch('http://localhost/');
      const body = await res.text();
      assert.is(res.status, 200, body);
      const outcome = await m.outcome(30_000);
      checkOutcome(m, outcome, { backend: 'wasm-simd', reference: referencePcm('wasm-simd') });
      assert.match(String(outcome.report.extra.compileFromBytes), /^refused/, 'workerd forbids compiling Wasm from bytes');
      assert.equal(outcome.report.extra.unbound, { state: 'failed', errors: ['NO_CREDENTIALS fatal'] }, 'no bindings: NO_CREDENTIALS');
      note(
        `matrix workers (miniflare ${(await import('miniflare/package.json', { with: { type: 'json' } })).default.version}): ` +
          `${Date.now() - started} ms (bundle ${bundled - started} ms), ${JSON.stringify(outcome.report.timings)}`,
      );
    } finally {
      // A workerd that failed to start can make dispose() hang: bounded, so the test still ends.
      await Promise.race([mf.dispose().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
      await m.close();
    }
  });
}

test.run();
