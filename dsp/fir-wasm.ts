/**
 * The WebAssembly resampler backend: one stream's state and history in a block of the shared
 * module's memory, the kernel in dsp/assembly/fir.ts. Input is copied in once (into the shared
 * staging block) and the output is read in place.
 */
import { BYTES_PER_FRAME, type Engine, type EngineInput, maxOutput } from './engine.js';
import type { FilterTable } from './filter-design.js';
import type { WasmRuntime } from './wasm-runtime.js';

/** Same block size as the TypeScript backend (any size gives the same samples; this one bounds memory). */
const BLOCK = 1024;
/** Frames staged per kernel call, so one huge input does not grow the staging block without bound. */
const STAGE_FRAMES = 65536;
const STATE_BYTES = 48;
// State fields (i32 index from the block start), as in dsp/assembly/fir.ts.
const S_L = 0;
const S_M = 1;
const S_T = 2;
const S_COEF = 3;
const S_HIST = 4;
const S_CAP = 5;
const S_HLEN = 6;
const S_START = 7;
const S_PHASE = 8;
const S_DQ = 9;
const S_DP = 10;
const S_INTERP = 11;

/** What the finaliser frees; no reference back to the engine, so the engine can be collected. */
interface Blocks {
  rt: WasmRuntime;
  table: FilterTable;
  st: number;
  stBytes: number;
  out: number;
  outBytes: number;
}

function freeBlocks(b: Blocks): void {
  if (b.st === 0) return;
  b.rt.heap.release(b.st, b.stBytes);
  if (b.outBytes > 0) b.rt.heap.release(b.out, b.outBytes);
  b.rt.releaseTable(b.table);
  b.st = 0;
}

const registry: FinalizationRegistry<Blocks> | null =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(freeBlocks) : null;

export class WasmFirEngine implements Engine {
  readonly table: FilterTable;
  private readonly rt: WasmRuntime;
  private readonly blocks: Blocks;

  constructor(rt: WasmRuntime, table: FilterTable) {
    this.rt = rt;
    this.table = table;
    const coef = rt.acquireTable(table);
    const cap = table.taps + BLOCK;
    const stBytes = STATE_BYTES + (cap + Math.floor(table.M / table.L) + 4) * 4;
    const st = rt.heap.alloc(stBytes);
    this.blocks = { rt, table, st, stBytes, out: 0, outBytes: 0 };
    rt.sync();
    const s = st >> 2;
    const i32 = rt.i32;
    i32[s + S_L] = table.L;
    i32[s + S_M] = table.M;
    i32[s + S_T] = table.taps;
    i32[s + S_COEF] = coef;
    i32[s + S_HIST] = st + STATE_BYTES;
    i32[s + S_CAP] = cap;
    i32[s + S_DQ] = Math.floor(table.M / table.L);
    i32[s + S_DP] = table.M % table.L;
    i32[s + S_INTERP] = table.interp;
    this.reset();
    registry?.register(this, this.blocks, this);
  }

  reset(): void {
    const { rt, st } = this.blocks;
    rt.sync();
    const s = st >> 2;
    rt.f32.fill(0, s + STATE_BYTES / 4, s + STATE_BYTES / 4 + this.table.taps);
    rt.i32[s + S_HLEN] = this.table.taps - 1; // a silent past, as in the TypeScript backend
    rt.i32[s + S_START] = 0;
    rt.i32[s + S_PHASE] = 0;
  }

  position(): [number, number, number] {
    const { rt, st } = this.blocks;
    rt.sync();
    const s = st >> 2;
    return [rt.i32[s + S_HLEN] as number, rt.i32[s + S_START] as number, rt.i32[s + S_PHASE] as number];
  }

  dispose(): void {
    registry?.unregister(this);
    freeBlocks(this.blocks);
  }

  run(input: EngineInput, frames: number, kind: number, toInt16: boolean): number {
    const { rt, blocks } = this;
    const need = maxOutput(this.table, frames) * 4;
    if (blocks.outBytes < need) {
      if (blocks.outBytes > 0) rt.heap.release(blocks.out, blocks.outBytes);
      blocks.outBytes = need + (need >> 1);
      blocks.out = rt.heap.alloc(blocks.outBytes);
    }
    const bpf = BYTES_PER_FRAME[kind] as number;
    const perSample = input.BYTES_PER_ELEMENT;
    const samplesPerFrame = bpf / (input instanceof Uint8Array ? 1 : perSample);
    const stage = rt.stage(Math.min(input.byteLength, STAGE_FRAMES * bpf));
    rt.sync();
    const resample = rt.exports.resample;
    const outKind = toInt16 ? 1 : 0;
    const outSize = toInt16 ? 2 : 4;
    let produced = 0;
    for (let done = 0; done < frames; ) {
      const n = Math.min(frames - done, STAGE_FRAMES);
      const whole = done === 0 && n === frames && input.length === n * samplesPerFrame;
      const part = whole ? input : input.subarray(done * samplesPerFrame, (done + n) * samplesPerFrame);
      if (part instanceof Float32Array) rt.f32.set(part, stage >> 2);
      else if (part instanceof Int16Array) rt.i16.set(part, stage >> 1);
      else rt.u8.set(part, stage);
      produced += resample(blocks.st, stage, n, kind, blocks.out + produced * outSize, outKind);
      done += n;
    }
    return produced;
  }

  floatOut(n: number): Float32Array {
    this.rt.sync();
    return this.rt.f32.subarray(this.blocks.out >> 2, (this.blocks.out >> 2) + n);
  }

  private lastBytes: Uint8Array = new Uint8Array(0);

  bytesOut(n: number): Uint8Array {
    const { rt, blocks } = this;
    rt.sync();
    // Steady chunks give the same count call after call: reuse the view instead of allocating one.
    const last = this.lastBytes;
    if (last.buffer === rt.u8.buffer && last.byteOffset === blocks.out && last.length === 2 * n) return last;
    this.lastBytes = rt.u8.subarray(blocks.out, blocks.out + 2 * n);
    return this.lastBytes;
  }
}
