/**
 * The demo's audio where the recorded sample is not at hand (an installed package ships dist/
 * only): three bursts of speech-like sound (the emulator's test audio) timed like the three
 * sentences of emulator/sample/demo.wav, as a 48 kHz stereo WAV, so the demo still exercises the
 * whole path (downmix, resampling, framing, signing, the event stream) and the emulator
 * "recognises" the bursts as the same three lines. Nothing to download, 800 KB not shipped.
 */

import { speechLikePcm } from '../emulator/index.js';

/** The lines of emulator/sample/demo.txt (a test keeps them equal). */
export const DEMO_SCRIPT: readonly string[] = ['Hello there.', 'This is a live stream.', 'Goodbye for now.'];

const RATE = 48000;
const CHANNELS = 2;

/** Where the recorded sentences are (as the emulator finds them there), in ms. */
const SEGMENTS = [
  { silenceMs: 120 },
  { speechMs: 580 },
  { silenceMs: 680 },
  { speechMs: 1000 },
  { silenceMs: 680 },
  { speechMs: 820 },
  { silenceMs: 320 },
];

/** A canonical 44-byte-header PCM WAV of the synthesised sample. */
export function demoSampleWav(): Uint8Array {
  const pcm = speechLikePcm(SEGMENTS, { sampleRate: RATE, channels: CHANNELS });
  const out = new Uint8Array(44 + pcm.length);
  const v = new DataView(out.buffer);
  const tag = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  tag(0, 'RIFF');
  v.setUint32(4, 36 + pcm.length, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, CHANNELS, true);
  v.setUint32(24, RATE, true);
  v.setUint32(28, RATE * CHANNELS * 2, true);
  v.setUint16(32, CHANNELS * 2, true);
  v.setUint16(34, 16, true);
  tag(36, 'data');
  v.setUint32(40, pcm.length, true);
  out.set(pcm, 44);
  return out;
}
