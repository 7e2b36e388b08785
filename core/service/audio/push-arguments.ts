/**
 * What `start()` and `pushAudio()` accept: typed errors (INVALID_AUDIO, or OptionError for
 * start) that name the argument and what would be right.
 */

import { OptionError, TranscribeError } from '../../errors.js';
import { describeValue } from '../../sigv4/redact.js';

/** The options of one `pushAudio()`. */
export interface PushAudioOptions {
  /** Rate of this chunk (default: the rate given to `start`). */
  sampleRate?: number;
  /** 1 (default) or 2 (interleaved stereo, downmixed). */
  channels?: 1 | 2;
  /**
   * Whose audio this is, for the frames of its results (multi-user transports); default: the `userId`
   * given to `start()`.
   */
  userId?: string;
}

export function isRate(rate: unknown): rate is number {
  return typeof rate === 'number' && Number.isInteger(rate) && rate >= 8000 && rate <= 192_000;
}

/** The rate given to start(): an OptionError unless it is one the service takes. */
export function startRate(rate: unknown): number {
  if (isRate(rate)) return rate;
  const got = describeValue(rate);
  throw new OptionError('sampleRate', `start({ sampleRate }) must be an integer from 8000 to 192000 (Hz), got ${got}`);
}

/** The type of a wrong argument, for the message: `Array`, `ArrayBuffer`, `String`, `Null`... */
function typeName(v: unknown): string {
  return Object.prototype.toString.call(v).slice(8, -1);
}

export function checkAudioType(audio: unknown): asserts audio is Int16Array | Float32Array | Uint8Array {
  if (!(audio instanceof Int16Array || audio instanceof Float32Array || audio instanceof Uint8Array)) {
    throw new TranscribeError(
      'INVALID_AUDIO',
      `pushAudio: expected an Int16Array, a Float32Array or a Uint8Array (16-bit LE PCM), got ${typeName(audio)}`,
    );
  }
}

/**
 * Rate, channels and duration of one push (`rate` and `channels` as given, defaults applied by the
 * caller); the service's `channels` (2 with channel identification) and `bufferSeconds` bound them.
 */
export function pushShape(
  audio: Int16Array | Float32Array | Uint8Array,
  rate: unknown,
  channels: unknown,
  service: { channels: 1 | 2; bufferSeconds: number },
): { rate: number; channels: 1 | 2; seconds: number } {
  if (!isRate(rate))
    throw new TranscribeError(
      'INVALID_AUDIO',
      `pushAudio({ sampleRate }) must be an integer from 8000 to 192000 (Hz), got ${describeValue(rate)}`,
    );
  if (channels !== 1 && channels !== 2)
    throw new TranscribeError(
      'INVALID_AUDIO',
      `pushAudio({ channels }) must be 1 or 2, got ${describeValue(channels)}`,
    );
  if (service.channels === 2 && channels !== 2) {
    throw new TranscribeError(
      'INVALID_AUDIO',
      'pushAudio: channel identification needs interleaved stereo: pass { channels: 2 }',
    );
  }
  const samples = audio instanceof Uint8Array ? audio.length / 2 : audio.length;
  const seconds = samples / channels / rate;
  const most = Math.max(service.bufferSeconds, 1);
  if (seconds > most) {
    throw new TranscribeError(
      'INVALID_AUDIO',
      `pushAudio: ${seconds.toFixed(1)} s of audio in one call; push at most ${most} s (bufferSeconds) at a time, at ` +
        `the pace of speech`,
    );
  }
  return { rate, channels, seconds };
}
