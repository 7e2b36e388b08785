/**
 * The contract both resampler backends implement (fir-wasm.ts, fir-js.ts).
 */
import type { FilterTable } from './filter-design.js';

/** Input layouts (same numbers as dsp/assembly/pcm.ts). A Uint8Array is Int16 LE bytes. */
export const IN_F32_MONO = 0;
export const IN_F32_STEREO = 1;
export const IN_I16_MONO = 2;
export const IN_I16_STEREO = 3;
export const BYTES_PER_FRAME: readonly number[] = [4, 8, 2, 4];

export type EngineInput = Float32Array | Int16Array | Uint8Array;

export interface Engine {
  readonly table: FilterTable;
  /**
   * Runs `frames` frames of `input` (layout `kind`; a Uint8Array holds Int16 LE bytes) and keeps
   * the output, Float32 or Int16, for `floatOut`/`bytesOut`. Returns the output sample count.
   */
  run(input: EngineInput, frames: number, kind: number, toInt16: boolean): number;
  /** The last run's Float32 output (a view, valid until the next run). */
  floatOut(n: number): Float32Array;
  /** The last run's Int16 output as LE bytes (a view, valid until the next run). */
  bytesOut(n: number): Uint8Array;
  /** Samples in the history, window start and phase of the next output (for flush). */
  position(): [hlen: number, start: number, phase: number];
  reset(): void;
  dispose(): void;
}

/** Largest output count one run of `frames` input frames can produce. */
export function maxOutput(table: FilterTable, frames: number): number {
  return Math.floor((frames * table.L) / table.M) + 2;
}
