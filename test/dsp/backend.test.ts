// Backend selection: the TypeScript fallback wherever WebAssembly is missing, lacks SIMD or may
// not compile from bytes (Cloudflare Workers), and the precompiled-module escape hatch. Each case
// imports a fresh copy of the loader (its state is per module instance).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';

type Loader = typeof import('../../dist/dsp/kernel/runtime.js');
let fresh = 0;
const loader = (): Promise<Loader> => import(`../../dist/dsp/kernel/runtime.js?case=${fresh++}`) as Promise<Loader>;
const wasmBytes = new Uint8Array(readFileSync(new URL('../../dist/dsp/dsp.wasm', import.meta.url)));
const real = globalThis.WebAssembly;

function patch(replacement: unknown): void {
  Object.defineProperty(globalThis, 'WebAssembly', { value: replacement, configurable: true, writable: true });
}

test('no WebAssembly at all (QuickJS, Hermes): js', async () => {
  const l = await loader();
  patch(undefined);
  try {
    assert.is(l.dspBackend(), 'js');
    assert.is(l.wasmRuntime(), null);
  } finally {
    patch(real);
  }
});

test('WebAssembly without SIMD (validate() false): js', async () => {
  const l = await loader();
  patch({ ...real, validate: () => false, Module: real.Module, Instance: real.Instance });
  try {
    assert.is(l.dspBackend(), 'js');
  } finally {
    patch(real);
  }
});

test('compiling from bytes forbidden (Workers): js, until initDsp({ module }) hands one over', async () => {
  const l = await loader();
  class Forbidden {
    constructor() {
      throw new real.CompileError('Wasm code generation disallowed by embedder');
    }
  }
  patch({ ...real, validate: real.validate, Module: Forbidden, Instance: real.Instance });
  try {
    assert.is(l.dspBackend(), 'js');
    const module = new real.Module(wasmBytes); // what Wrangler's `import mod from './dsp.wasm'` gives
    assert.is(l.initDsp({ module }), 'wasm-simd');
    assert.ok(l.wasmRuntime() !== null);
  } finally {
    patch(real);
  }
});

test('initDsp({ bytes }) and the js override', async () => {
  const l = await loader();
  assert.is(l.initDsp({ bytes: wasmBytes }), 'wasm-simd');
  assert.is(l.initDsp({ backend: 'js' }), 'js');
  assert.is(l.wasmRuntime(), null);
  assert.is(l.initDsp({ backend: 'auto' }), 'wasm-simd');
});

test.run();
