// Sample-format helpers (rounding, saturation, NaN, round trips, any alignment), the Wasm heap
// allocator, the embedded-module decoder and the backend switch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DspError,
  Resampler,
  downmixStereo,
  dspBackend,
  floatToInt16,
  initDsp,
  int16FromBytesLE,
  int16ToFloat,
} from '../../dist/dsp/index.js';
import { decodeBase64 } from '../../dist/dsp/kernel/base64.js';
import { Runtime, wasmRuntime } from '../../dist/dsp/kernel/runtime.js';
import { DSP_WASM_BASE64 } from '../../dist/dsp/kernel/wasm-bytes.generated.js';
import { readFileSync } from 'node:fs';
import { thrownCode } from '../helpers/thrown-code.ts';

const wasm = dspBackend() === 'wasm-simd';
const BACKENDS: ('auto' | 'js')[] = wasm ? ['auto', 'js'] : ['js'];

/** Independent reference: Math.round with its half-up ties moved to even. */
function ref(x: number): number {
  const s = Math.fround(x) * 32768;
  if (Number.isNaN(s)) return 0;
  if (s >= 32767) return 32767;
  if (s <= -32768) return -32768;
  let r = Math.round(s);
  if (r - s === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

let seed = 99;
const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;

for (const backend of BACKENDS) {
  test(`${backend}: floatToInt16 rounds half to even, saturates, NaN -> 0`, () => {
    initDsp({ backend });
    const cases: [number, number][] = [
      [0.5 / 32768, 0],
      [1.5 / 32768, 2],
      [2.5 / 32768, 2],
      [-0.5 / 32768, 0],
      [-1.5 / 32768, -2],
      [-2.5 / 32768, -2],
      [0.49 / 32768, 0],
      [1, 32767],
      [-1, -32768],
      [32767 / 32768, 32767],
      [32767.5 / 32768, 32767],
      [-32768.5 / 32768, -32768],
      [1.5, 32767],
      [-7, -32768],
      [Infinity, 32767],
      [-Infinity, -32768],
      [NaN, 0],
      [1e30, 32767],
      [-1e-30, 0],
    ];
    // Long enough for the SIMD path: the cases sit at every lane position, then in the scalar tail.
    const x = new Float32Array(cases.length * 40 + 5);
    for (let i = 0; i < x.length; i++) x[i] = (cases[i % cases.length] as [number, number])[0];
    const y = floatToInt16(x);
    for (let i = 0; i < x.length; i++) {
      const [input, want] = cases[i % cases.length] as [number, number];
      if (y[i] !== want) assert.unreachable(`index ${i}: ${input} -> ${y[i]}, want ${want}`);
    }
    initDsp({ backend: 'auto' });
  });

  test(`${backend}: floatToInt16 matches the reference at every length 0..700 and odd offsets`, () => {
    initDsp({ backend });
    const big = new Float32Array(2000);
    for (let i = 0; i < big.length; i++) big[i] = (random() - 0.5) * 2.2;
    for (let len = 0; len <= 700; len += len < 300 ? 1 : 37) {
      const off = Math.floor(random() * 9);
      const x = big.subarray(off, off + len);
      const y = floatToInt16(x);
      for (let i = 0; i < len; i++) if (y[i] !== ref(x[i] as number)) assert.unreachable(`len ${len} i ${i}`);
    }
    // Longer than one Wasm slice, into a caller's buffer.
    const long = new Float32Array(50001);
    for (let i = 0; i < long.length; i++) long[i] = Math.sin(i) * 1.01;
    const out = new Int16Array(60000).fill(7);
    assert.is(floatToInt16(long, out), out);
    for (let i = 0; i < long.length; i++) if (out[i] !== ref(long[i] as number)) assert.unreachable(`long ${i}`);
    assert.is(out[50001], 7, 'nothing written past the input length');
    initDsp({ backend: 'auto' });
  });
}

test('int16ToFloat is v / 32768 and floatToInt16 inverts it for all 65536 values', () => {
  const all = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) all[i] = i - 32768;
  const f = int16ToFloat(all);
  assert.is(f[0], -1);
  assert.is(f[65535], 32767 / 32768);
  assert.is(f[32768], 0);
  const back = floatToInt16(f);
  for (let i = 0; i < 65536; i++) if (back[i] !== all[i]) assert.unreachable(`value ${all[i]} came back as ${back[i]}`);
});

test('downmixStereo averages interleaved pairs; int16FromBytesLE reads LE at any alignment', () => {
  assert.equal(Array.from(downmixStereo(new Float32Array([1, 0, -0.5, -0.5, 0.25, 0.75]))), [0.5, -0.5, 0.5]);
  const bytes = new Uint8Array([0, 0x34, 0x12, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f]);
  assert.equal(Array.from(int16FromBytesLE(bytes.subarray(1, 9))), [0x1234, -1, -32768, 32767]);
  const out = new Int16Array(6);
  assert.is(int16FromBytesLE(bytes.subarray(1, 5), out), out);
  assert.equal(Array.from(out.subarray(0, 2)), [0x1234, -1]);
});

test('converters throw typed errors for bad input and short outputs', () => {
  const code = (fn: () => unknown): string => thrownCode(fn, DspError);
  assert.is(
    code(() => int16FromBytesLE(new Uint8Array(3))),
    'PARTIAL_FRAME',
  );
  assert.is(
    code(() => downmixStereo(new Float32Array(3))),
    'PARTIAL_FRAME',
  );
  assert.is(
    code(() => floatToInt16(new Float32Array(300), new Int16Array(299))),
    'OUTPUT_TOO_SMALL',
  );
  assert.is(
    code(() => int16ToFloat(new Int16Array(2), new Float32Array(1))),
    'OUTPUT_TOO_SMALL',
  );
  assert.is(
    code(() => floatToInt16([0.5] as unknown as Float32Array)),
    'BAD_INPUT',
  );
  assert.is(
    code(() => int16ToFloat(new Float32Array(1) as unknown as Int16Array)),
    'BAD_INPUT',
  );
});

test('embedded module: base64 decodes to the built dsp.wasm, small, no imports, SIMD', () => {
  const bytes = decodeBase64(DSP_WASM_BASE64);
  const file = new Uint8Array(readFileSync(new URL('../../dist/dsp/dsp.wasm', import.meta.url)));
  assert.equal(bytes, file);
  assert.ok(bytes.length < 8192, `${bytes.length} bytes`);
  console.log(`\nnote: dsp.wasm is ${bytes.length} bytes (${DSP_WASM_BASE64.length} as base64)`);
  const module = new WebAssembly.Module(bytes);
  assert.equal(WebAssembly.Module.imports(module), []);
  // Random data through the decoder against Node's.
  for (let len = 0; len < 40; len++) {
    const data = new Uint8Array(len).map(() => Math.floor(random() * 256));
    assert.equal(decodeBase64(Buffer.from(data).toString('base64')), data);
  }
});

test('heap: first fit, coalescing, growth', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Runtime(memory, 1024);
  const free0 = heap.freeBytes();
  assert.is(free0, 65536 - 1024);
  const a = heap.alloc(100);
  const b = heap.alloc(1000);
  const c = heap.alloc(10);
  assert.is(a % 16, 0);
  assert.ok(b >= a + 100 && c >= b + 1000);
  heap.release(b);
  assert.is(heap.alloc(500), b, 'first fit reuses the hole');
  const big = heap.alloc(200000);
  assert.ok(memory.buffer.byteLength >= big + 200000, 'memory grew');
  heap.release(big);
  heap.release(a);
  heap.release(c);
  heap.release(b);
  assert.is(heap.freeBytes(), memory.buffer.byteLength - 1024, 'everything came back');
  // Coalesced: the whole free space is one block again, handed out without growing the memory.
  const grown = memory.buffer.byteLength;
  assert.is(heap.alloc(grown - 1024), 1024);
  assert.is(memory.buffer.byteLength, grown);
});

