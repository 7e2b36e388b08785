/**
 * The DSP memory and its kernel. With WebAssembly SIMD: the module (embedded as base64 by the
 * build, or given precompiled by the host) and its linear memory, kernel dsp/assembly/fir.ts.
 * Without: a JS-emulated memory of the same layout and the TypeScript kernel (fir-js.ts). Either
 * way one runtime serves every stream: its memory is managed from JS (first fit, gaps merge),
 * streams at the same rates share one coefficient table, and the backend code above it is one.
 * Compilation is synchronous (the module is ~2 KB), so no `ready()` is needed. Cloudflare Workers
 * forbid compiling from bytes: there, import `dist/dsp/dsp.wasm` as a module and pass it to
 * `initDsp({ module })` first.
 */
import { decodeBase64 } from './base64.js';
import type { FilterTable } from '../filter-design.js';
import { OUT_F32, OUT_I16 } from './layout.js';
import { resampleJs } from './fir-js.js';
import type { MemoryViews } from './views.js';
import { DSP_WASM_BASE64 } from './wasm-bytes.generated.js';

export type DspBackend = 'wasm-simd' | 'js';

export interface InitDspOptions {
  /** A precompiled module (`import mod from 'transcribe-stream/dsp.wasm'` on Workers). */
  module?: WebAssembly.Module;
  /** The module's bytes, if the host fetched them itself. */
  bytes?: BufferSource;
  /** 'js' forces the TypeScript backend for objects created afterwards; 'auto' (default) prefers Wasm. */
  backend?: 'auto' | 'js';
}

interface DspExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  f32ToI16(src: number, dst: number, n: number): void;
  /** dsp/assembly/fir.ts: `kind` is an IN_* and `outKind` an OUT_* of layout.ts. */
  resample(st: number, src: number, frames: number, kind: number, out: number, outKind: number): number;
}

/** What the runtime needs of a memory: WebAssembly.Memory, or the JS stand-in below. */
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const PAGE = 65536;
/** Block alignment: SIMD loads and every typed view line up. */
const ALIGN = 16;
const align = (bytes: number): number => Math.max(ALIGN, (bytes + ALIGN - 1) & ~(ALIGN - 1));

export class Runtime implements MemoryViews {
  // `declare`: assigned in the constructor and sync(), no field initialiser to emit.
  /** The module's exports; null for the TypeScript backend. */
  declare readonly exports: DspExports | null;
  declare readonly memory: Memory;
  declare f32: Float32Array;
  declare i16: Int16Array;
  declare u8: Uint8Array;
  declare i32: Int32Array;
  /** First byte the allocator may hand out. */
  #base: number;
  /**
   * Allocated blocks, address -> size; the gaps between them are the free space (so freed neighbours merge by
   * themselves).
   */
  #used = new Map<number, number>();
  #stage = 0;
  #stageBytes = 0;
  /** Coefficient tables in memory: [address, streams using it]. */
  #tables = new Map<FilterTable, [number, number]>();

  constructor(memory: Memory, base: number, exports: DspExports | null = null) {
    this.exports = exports;
    this.memory = memory;
    this.#base = align(base);
    this.sync();
  }

