// The kernels' shared memory layout, dsp/kernel/layout.ts. AssemblyScript compiles the same file
// the TypeScript side imports, so the state offsets and input kinds cannot drift apart as long as
// the file stays in the subset both languages read alike and the AssemblyScript kernels take every
// offset and kind from it; these tests hold both, and that each kernel reads every field by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as layout from '../../dist/dsp/kernel/layout.js';

const source = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const assembly: [string, string][] = readdirSync(new URL('../../dsp/assembly/', import.meta.url))
  .filter((name) => name.endsWith('.ts'))
  .map((name) => [name, source(`dsp/assembly/${name}`)]);
/** The constants by name (layout.ts exports integers only: the first test checks it). */
const values: Readonly<Record<string, number>> = { ...layout };
const names = Object.keys(values);
const stateFields = names.filter((n) => n.startsWith('STATE_') && n !== 'STATE_BYTES');
const uses = (text: string, name: string): boolean => new RegExp(`\\b${name}\\b`).test(text);

test('layout.ts holds only integer constants, which AssemblyScript and TypeScript read alike', () => {
  const code = source('dsp/kernel/layout.ts')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const lines = code
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  assert.ok(lines.length > 0);
  for (const line of lines) assert.match(line, /^export const [A-Z][A-Z0-9_]* = \d+;$/, line);
});

test('the AssemblyScript kernels take every offset and kind from layout.ts, none of their own', () => {
  for (const [file, text] of assembly) {
    for (const name of names)
      assert.not.match(text, new RegExp(`(const|let|var) ${name}\\b`), `${file} defines ${name}`);
    assert.not.match(
      text,
      /(load|store)<i32>\(st,[^)]*\b\d+\)/,
      `${file} reads or writes the state block at a number, not a name`,
    );
    const used = names.filter((n) => uses(text, n));
    if (used.length > 0)
      assert.match(text, /from '\.\.\/kernel\/layout'/, `${file} uses ${used.join(', ')} without importing layout.ts`);
  }
});

test('the state block: distinct i32 fields, no gaps, STATE_BYTES in all; both kernels read each by name', () => {
  const offsets = stateFields.map((n) => values[n]!).sort((a, b) => a - b);
  assert.equal(
    offsets,
    offsets.map((_, i) => 4 * i),
  );
  assert.is(layout.STATE_BYTES, 4 * stateFields.length);
  for (const file of ['dsp/assembly/fir.ts', 'dsp/kernel/fir-js.ts']) {
    const text = source(file);
    for (const field of stateFields) assert.ok(uses(text, field), `${file} does not read ${field}`);
  }
});

test('input kinds 0..3 and output kinds 0..1, each named once', () => {
  assert.equal([layout.IN_F32_MONO, layout.IN_F32_STEREO, layout.IN_I16_MONO, layout.IN_I16_STEREO], [0, 1, 2, 3]);
  assert.equal([layout.OUT_F32, layout.OUT_I16], [0, 1]);
});

test.run();
