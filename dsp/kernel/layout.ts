/**
 * What the two kernels (dsp/assembly/fir.ts and its TypeScript twin fir-js.ts) and the code that
 * calls them agree on: the layout of a stream's state block and the kinds of input they read.
 * AssemblyScript compiles this file too (dsp/assembly imports it), so it holds only integer
 * constants, the subset both languages read alike.
 */

// The state block of a stream: 12 i32 fields at these byte offsets. dsp/stream.ts writes it; a
// kernel call reads it and writes back the three that move (HLEN, START, PHASE).
/** Upsampling factor: the output rate is input * L / M, in lowest terms. */
export const STATE_L = 0;
/** Downsampling factor. */
export const STATE_M = 4;
/** Taps per filter row (a multiple of 4). */
export const STATE_TAPS = 8;
/** Address of the coefficient rows, phase-major, each row time-reversed so the dot product runs forward. */
export const STATE_COEF = 12;
/** Address of the Float32 history: the input samples the next windows read. */
export const STATE_HIST = 16;
/** History capacity in samples (the block has DQ + 4 floats of slack past it: see dotPair in fir.ts). */
export const STATE_CAP = 20;
/** Valid samples in the history. */
export const STATE_HLEN = 24;
/** Where the window of the next output starts in the history. */
export const STATE_START = 28;
/** The phase of the next output, 0..L-1. */
export const STATE_PHASE = 32;
/** Whole input samples the window advances per output: M = DQ * L + DP. */
export const STATE_DQ = 36;
/** The phase advance per output. */
export const STATE_DP = 40;
/**
 * 0 for an exact polyphase table (L rows); else P: a table of P + 1 rows between which the kernel
 * interpolates linearly (for ratios with a huge L, such as 44101 -> 16000).
 */
export const STATE_INTERP = 44;
/** Size of the state block; a stream's history follows it. */
export const STATE_BYTES = 48;

// The kinds of input a kernel call reads (its `kind` argument); the output is always mono.
/** Float32 mono. */
export const IN_F32_MONO = 0;
/** Float32 interleaved stereo, averaged to mono. */
export const IN_F32_STEREO = 1;
/** Int16 (host order) mono. */
export const IN_I16_MONO = 2;
/** Int16 (host order) interleaved stereo, averaged to mono. */
export const IN_I16_STEREO = 3;

// What a kernel call writes (its `outKind` argument).
/** Float32 samples. */
export const OUT_F32 = 0;
/** Int16 little-endian bytes, rounded half to even and saturated. */
export const OUT_I16 = 1;
