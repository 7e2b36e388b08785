// Test audio for the hostile scenarios: a tone on the left channel only (so a server can tell a
// swapped channel from a right one), odd-sized chunking, and what the server got, per channel.

/** Interleaved stereo, `frames` long: a sine on the left, exact silence on the right. */
export function leftToneInt16(frames: number, rate: number, freq = 440, amp = 12000): Int16Array {
  const out = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) out[2 * i] = Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

export function leftToneFloat32(frames: number, rate: number, freq = 440, amp = 0.4): Float32Array {
  const out = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) out[2 * i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

export function monoToneInt16(samples: number, rate: number, freq = 440, amp = 12000): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** Consecutive [start, end) ranges of `total` items, cycling through `sizes`. */
export function* cuts(total: number, sizes: readonly number[]): Generator<[number, number]> {
  for (let at = 0, k = 0; at < total; k++) {
    const end = Math.min(total, at + sizes[k % sizes.length]!);
    yield [at, end];
    at = end;
  }
}

export interface ChannelStats {
  frames: number;
  leftRms: number;
  rightRms: number;
  rightMaxAbs: number;
  /** Bytes not making a whole stereo frame. */
  leftoverBytes: number;
}

/** Per-channel levels of interleaved 16-bit LE stereo. */
export function stereoStats(bytes: Uint8Array): ChannelStats {
  const frames = Math.floor(bytes.length / 4);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let l2 = 0;
  let r2 = 0;
  let rMax = 0;
  for (let i = 0; i < frames; i++) {
    const l = v.getInt16(4 * i, true);
    const r = v.getInt16(4 * i + 2, true);
    l2 += l * l;
    r2 += r * r;
    rMax = Math.max(rMax, Math.abs(r));
  }
  const n = Math.max(1, frames);
  return {
    frames,
    leftRms: Math.sqrt(l2 / n),
    rightRms: Math.sqrt(r2 / n),
    rightMaxAbs: rMax,
    leftoverBytes: bytes.length % 4,
  };
}

export function monoRms(bytes: Uint8Array): number {
  const n = Math.floor(bytes.length / 2);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let s = 0;
  for (let i = 0; i < n; i++) s += v.getInt16(2 * i, true) ** 2;
  return Math.sqrt(s / Math.max(1, n));
}
