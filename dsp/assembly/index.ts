// The DSP WebAssembly module's exports: zero imports, no allocator, memory laid out by the caller.
export { f32ToI16 } from './pcm';
export { resample } from './fir';

/** First byte the caller may use. */
export function heapBase(): usize {
  return __heap_base;
}
