/**
 * `recognize()` for a recorded buffer, which Amazon Transcribe streaming can only do as a stream:
 * open one, send the audio paced (a 1 s burst, then twice real time: the pace at which the service
 * itself replays a backlog after a reconnect, which AWS accepts), end it, and join the finals into
 * one FINAL_TRANSCRIPT. A 10 s buffer takes about 5 s.
 */

import type { AudioBuffer, stt } from '@livekit/agents';
import { AWSTranscribeSTTService, Pacer } from '../node.js';
import { FramePusher } from './audio.js';
import { stopFailure, toAPIError } from './errors.js';
import type { STTOptions } from './options.js';
import { serviceOptions, wireRate } from './options.js';
import { agents } from './peers.js';
import { joinSpeechData, speechData } from './speech-data.js';

const CHUNK_SECONDS = 0.1;

export async function recognizeBuffer(
  buffer: AudioBuffer,
  opts: STTOptions,
  label: string,
  abortSignal?: AbortSignal,
): Promise<stt.SpeechEvent> {
  abortSignal?.throwIfAborted();
  const svc = new AWSTranscribeSTTService(serviceOptions(opts, label));
  const finals: stt.SpeechData[] = [];
  let requestId = '';
  let failure: unknown;
  svc.on('transcription', (f) => finals.push(speechData(f.result, f.text, f.language, 0)));
  svc.on('connected', (c) => (requestId ||= c.sessionId ?? ''));
  svc.on('error', (f) => {
    if (f.fatal) failure ??= f.error;
  });
  const cancel = (): void => svc.cancel();
  abortSignal?.addEventListener('abort', cancel, { once: true });
  try {
    await svc.start({ sampleRate: wireRate(opts) }).catch((err: unknown) => (failure ??= err));
    const pacer = new Pacer({ speed: 2, burstSeconds: 1 });
    const pusher = new FramePusher();
    let seconds = 0;
    pacer.start();
    // Frame by frame (the framework's mergeFrames copies quadratically: 4 s for 340 frames of 10 ms).
    for (const frame of Array.isArray(buffer) ? buffer : [buffer]) {
      const { data, sampleRate, channels, samplesPerChannel } = frame;
      const step = Math.max(1, Math.round(sampleRate * CHUNK_SECONDS));
      for (let at = 0; at < samplesPerChannel && failure === undefined; at += step) {
        seconds += pusher.pushPcm(
          svc,
          data.subarray(at * channels),
          sampleRate,
          channels,
          Math.min(step, samplesPerChannel - at),
        );
        await pacer.wait(seconds);
        abortSignal?.throwIfAborted();
      }
    }
    if (failure === undefined) failure = stopFailure(await svc.stop());
    abortSignal?.throwIfAborted();
    if (failure !== undefined) throw toAPIError(failure);
  } finally {
    abortSignal?.removeEventListener('abort', cancel);
    svc.cancel();
  }
  const data = joinSpeechData(finals);
  return { type: agents.stt.SpeechEventType.FINAL_TRANSCRIPT, requestId, ...(data ? { alternatives: [data] } : {}) };
}