if (wasm) {
  test('streams share a table; dispose returns every byte to the heap', () => {
    const rt = wasmRuntime();
    assert.ok(rt !== null);
    const heap = rt!;
    const size = (): number => rt!.memory.buffer.byteLength;
    new Resampler({ from: 8000, to: 16000 }).process(new Float32Array(882)); // the shared staging block exists now
    const [free0, size0] = [heap.freeBytes(), size()];
    const many: Resampler[] = [];
    for (let i = 0; i < 50; i++) many.push(new Resampler({ from: 44100, to: 16000 }));
    for (const r of many) r.process(new Float32Array(882));
    const used = free0 + (size() - size0) - heap.freeBytes();
    // One 44.1k table is ~213 KB and each stream's state ~18 KB; 50 private tables would be over 10 MB.
    assert.ok(used < 213000 + 50 * 24000, `${used} bytes for 50 streams`);
    for (const r of many) r.dispose();
    assert.is(heap.freeBytes(), free0 + (size() - size0), 'every block came back');
  });
}

test('initDsp: forcing js switches new objects and dspBackend(); auto restores', () => {
  assert.is(initDsp({ backend: 'js' }), 'js');
  assert.is(dspBackend(), 'js');
  assert.is(initDsp({ backend: 'auto' }), wasm ? 'wasm-simd' : 'js');
});

test.run();
