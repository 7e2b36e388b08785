/**
 * Checked TranscriptEvents become the application's frames: result times moved onto the service's
 * timeline, partials that show nothing new left out, usage reported before each final, and the
 * TTFS meter told of each final.
 */

import type { ServiceEmitter } from './emitter.js';
import type { Frame } from './frames.js';
import type { AudioClock } from './metrics.js';
import type { TtfsMeter } from './ttfs-meter.js';
import type { TranscriptEvent, TranscriptResult } from '../transcribe/transcript.js';

/** Results of the same channel are de-duplicated together; AWS sends ch_0 and ch_1 at most. */
const CHANNELS = ['', 'ch_0', 'ch_1'];
/**
 * Times are rounded to 0.1 ms, the finest step AWS's times use (e.g. 2.4225): no float noise such as
 * 2.3499999999999996.
 */
const STEPS_PER_SECOND = 10_000;

export interface DeliveryContext {
  readonly emitter: ServiceEmitter;
  readonly clock: AudioClock;
  readonly meter: TtfsMeter;
  readonly counters: { readonly sentSeconds: number };
  now(): number;
  emit(frame: Frame): void;
  /** The user whose audio was pushed last. */
  userId(): string;
  /** The conversation language, when not identified per result. */
  language(): string | undefined;
}

export class ResultDelivery {
  readonly #ctx: DeliveryContext;
  /** The last partial per channel, as the application saw it. */
  readonly #interims: (string | undefined)[] = [undefined, undefined, undefined];
  /** Seconds of sent audio already reported in `usage` events. */
  #usageReported = 0;

  constructor(ctx: DeliveryContext) {
    this.#ctx = ctx;
  }

  /** A new run, or its end: nothing is remembered. */
  reset(): void {
    this.#interims.fill(undefined);
    this.#usageReported = 0;
  }

  /** Frames for one TranscriptEvent of a stream whose audio starts at `offset` seconds; returns its results shifted. */
  deliver(event: TranscriptEvent, offset: number): readonly TranscriptResult[] {
    const ctx = this.#ctx;
    for (const r of event.Transcript.Results) {
      shiftTimes(r, offset);
      const text = r.Alternatives[0]?.Transcript ?? '';
      if (!text.trim()) continue;
      const channel = Math.max(0, CHANNELS.indexOf(r.ChannelId ?? ''));
      const now = ctx.now();
      const base = {
        text,
        userId: ctx.userId(),
        timestamp: new Date(now).toISOString(),
        language: r.LanguageCode ?? ctx.language(),
        result: r,
      };
      if (r.IsPartial) {
        // What the application can see: the text, and which of its items became stable.
        const seen = visible(text, r);
        if (this.#interims[channel] === seen) continue;
        this.#interims[channel] = seen;
        ctx.emit({ type: 'interimTranscription', ...base });
        continue;
      }
      this.#interims[channel] = undefined;
      this.reportUsage();
      ctx.meter.final(now, ctx.clock.wallTimeAt(r.EndTime));
      ctx.emit({ type: 'transcription', ...base });
    }
    return event.Transcript.Results;
  }

  /** Audio sent since the last report (Pipecat reports usage before each final and once at the end). */
  reportUsage(): void {
    const total = this.#ctx.counters.sentSeconds;
    const audioSeconds = total - this.#usageReported;
    if (audioSeconds <= 0) return;
    this.#usageReported = total;
    this.#ctx.emitter.emit('usage', { audioSeconds, totalAudioSeconds: total });
  }
}

/** Result times on the service's timeline: a stream's times start at zero, so earlier streams' audio is added. */
export function shiftTimes(r: TranscriptResult, offset: number): void {
  if (offset === 0) return;
  r.StartTime = shift(r.StartTime, offset);
  r.EndTime = shift(r.EndTime, offset);
  for (const alt of r.Alternatives) {
    for (const t of alt.Items) {
      t.StartTime = shift(t.StartTime, offset);
      t.EndTime = shift(t.EndTime, offset);
    }
    for (const t of alt.Entities ?? []) {
      t.StartTime = shift(t.StartTime, offset);
      t.EndTime = shift(t.EndTime, offset);
    }
  }
}

function shift(t: number, offset: number): number {
  return Math.round((t + offset) * STEPS_PER_SECOND) / STEPS_PER_SECOND;
}

/** A partial as the application sees it: its text and the stability of each item ("1" stable, "0" not). */
function visible(text: string, r: TranscriptResult): string {
  let stable = '';
  for (const item of r.Alternatives[0]?.Items ?? []) stable += item.Stable === true ? '1' : '0';
  return `${stable}|${text}`;
}
