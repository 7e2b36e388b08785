/**
 * Loads the DSP WebAssembly module (embedded as base64 by the build, or given precompiled by the
 * host) and decides the backend: 'wasm-simd' when WebAssembly exists and validates the module
 * (it uses Wasm SIMD), else the pure-TypeScript 'js' fallback. Compilation is synchronous (the
 * module is a few KB), so no `ready()` is needed. Cloudflare Workers forbid compiling from bytes:
 * there, import `dist/dsp/dsp.wasm` as a module and pass it to `initDsp({ module })` first.
 */
import type { FilterTable } from './filter-design.js';
import { decodeBase64 } from './base64.js';
import { WasmHeap } from './wasm-heap.js';
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
  resample(st: number, src: number, frames: number, kind: number, out: number, outKind: number): number;
}

export class WasmRuntime {
  readonly exports: DspExports;
  readonly heap: WasmHeap;
  f32: Float32Array;
  i16: Int16Array;
  u8: Uint8Array;
  i32: Int32Array;
  private buffer: ArrayBuffer;
  private stagePtr = 0;
  private stageBytes = 0;
  private readonly tables = new Map<FilterTable, { ptr: number; refs: number }>();

  constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as DspExports;
    this.heap = new WasmHeap(this.exports.memory, this.exports.heapBase());
    this.buffer = this.exports.memory.buffer;
    this.f32 = new Float32Array(this.buffer);
    this.i16 = new Int16Array(this.buffer);
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Re-creates the views after the memory grew (growing detaches the old ArrayBuffer). */
  sync(): void {
    const buffer = this.exports.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.f32 = new Float32Array(buffer);
    this.i16 = new Int16Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /** Shared staging block of at least `bytes` (calls are synchronous, so one serves every stream). */
  stage(bytes: number): number {
    if (bytes > this.stageBytes) {
      if (this.stageBytes > 0) this.heap.release(this.stagePtr, this.stageBytes);
      this.stageBytes = Math.max(bytes, 16384);
      this.stagePtr = this.heap.alloc(this.stageBytes);
    }
    return this.stagePtr;
  }

  /** The table's coefficients in Wasm memory, shared by every stream using it (reference counted). */
  acquireTable(table: FilterTable): number {
    let entry = this.tables.get(table);
    if (entry === undefined) {
      const ptr = this.heap.alloc(table.coefs.byteLength);
      this.sync();
      this.f32.set(table.coefs, ptr >> 2);
      entry = { ptr, refs: 0 };
      this.tables.set(table, entry);
    }
    entry.refs++;
    return entry.ptr;
  }

  releaseTable(table: FilterTable): void {
    const entry = this.tables.get(table);
    if (entry === undefined) return;
    if (--entry.refs === 0) {
      this.tables.delete(table);
      this.heap.release(entry.ptr, table.coefs.byteLength);
    }
  }
}

let preference: 'auto' | 'js' = 'auto';
let runtime: WasmRuntime | null | undefined; // undefined: not tried yet

function instantiate(module: WebAssembly.Module): WasmRuntime {
  return new WasmRuntime(new WebAssembly.Instance(module, {}));
}

function load(): WasmRuntime | null {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) return null;
  try {
    const bytes = decodeBase64(DSP_WASM_BASE64);
    // validate() is false where Wasm SIMD is unsupported; then the TypeScript backend serves.
    if (!WebAssembly.validate(bytes)) return null;
    return instantiate(new WebAssembly.Module(bytes));
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
  if (options.module !== undefined) runtime = instantiate(options.module);
  else if (options.bytes !== undefined) runtime = instantiate(new WebAssembly.Module(options.bytes));
  return dspBackend();
}

/** The backend new DSP objects get: 'wasm-simd', or 'js' where Wasm (SIMD) is missing or forced off. */
export function dspBackend(): DspBackend {
  return wasmRuntime() === null ? 'js' : 'wasm-simd';
}

/** The shared Wasm runtime, or null when the TypeScript backend is in use. */
export function wasmRuntime(): WasmRuntime | null {
  if (preference === 'js') return null;
  if (runtime === undefined) runtime = load();
  return runtime;
}
