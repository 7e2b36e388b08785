/**
 * transcribe-stream/dsp: resampling and PCM conversion for the audio path (any rate, Float32 or
 * Int16, mono or stereo -> 16-bit LE mono at 8 or 16 kHz). WebAssembly SIMD where available, the
 * same algorithms in TypeScript elsewhere. Imports nothing from core/ and no runtime module.
 */
export { Resampler } from './resampler.js';
export type { ResamplerOptions } from './resampler.js';
export { PcmPipeline } from './pcm-pipeline.js';
export type { PcmInput, PcmPipelineOptions } from './pcm-pipeline.js';
export { downmixStereo, floatToInt16, int16FromBytesLE, int16ToFloat } from './convert.js';
export { dspBackend, initDsp } from './kernel/runtime.js';
export type { DspBackend, InitDspOptions } from './kernel/runtime.js';
export { DspError } from './errors.js';
export type { DspErrorCode } from './errors.js';
export type { Quality } from './filter-design.js';
