// Interleaved stereo pushed in chunks that do not hold whole frames: an odd number of samples
// (Int16 or Float32) or Uint8Array pushes of 4n+2 bytes, at the wire rate (16 kHz: passed through)
// or at 48 kHz (resampled per channel). The audio is a tone on the left channel and exact silence
// on the right. Today, with channel identification, an odd push through the resampling path
// swaps left and right in every later frame, silently; without it (downmix), 4n+2-byte pushes
// throw PARTIAL_FRAME every time. Contract: partial frames are carried over, for every format and
// channel count: the server must get all the audio, left on the left, the right still silent.
import { concatBytes } from '../helpers/bytes.ts';
import { cuts, leftToneFloat32, leftToneInt16, monoRms, stereoStats } from './audio.ts';
import { scenario, sleep } from './harness.ts';

const FRAMES = 16000;

export default scenario(
  {
    name: 'stereo',
    async run(h, [variant = '']) {
      const channelId = variant !== 'uint8-4n2-downmix';
      const srv = await h.server({ keepAudio: true });
      const stt = h.service(
        { endpoint: srv.endpoint, ...(channelId ? { enableChannelIdentification: true, numberOfChannels: 2 } : {}) },
        { listen: 'events', logger: 'capture' },
      );
      const rate = variant.endsWith('-48k') ? 48000 : 16000;
      const frames = (FRAMES * rate) / 16000;
      await h.start(stt, 3000, rate);
      const push = (call: string, chunk: Int16Array | Float32Array | Uint8Array): void =>
        void h.attempt(call, () => stt.pushAudio(chunk, { channels: 2 }));
      let pushes = 0;
      if (variant.startsWith('odd-')) {
        const pcm = variant.startsWith('odd-float32') ? leftToneFloat32(frames, rate) : leftToneInt16(frames, rate);
        for (const [a, b] of cuts(pcm.length, [321, 160, 479, 1, 2001, 640, 963, 3]))
          push(`push-${pushes++}`, pcm.subarray(a, b));
      } else if (variant.startsWith('uint8-4n2')) {
        const bytes = new Uint8Array(leftToneInt16(frames, rate).buffer);
        // Copies: a push may not rely on the caller's buffer alignment.
        for (const [a, b] of cuts(bytes.length, [642, 1282, 6, 4002, 2])) push(`push-${pushes++}`, bytes.slice(a, b));
      } else {
        throw new Error(`unknown variant ${variant}`);
      }
      await sleep(100);
      await h.stop(stt, 2500);
      const audio = concatBytes(srv.conns.flatMap((c) => c.audio));
      h.fact('variant', variant);
      h.fact('pushes', pushes);
      h.fact('framesPushed', FRAMES);
      if (channelId) h.fact('server', stereoStats(audio));
      else h.fact('server', { samples: audio.length / 2, rms: Math.round(monoRms(audio)) });
    },
  },
  import.meta.url,
);