  /** Re-creates the views after the memory grew (growing detaches the old ArrayBuffer). */
  sync(): void {
    const buffer = this.memory.buffer;
    if (this.u8?.buffer === buffer) return;
    this.f32 = new Float32Array(buffer);
    this.i16 = new Int16Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /** A block of at least `bytes` bytes, 16-byte aligned: the first gap that fits; grows the memory when none does. */
  alloc(bytes: number): number {
    const size = align(bytes);
    let at = this.#base;
    for (const [ptr, used] of [...this.#used].sort((x, y) => x[0] - y[0])) {
      if (ptr - at >= size) break;
      at = ptr + used;
    }
    const have = this.memory.buffer.byteLength;
    // Grow by at least a quarter of the memory, so that many small allocations grow it rarely.
    if (at + size > have) this.memory.grow(Math.max(Math.ceil((at + size - have) / PAGE), have >>> 18));
    this.#used.set(at, size);
    return at;
  }

  release(ptr: number): void {
    this.#used.delete(ptr);
  }

  /** Free bytes (for tests). */
  freeBytes(): number {
    let n = this.memory.buffer.byteLength - this.#base;
    for (const size of this.#used.values()) n -= size;
    return n;
  }

  /** Shared staging block of at least `bytes` (calls are synchronous, so one serves every stream). */
  stage(bytes: number): number {
    if (bytes > this.#stageBytes) {
      if (this.#stageBytes > 0) this.release(this.#stage);
      this.#stageBytes = Math.max(bytes, 16384);
      this.#stage = this.alloc(this.#stageBytes);
    }
    return this.#stage;
  }

  /** The table's coefficients in memory, shared by every stream using it (reference counted). */
  acquireTable(table: FilterTable): number {
    let entry = this.#tables.get(table);
    if (entry === undefined) {
      const ptr = this.alloc(table.coefs.byteLength);
      this.sync();
      this.f32.set(table.coefs, ptr >> 2);
      this.#tables.set(table, (entry = [ptr, 0]));
    }
    entry[1]++;
    return entry[0];
  }

  releaseTable(table: FilterTable): void {
    const entry = this.#tables.get(table);
    if (entry !== undefined && --entry[1] === 0) {
      this.#tables.delete(table);
      this.release(entry[0]);
    }
  }

  /**
   * One kernel call (dsp/assembly/fir.ts `resample`, or its TypeScript twin) on the stream whose
   * state block is at `st`: `frames` frames of input `kind` (an IN_* of layout.ts) at `src`.
   */
  resample(st: number, src: number, frames: number, kind: number, out: number, toInt16: boolean): number {
    const e = this.exports;
    if (e === null) return resampleJs(this, st, src, frames, kind, out, toInt16);
    return e.resample(st, src, frames, kind, out, toInt16 ? OUT_I16 : OUT_F32);
  }
}

/** A growable ArrayBuffer standing in for Wasm memory where there is none (QuickJS, no SIMD, 'js'). */
function jsMemory(): Memory {
  const memory: { buffer: ArrayBuffer; grow(pages: number): number } = {
    buffer: new ArrayBuffer(PAGE),
    grow(pages: number): number {
      const old = this.buffer;
      this.buffer = new ArrayBuffer(old.byteLength + pages * PAGE);
      new Uint8Array(this.buffer).set(new Uint8Array(old));
      return old.byteLength / PAGE;
    },
  };
  return memory;
}

let preference: 'auto' | 'js' = 'auto';
let wasm: Runtime | null | undefined; // undefined: not tried yet
let js: Runtime | undefined;

function instantiate(module: WebAssembly.Module): Runtime {
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as DspExports;
  return new Runtime(exports.memory, exports.heapBase(), exports);
}

function load(): Runtime | null {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) return null;
  try {
    const bytes = decodeBase64(DSP_WASM_BASE64);
    // validate() is false where Wasm SIMD is unsupported; then the TypeScript backend serves.
    return WebAssembly.validate(bytes) ? instantiate(new WebAssembly.Module(bytes)) : null;
  } catch {
    // e.g. Cloudflare Workers: "Wasm code generation disallowed by embedder". initDsp({ module }) fixes it.
    return null;
  }
}

/**
 * Chooses the backend for DSP objects created from now on, optionally from a host-provided
 * module or bytes. Returns the backend that will be used. Objects already created keep theirs.
 */
export function initDsp(options: InitDspOptions = {}): DspBackend {
  if (options.backend !== undefined) preference = options.backend;
  if (options.module !== undefined) wasm = instantiate(options.module);
  else if (options.bytes !== undefined) wasm = instantiate(new WebAssembly.Module(options.bytes));
  return dspBackend();
}

/** The backend new DSP objects get: 'wasm-simd', or 'js' where Wasm (SIMD) is missing or forced off. */
export function dspBackend(): DspBackend {
  return wasmRuntime() === null ? 'js' : 'wasm-simd';
}

/** The shared Wasm runtime, or null when the TypeScript backend is in use. */
export function wasmRuntime(): Runtime | null {
  if (preference === 'js') return null;
  if (wasm === undefined) wasm = load();
  return wasm;
}

/** The runtime new DSP objects get. */
export function runtime(): Runtime {
  return wasmRuntime() ?? (js ??= new Runtime(jsMemory(), 0));
}
