// Builds dist/ from the TypeScript sources: esbuild for JavaScript (one output file per source,
// mirroring the tree, target es2022), tsc for the .d.ts files, and asc for the DSP WebAssembly when
// its sources exist. Usage: node build.mjs [--clean] [--no-types] [--no-sourcemap]
// (--clean wipes dist/ first; without it several builds may share dist/ while developing.
// --no-sourcemap is the published build's (`npm pack` runs it as prepack): the maps carry the whole
// TypeScript source and would be 60 % of the package; tests and coverage use the default build's.)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['core', 'dsp', 'adapters', 'emulator'];
const skipTypes = process.argv.includes('--no-types');
const clean = process.argv.includes('--clean');
const sourcemap = !process.argv.includes('--no-sourcemap');

function sources(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== join('dsp', 'assembly') && name !== 'build') out.push(...sources(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

const started = Date.now();
if (clean) rmSync('dist', { recursive: true, force: true });

// 1. DSP WebAssembly (dsp/build.mjs owns the details: asc, then the generated embedding module).
if (existsSync('dsp/build.mjs')) {
  const { buildWasm } = await import('./dsp/build.mjs');
  await buildWasm();
}

// 2. JavaScript.
const entryPoints = roots.flatMap(sources);
await build({
  entryPoints,
  outdir: 'dist',
  outbase: '.',
  format: 'esm',
  target: 'es2022',
  platform: 'neutral',
  sourcemap: sourcemap ? 'linked' : false,
  logLevel: 'warning',
});

// 3. Declarations (also the strict type check of every source file).
if (!skipTypes) execFileSync('tsc', ['-p', 'tsconfig.json'], { stdio: 'inherit' });

// 4. Post-steps of parts that ship extra files (e.g. the .wasm next to its module).
if (existsSync('dsp/build.mjs')) {
  const { afterBuild } = await import('./dsp/build.mjs');
  if (afterBuild) await afterBuild();
}

console.error(`build: ${entryPoints.length} modules in ${Date.now() - started} ms`);
