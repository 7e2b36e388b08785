/** Typed views over the DSP memory (the Wasm linear memory, or its JS stand-in), as the kernels read it. */
export interface MemoryViews {
  readonly f32: Float32Array;
  readonly i16: Int16Array;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
}
