/**
 * Sample formats the command line reads (WAV payloads and raw PCM on stdin) and their decoding to
 * what `pushAudio` takes: Int16Array for 8/16-bit and G.711, Float32Array (-1..1) for the rest.
 * Output buffers are reused from block to block; views are taken where the bytes are aligned.
 */

export type SampleFormat = 'u8' | 's16le' | 's24le' | 's32le' | 'f32le' | 'f64le' | 'alaw' | 'ulaw';

export const SAMPLE_FORMATS: readonly SampleFormat[] = [
  's16le',
  's24le',
  's32le',
  'f32le',
  'f64le',
  'u8',
  'alaw',
  'ulaw',
];

const BYTES: Record<SampleFormat, number> = {
  u8: 1,
  s16le: 2,
  s24le: 3,
  s32le: 4,
  f32le: 4,
  f64le: 8,
  alaw: 1,
  ulaw: 1,
};

const NAMES: Record<SampleFormat, string> = {
  u8: 'PCM 8-bit unsigned',
  s16le: 'PCM 16-bit',
  s24le: 'PCM 24-bit',
  s32le: 'PCM 32-bit',
  f32le: '32-bit float',
  f64le: '64-bit float',
  alaw: 'G.711 A-law',
  ulaw: 'G.711 µ-law',
};

export function bytesPerSample(format: SampleFormat): number {
  return BYTES[format];
}

export function formatName(format: SampleFormat): string {
  return NAMES[format];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let ulawTable: Int16Array | undefined;
let alawTable: Int16Array | undefined;

/** ITU-T G.711 µ-law expansion (the reference decoder's arithmetic). */
function ulaw(): Int16Array {
  if (ulawTable) return ulawTable;
  ulawTable = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
    ulawTable[i] = u & 0x80 ? 0x84 - t : t - 0x84;
  }
  return ulawTable;
}

/** ITU-T G.711 A-law expansion (even bits inverted, per the standard). */
function alaw(): Int16Array {
  if (alawTable) return alawTable;
  alawTable = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const a = i ^ 0x55;
    const seg = (a & 0x70) >> 4;
    let t = (a & 0x0f) << 4;
    if (seg === 0) t += 8;
    else t = (t + 0x108) << (seg - 1);
    alawTable[i] = a & 0x80 ? t : -t;
  }
  return alawTable;
}

export class PcmDecoder {
  readonly format: SampleFormat;
  #i16 = new Int16Array(0);
  #f32 = new Float32Array(0);

  constructor(format: SampleFormat) {
    this.format = format;
  }

  /** Samples of `bytes` (whole samples only), valid until the next call. */
  decode(bytes: Uint8Array): Int16Array | Float32Array {
    const n = Math.floor(bytes.length / BYTES[this.format]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (this.format) {
      case 's16le': {
        if (LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, n);
        const out = this.#ints(n);
        for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
        return out;
      }
      case 'u8': {
        const out = this.#ints(n);
        for (let i = 0; i < n; i++) out[i] = (bytes[i]! - 128) << 8;
        return out;
      }
      case 'alaw':
      case 'ulaw': {
        const table = this.format === 'alaw' ? alaw() : ulaw();
        const out = this.#ints(n);
        for (let i = 0; i < n; i++) out[i] = table[bytes[i]!]!;
        return out;
      }
      case 's24le': {
        const out = this.#floats(n);
        for (let i = 0, p = 0; i < n; i++, p += 3) {
          // Sign-extend the 24-bit value through the top of a 32-bit int.
          out[i] = (((bytes[p + 2]! << 24) | (bytes[p + 1]! << 16) | (bytes[p]! << 8)) >> 8) / 8388608;
        }
        return out;
      }
      case 's32le': {
        const out = this.#floats(n);
        for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true) / 2147483648;
        return out;
      }
      case 'f32le': {
        if (LITTLE_ENDIAN && (bytes.byteOffset & 3) === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
        const out = this.#floats(n);
        for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
        return out;
      }
      case 'f64le': {
        const out = this.#floats(n);
        for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
        return out;
      }
    }
  }

  #ints(n: number): Int16Array {
    if (this.#i16.length < n) this.#i16 = new Int16Array(n);
    return this.#i16.subarray(0, n);
  }

  #floats(n: number): Float32Array {
    if (this.#f32.length < n) this.#f32 = new Float32Array(n);
    return this.#f32.subarray(0, n);
  }
}
