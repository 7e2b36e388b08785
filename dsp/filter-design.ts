/**
 * Kaiser-windowed sinc design of the polyphase tables both backends share (the WebAssembly kernel
 * and the TypeScript fallback read the same Float32 coefficients, so they agree to float rounding).
 *
 * Specs are fractions of the lower of the two Nyquist frequencies (fN). 'high' is soxr-HQ level:
 * <= 0.01 dB ripple to 0.90 fN, -3 dB at 0.947 fN, >= 125 dB rejection from 1.025 fN (sized for
 * 128 dB so that it rejects more than speex q10's 124); measured figures are in dsp/README.md.
 * Upsampling stops at 1.0 fN so that no image of an in-band tone survives (there is no later stage
 * to remove it).
 */
import { DspError } from './errors.js';

export type Quality = 'fast' | 'balanced' | 'high';

/**
 * [edge of the flat band (Kaiser sense), start of the stopband] as fractions of fN, and the
 * stopband attenuation the Kaiser window is sized for, in dB.
 */
type Spec = readonly [pass: number, stop: number, atten: number];

// Chosen by search (scratch design script): the fewest taps that meet each row with margin.
const SPECS: Record<Quality, Spec> = {
  high: [0.89, 1.025, 128],
  balanced: [0.8, 1.0, 100],
  fast: [0.7, 1.0, 80],
};

/** Largest L with an exact polyphase table; above it, linear interpolation between P rows. */
const MAX_EXACT_L = 1024;
/** Rows per input sample in interpolated mode: 256 keeps the interpolation error near -125 dB at 0.9 fN. */
const INTERP_ROWS = 256;

export const MIN_RATE = 8000;
export const MAX_RATE = 192000;

export interface FilterTable {
  /** Upsampling factor: output rate / gcd. */
  readonly L: number;
  /** Downsampling factor: input rate / gcd. */
  readonly M: number;
  /** Taps per row, a multiple of 4 (zero-padded at the oldest end). */
  readonly taps: number;
  /** 0 for an exact table of L rows; else P, with P + 1 rows interpolated linearly. */
  readonly interp: number;
  /** Rows of `taps` coefficients, each time-reversed (oldest sample first). */
  readonly coefs: Float32Array;
  /** Group delay in input samples: output n stands for input time n*M/L - delay. */
  readonly delay: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges for the betas used). */
function besselI0(x: number): number {
  const h = x / 2;
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 500; k++) {
    const r = h / k;
    term *= r * r;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export function checkRate(name: string, rate: unknown): number {
  // Number.isInteger is false for anything but an integral number (strings, NaN, undefined).
  if (!Number.isInteger(rate) || (rate as number) < MIN_RATE || (rate as number) > MAX_RATE) {
    throw new DspError(
      'BAD_RATE',
      `${name} must be an integer sample rate from ${MIN_RATE} to ${MAX_RATE} Hz, got ${String(rate)}`,
    );
  }
  return rate as number;
}

export function checkQuality(quality: unknown): Quality {
  if (typeof quality === 'string' && Object.hasOwn(SPECS, quality)) return quality as Quality;
  throw new DspError('BAD_QUALITY', `quality must be 'fast', 'balanced' or 'high', got ${String(quality)}`);
}

const cache = new Map<string, FilterTable>();

/** The table for a rate pair and quality, designed once per process and shared. */
export function filterTable(from: number, to: number, quality: Quality): FilterTable {
  const key = `${from}>${to}:${quality}`;
  let table = cache.get(key);
  if (table === undefined) {
    table = design(from, to, SPECS[quality]);
    cache.set(key, table);
  }
  return table;
}

function design(from: number, to: number, [pass, specStop, a]: Spec): FilterTable {
  const g = gcd(from, to);
  const L = to / g;
  const M = from / g;
  if (L === 1 && M === 1) {
    return { L, M, taps: 4, interp: 0, coefs: new Float32Array([0, 0, 0, 1]), delay: 0 };
  }
  const nyquist = Math.min(from, to) / 2;
  const stop = to > from ? Math.min(specStop, 1) : specStop;
  const cutoff = ((pass + stop) / 2) * nyquist; // the -6 dB point of the windowed sinc
  const width = (stop - pass) * nyquist;
  const interp = L <= MAX_EXACT_L ? 0 : INTERP_ROWS;
  const R = interp === 0 ? L : interp; // prototype rate = R * from
  const fs = R * from;
  const beta = 0.1102 * (a - 8.7); // Kaiser's formula for a > 50 dB
  const order = Math.ceil((a - 8) / (2.285 * 2 * Math.PI * (width / fs))) + 1;
  const perRow = Math.ceil(order / R);
  const K = perRow * R;
  const taps = (perRow + 3) & ~3;
  const center = (K - 1) / 2;
  const norm = besselI0(beta);
  const fc = (2 * cutoff) / fs; // cutoff as a fraction of the prototype's Nyquist
  const h = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const x = k - center;
    const r = x / center;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
    const s = x === 0 ? 1 : Math.sin(Math.PI * fc * x) / (Math.PI * fc * x);
    h[k] = R * fc * s * w; // R restores the gain the zero-stuffing spreads over R phases
  }
  const rows = interp === 0 ? L : interp + 1;
  const coefs = new Float32Array(rows * taps);
  for (let p = 0; p < rows; p++) {
    const base = p * taps + taps - 1;
    for (let j = 0; j < perRow; j++) {
      const k = p + j * R;
      if (k < K) coefs[base - j] = h[k] as number;
    }
  }
  return { L, M, taps, interp, coefs, delay: center / R };
}
