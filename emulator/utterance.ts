/**
 * One utterance of the scripted recognizer, from its first speech frame to its last final:
 * which words the speech has revealed, which segment (final result) they belong to, and which
 * words are stable. It turns those into results in AWS's order:
 * - partials grow by a word per `msPerWord` of speech; the last `unstableWords` words stay
 *   unstable (stability high 1, medium 2, low 3);
 * - with stabilization, the words still unstable when the speech stops turn stable one at a time
 *   over the trailing silence: partials with the same text and more `Stable: true` items, before
 *   the final (as AWS sends them);
 * - a segmented entry (`finals`) ends a segment with its final when the speech reaches the next
 *   segment's first word, and the next segment starts with a new ResultId.
 */
import { randomUUID } from 'node:crypto';
import type { TranscriptResult } from '../core/transcribe/transcript.js';
import type { ScriptUtterance } from './script.js';
import { buildResult } from './transcript-builder.js';
import type { ResultFeatures } from './transcript-builder.js';
import type { VadOptions } from './types.js';

export interface UtteranceContext {
  vad: Required<VadOptions>;
  features: ResultFeatures;
  /** Trailing words of a partial left unstable (high 1, medium 2, low 3). */
  unstableWords: number;
  /** Receives every result, with the entry's final delay when it sets one. */
  emit: (result: TranscriptResult, finalDelayMs: number | undefined) => void;
}

export class Utterance {
  readonly startMs: number;
  lastSpeechEndMs: number;
  speechMs = 0;
  silenceMs = 0;
  /** Assigned once the speech is long enough to count; null when the script ran out. */
  script: ScriptUtterance | null | undefined = undefined;
  index = -1;
  languages: readonly string[] | undefined = undefined;

  private readonly ctx: UtteranceContext;
  private readonly channel: number;
  private segment = 0;
  private segmentStartMs: number;
  private resultId = randomUUID();
  /** Words revealed so far, all segments counted. */
  private revealed = 0;
  /** Words marked stable so far, all segments counted. */
  private stable = 0;
  /** `stable` when the speech last stopped; the trailing silence stabilises from there. */
  private stableAtPause = 0;
  /** EndTime of the last partial: a stabilisation update repeats it, so only `Stable` changes. */
  private partialEndMs = 0;

  constructor(startMs: number, channel: number, ctx: UtteranceContext) {
    this.startMs = startMs;
    this.lastSpeechEndMs = startMs;
    this.segmentStartMs = startMs;
    this.channel = channel;
    this.ctx = ctx;
  }

  /** A speech frame ending at `t1` (the script is assigned): reveal words, end passed segments. */
  speak(t1: number): void {
    const script = this.script;
    if (!script) return;
    const vad = this.ctx.vad;
    const target = Math.min(script.words.length, 1 + Math.floor((this.speechMs - vad.minSpeechMs) / vad.msPerWord));
    if (target > this.revealed) {
      this.revealed = target;
      while (this.segment < script.segmentEnds.length - 1 && this.revealed > this.segmentEnd()) {
        const end = this.segmentEnd();
        // The next segment begins where its first word's slot does (never before this one, never after now).
        const boundary = Math.min(Math.max(this.startMs + end * vad.msPerWord, this.segmentStartMs), t1);
        this.final(this.segmentStartMs, boundary);
        this.segment++;
        this.segmentStartMs = boundary;
        this.resultId = randomUUID();
      }
      this.stable = Math.max(this.stable, this.revealed - this.ctx.unstableWords, this.segmentStart());
      this.partial(t1);
    }
    this.stableAtPause = this.stable;
  }

  /** A silence frame short of the end of the utterance: the unstable words settle one by one. */
  pause(): void {
    const f = this.ctx.features;
    const endSilenceMs = this.ctx.vad.endSilenceMs;
    if (!this.script || !f.stabilization || f.medical || endSilenceMs <= 0 || this.stable >= this.revealed) return;
    const settled = Math.floor((this.silenceMs * (this.ctx.unstableWords + 1)) / endSilenceMs);
    const target = Math.min(this.revealed, this.stableAtPause + settled);
    if (target <= this.stable) return;
    this.stable = target;
    this.partial(this.partialEndMs);
  }

  /** The utterance is over: every remaining segment gets its final, words spread over the rest of the speech. */
  finish(): void {
    const script = this.script;
    if (!script) return;
    const first = this.segmentStart();
    const span = this.lastSpeechEndMs - this.segmentStartMs;
    const words = script.words.length - first;
    this.revealed = script.words.length;
    while (this.segment < script.segmentEnds.length) {
      const end = this.segmentEnd();
      const last = this.segment === script.segmentEnds.length - 1;
      const endMs = last ? this.lastSpeechEndMs : this.segmentStartMs + (span * (end - this.segmentStart())) / words;
      this.final(this.segmentStartMs, endMs);
      if (last) break;
      this.segment++;
      this.segmentStartMs = endMs;
      this.resultId = randomUUID();
    }
  }

  private segmentStart(): number {
    return this.segment === 0 ? 0 : this.script!.segmentEnds[this.segment - 1]!;
  }

  private segmentEnd(): number {
    return this.script!.segmentEnds[this.segment]!;
  }

  private partial(endMs: number): void {
    this.partialEndMs = endMs;
    const p = this.ctx.vad.msPerWord;
    const first = this.segmentStart();
    const times: { start: number; end: number }[] = [];
    // A revealed word keeps the slot it was revealed in (utterance start + i * msPerWord), so
    // stable words do not move from one partial to the next.
    for (let w = first; w < this.revealed; w++) {
      const start = Math.min(this.startMs + w * p, endMs);
      times.push({ start, end: Math.min(start + p * 0.9, endMs) });
    }
    this.ctx.emit(
      this.result(first, this.revealed, this.stable - first, times, this.segmentStartMs, endMs, true),
      undefined,
    );
  }

  private final(startMs: number, endMs: number): void {
    const first = this.segmentStart();
    const end = this.segmentEnd();
    // The final spreads the words over the whole segment, as a recogniser's alignment would.
    const slot = (endMs - startMs) / (end - first);
    const times: { start: number; end: number }[] = [];
    for (let w = 0; w < end - first; w++) {
      const start = startMs + w * slot;
      times.push({ start, end: w === end - first - 1 ? endMs : start + slot * 0.9 });
    }
    this.ctx.emit(this.result(first, end, end - first, times, startMs, endMs, false), this.script!.finalDelayMs);
  }

  private result(
    first: number,
    end: number,
    stableWords: number,
    wordTimes: { start: number; end: number }[],
    startMs: number,
    endMs: number,
    partial: boolean,
  ): TranscriptResult {
    const script = this.script!;
    return buildResult({
      resultId: this.resultId,
      words: script.words.slice(first, end),
      speaker: script.speaker,
      utteranceIndex: this.index,
      firstWord: first,
      stableWords,
      wordTimes,
      startMs,
      endMs,
      partial,
      channel: this.channel,
      features: { ...this.ctx.features, languageCandidates: this.languages },
    });
  }
}
