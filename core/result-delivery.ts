/**
 * From TranscriptEvents to frames: result times moved onto the service's timeline (the audio sent on
 * earlier streams comes first), consecutive identical interims dropped per channel, one final frame
 * per result, and the TTFS measured the way Pipecat does.
 */

import type { ServiceHost } from './service-host.js';
import type { TranscriptEvent, TranscriptResult } from './transcript.js';

export class ResultDelivery {
  readonly #host: ServiceHost;
  readonly #lastInterim = new Map<string, string>();
  #speechStoppedAt: number | undefined;
  #utteranceStartAt: number | undefined;

  constructor(host: ServiceHost) {
    this.#host = host;
  }

  audioPushed(now: number): void {
    this.#utteranceStartAt ??= now;
  }

  userStoppedSpeaking(now: number): void {
    this.#speechStoppedAt = now;
  }

  /** Turn one TranscriptEvent of a stream whose audio starts at `offsetSeconds` into frames. */
  deliver(event: TranscriptEvent, offsetSeconds: number): void {
    const host = this.#host;
    for (const r of event.Transcript.Results) {
      shiftTimes(r, offsetSeconds);
      const text = r.Alternatives[0]?.Transcript ?? '';
      if (!text.trim()) continue;
      const key = r.ChannelId ?? '';
      const now = host.now();
      const base = { text, userId: host.userId, timestamp: new Date(now).toISOString(), language: r.LanguageCode ?? host.languageCode, result: r };
      if (r.IsPartial) {
        if (this.#lastInterim.get(key) === text) continue;
        this.#lastInterim.set(key, text);
        host.emitFrame({ type: 'interimTranscription', ...base });
      } else {
        this.#lastInterim.delete(key);
        this.#measure(r, now);
        host.emitFrame({ type: 'transcription', ...base });
      }
    }
  }

  #measure(r: TranscriptResult, now: number): void {
    const host = this.#host;
    const from = this.#speechStoppedAt ?? host.audioClock.wallTimeAt(r.EndTime);
    this.#speechStoppedAt = undefined;
    const startedAt = this.#utteranceStartAt;
    this.#utteranceStartAt = undefined;
    if (from === undefined || from > now) return;
    const ttfs = (now - from) / 1000;
    host.ttfs.add(ttfs);
    host.emitter.emit('metrics', { ttfs, processing: startedAt === undefined ? ttfs : (now - startedAt) / 1000 });
  }
}

function shiftTimes(r: TranscriptResult, offset: number): void {
  if (offset === 0) return;
  r.StartTime += offset;
  r.EndTime += offset;
  for (const alt of r.Alternatives) {
    for (const item of alt.Items ?? []) {
      item.StartTime += offset;
      item.EndTime += offset;
    }
    for (const e of alt.Entities ?? []) {
      e.StartTime += offset;
      e.EndTime += offset;
    }
  }
}
