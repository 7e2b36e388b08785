/**
 * What Resampler and PcmPipeline share: option checks, the backend choice, and flush.
 */
import { type Engine, IN_F32_MONO } from './engine.js';
import { DspError } from './errors.js';
import { checkQuality, checkRate, filterTable, type Quality } from './filter-design.js';
import { JsFirEngine } from './fir-js.js';
import { WasmFirEngine } from './fir-wasm.js';
import { wasmRuntime } from './wasm-runtime.js';

export interface StreamOptions {
  /** Input sample rate, an integer from 8000 to 192000 Hz. */
  from: number;
  /** Output sample rate, an integer from 8000 to 192000 Hz (Transcribe takes 8000 or 16000). */
  to: number;
  /** Input channels: 1, or 2 for interleaved stereo, averaged to mono. Default 1. */
  channels?: 1 | 2;
  /** Filter quality, default 'high' (figures in dsp/README.md). */
  quality?: Quality;
}

export interface StreamSetup {
  readonly engine: Engine;
  readonly channels: 1 | 2;
  readonly quality: Quality;
  /** Group delay in seconds. */
  readonly latency: number;
}

export function openStream(options: StreamOptions): StreamSetup {
  if (typeof options !== 'object' || options === null) {
    throw new DspError('BAD_RATE', 'options must be an object such as { from: 48000, to: 16000 }');
  }
  const from = checkRate('from', options.from);
  const to = checkRate('to', options.to);
  const channels = options.channels ?? 1;
  if (channels !== 1 && channels !== 2) {
    throw new DspError('BAD_CHANNELS', `channels must be 1 or 2 (interleaved stereo), got ${String(channels)}`);
  }
  const quality = checkQuality(options.quality ?? 'high');
  const table = filterTable(from, to, quality);
  const rt = wasmRuntime();
  const engine = rt === null ? new JsFirEngine(table) : new WasmFirEngine(rt, table);
  return { engine, channels, quality, latency: table.delay / from };
}

let zeros = new Float32Array(0);

/**
 * Emits the tail (outputs standing for input already received), then resets. Returns the count.
 * A stream that never received a frame has no tail.
 */
export function flushEngine(engine: Engine, toInt16: boolean, fed: boolean): number {
  if (!fed) return 0;
  const { L, M, taps, delay } = engine.table;
  const [hlen, start, phase] = engine.position();
  const dq = Math.floor(M / L);
  const dp = M % L;
  // Walk the phase from the engine's position: output n stands for input time n*M/L - delay, and
  // the stream ends at input index hlen (exclusive).
  let q = start + taps - 1;
  let p = phase;
  let outputs = 0;
  let lastQ = hlen - 1;
  while (q - hlen + p / L < delay) {
    outputs++;
    lastQ = q;
    p += dp;
    q += dq;
    if (p >= L) {
      p -= L;
      q++;
    }
  }
  const need = lastQ - hlen + 1;
  if (outputs > 0) {
    if (zeros.length < need) zeros = new Float32Array(need);
    engine.run(zeros.subarray(0, need), need, IN_F32_MONO, toInt16);
  }
  engine.reset();
  return outputs;
}

export function disposedError(): DspError {
  return new DspError('DISPOSED', 'this object was disposed; create a new one');
}
