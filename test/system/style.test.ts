// The house style, checked on every run so CI fails on it: Biome's formatter and linter agree with
// every file (biome.jsonc; `npm run format` fixes the formatting, `npm run lint` shows the rest), and
// no line of code is over 120 columns (Biome wraps code, but not strings or comments).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MAX_COLUMNS = 120;
/** Folders of code; test/vectors and emulator/sample hold data copied byte for byte, not code. */
const CODE = ['core', 'dsp', 'adapters', 'cli', 'emulator', 'test', 'bench', 'tools'];
const NOT_CODE = new Set(['node_modules', 'dist', 'build', 'vectors', 'sample']);
const GENERATED = new Set(['dsp/kernel/wasm-bytes.generated.ts']);

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) {
      if (!NOT_CODE.has(name)) out.push(...codeFiles(path));
    } else if (/\.(ts|mjs|js|html)$/.test(name) && !GENERATED.has(path.split('\\').join('/'))) {
      out.push(path);
    }
  }
  return out;
}

test('biome: formatted and lint-clean (npm run lint)', () => {
  const bin = join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  const r = spawnSync(process.execPath, [bin, 'ci', '--colors=off', '--error-on-warnings', '.'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, `biome ci failed (npm run format, then npm run lint):\n${r.stdout}${r.stderr}`.slice(0, 8000));
});

test(`no line of code over ${MAX_COLUMNS} columns`, () => {
  const files = [...readdirSync(root).filter((f) => f.endsWith('.mjs')), ...CODE.flatMap(codeFiles)];
  assert.ok(files.length > 100, `${files.length} files found`);
  const long: string[] = [];
  for (const file of files) {
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ([...line].length > MAX_COLUMNS) long.push(`${relative(root, join(root, file))}:${i + 1}`);
      });
  }
  assert.equal(long, []);
});

test.run();
