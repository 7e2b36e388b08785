/**
 * Speech-like test audio for the energy VAD: voiced bursts (a few harmonics of a gliding pitch,
 * with a syllable-rate envelope that never drops to silence) separated by digital silence, as
 * 16-bit little-endian PCM. Enough for the emulator to find utterances; no speech content.
 */

export type AudioSegment =
  | { speechMs: number /** Channels that speak (default all). */; channels?: readonly number[] }
  | { silenceMs: number };

export interface SpeechPcmOptions {
  sampleRate?: number;
  channels?: number;
  /** Peak amplitude of a voiced burst, 0..32767. Default 8000 (about -16 dBFS RMS). */
  amplitude?: number;
}

/** PCM bytes for `segments` in order, channels interleaved. */
export function speechLikePcm(segments: readonly AudioSegment[], opts: SpeechPcmOptions = {}): Uint8Array {
  const rate = opts.sampleRate ?? 16000;
  const channels = opts.channels ?? 1;
  const amplitude = opts.amplitude ?? 8000;
  let frames = 0;
  for (const s of segments) frames += Math.round((('speechMs' in s ? s.speechMs : s.silenceMs) * rate) / 1000);
  const out = new Uint8Array(frames * channels * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  let seed = 12345;
  for (const s of segments) {
    const n = Math.round((('speechMs' in s ? s.speechMs : s.silenceMs) * rate) / 1000);
    if ('speechMs' in s) {
      const speaking = s.channels ?? Array.from({ length: channels }, (_, c) => c);
      let phase = 0;
      for (let i = 0; i < n; i++) {
        const t = i / rate;
        const pitch = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
        phase += (2 * Math.PI * pitch) / rate;
        const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const noise = (seed / 0x100000000 - 0.5) * 0.1;
        const v = envelope * (0.6 * Math.sin(phase) + 0.25 * Math.sin(2 * phase) + 0.15 * Math.sin(3 * phase) + noise);
        const sample = Math.max(-32768, Math.min(32767, Math.round(v * amplitude)));
        for (const c of speaking) if (c < channels) view.setInt16(((at + i) * channels + c) * 2, sample, true);
      }
    }
    at += n;
  }
  return out;
}
