/**
 * LiveKit AudioFrames (Int16, interleaved, any rate: 48 kHz from rooms) into the service, which
 * downmixes stereo and resamples to the wire rate itself. Only frames of more than two channels
 * are mixed down here, into a buffer reused from frame to frame.
 */

import type { AudioFrame } from '@livekit/rtc-node';
import type { AWSTranscribeSTTService } from '../node.js';

export class FramePusher {
  #mono = new Int16Array(0);

  /** Push `frame`; returns its duration in seconds (0 for an empty frame). */
  push(svc: AWSTranscribeSTTService, frame: AudioFrame): number {
    return this.pushPcm(svc, frame.data, frame.sampleRate, frame.channels, frame.samplesPerChannel);
  }

  /** `samples` per channel of interleaved `data` at `sampleRate`; returns their duration in seconds. */
  pushPcm(
    svc: AWSTranscribeSTTService,
    data: Int16Array,
    sampleRate: number,
    channels: number,
    samples: number,
  ): number {
    if (samples === 0) return 0;
    const pcm = data.subarray(0, samples * channels);
    if (channels === 1 || channels === 2) svc.pushAudio(pcm, { sampleRate, channels });
    else svc.pushAudio(this.#downmix(pcm, channels, samples), { sampleRate });
    return samples / sampleRate;
  }

  #downmix(data: Int16Array, channels: number, samples: number): Int16Array {
    if (this.#mono.length < samples) this.#mono = new Int16Array(samples);
    const out = this.#mono.subarray(0, samples);
    for (let i = 0, k = 0; i < samples; i++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += data[k++]!;
      out[i] = Math.round(sum / channels);
    }
    return out;
  }
}
