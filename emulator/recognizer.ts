/**
 * The default recognizer: an energy voice-activity detector over the received 16-bit PCM finds
 * utterances; each utterance "recognises" the next script entry. While it lasts, partial results
 * reveal the entry's words in proportion to the speech received (one more word per `msPerWord`);
 * after `endSilenceMs` of silence the final result (IsPartial false, same ResultId) covers them all.
 * Times come from the audio itself (bytes / rate), so audio sent faster than real time gives the
 * same results as real-time audio.
 */
import { randomUUID } from 'node:crypto';
import type { TranscriptResult } from '../core/transcript.js';
import { parseUtterance } from './script.js';
import type { ScriptUtterance } from './script.js';
import { buildResult } from './transcript-builder.js';
import type { ResultFeatures } from './transcript-builder.js';
import type { Recognizer, RecognizerContext, VadOptions } from './types.js';

export type { Recognizer, RecognizerContext, RecognizerFactory } from './types.js';

export const DEFAULT_VAD: Required<VadOptions> = {
  thresholdDbfs: -40,
  frameMs: 20,
  endSilenceMs: 500,
  minSpeechMs: 100,
  msPerWord: 250,
};

interface Utterance {
  startMs: number;
  lastSpeechEndMs: number;
  speechMs: number;
  silenceMs: number;
  /** Assigned once the speech is long enough to count; null when the script ran out. */
  script: ScriptUtterance | null | undefined;
  index: number;
  resultId: string;
  revealed: number;
  languages: readonly string[] | undefined;
}

const UNSTABLE_WORDS = { high: 1, medium: 2, low: 3 } as const;

class ScriptedRecognizer implements Recognizer {
  private readonly ctx: RecognizerContext;
  private readonly features: ResultFeatures;
  private readonly channels: number;
  private readonly frameSamples: number;
  private readonly frameBytes: number;
  private readonly frameMs: number;
  /** Mean square at or above which a frame is speech. */
  private readonly thresholdSquare: number;
  private readonly pcm: boolean;
  /** A frame split across pushes. */
  private readonly carry: Uint8Array;
  private carried = 0;
  private framesDone = 0;
  private opaqueBytes = 0;
  private nextScript = 0;
  private readonly open: (Utterance | null)[];
  private readonly out: TranscriptResult[] = [];

  constructor(ctx: RecognizerContext) {
    this.ctx = ctx;
    this.channels = ctx.channels;
    this.pcm = ctx.mediaEncoding === 'pcm';
    this.frameSamples = Math.max(1, Math.round((ctx.sampleRate * ctx.vad.frameMs) / 1000));
    this.frameMs = (this.frameSamples * 1000) / ctx.sampleRate;
    this.frameBytes = this.frameSamples * this.channels * 2;
    this.carry = new Uint8Array(this.frameBytes);
    const amplitude = 32768 * 10 ** (ctx.vad.thresholdDbfs / 20);
    this.thresholdSquare = amplitude * amplitude;
    this.open = new Array<Utterance | null>(this.channels).fill(null);
    const q = ctx.query;
    const identify = q['identify-language'] === 'true' || q['identify-multiple-languages'] === 'true';
    const options = identify ? (q['language-options'] ?? '').split(',').filter((c) => c !== '') : [];
    const preferred = q['preferred-language'];
    this.features = {
      medical: ctx.medical,
      stabilization: q['enable-partial-results-stabilization'] === 'true',
      unstableWords: UNSTABLE_WORDS[(q['partial-results-stability'] as keyof typeof UNSTABLE_WORDS | undefined) ?? 'high'] ?? 1,
      speakerLabels: q['show-speaker-label'] === 'true',
      channelIdentification: q['enable-channel-identification'] === 'true',
      languageCandidates: identify
        ? preferred !== undefined && options.includes(preferred)
          ? [preferred, ...options.filter((c) => c !== preferred)]
          : options
        : undefined,
    };
  }

  push(audio: Uint8Array): readonly TranscriptResult[] {
    this.out.length = 0;
    if (!this.pcm) {
      // Compressed audio cannot be measured without a decoder: it is all speech of unknown length.
      this.opaqueBytes += audio.length;
      return this.out;
    }
    let i = 0;
    if (this.carried > 0) {
      const take = Math.min(this.frameBytes - this.carried, audio.length);
      this.carry.set(audio.subarray(0, take), this.carried);
      this.carried += take;
      i = take;
      if (this.carried < this.frameBytes) return this.out;
      this.frame(new DataView(this.carry.buffer), 0);
      this.carried = 0;
    }
    const view = new DataView(audio.buffer, audio.byteOffset, audio.byteLength);
    for (; i + this.frameBytes <= audio.length; i += this.frameBytes) this.frame(view, i);
    if (i < audio.length) {
      this.carry.set(audio.subarray(i), 0);
      this.carried = audio.length - i;
    }
    return this.out;
  }

  flush(): readonly TranscriptResult[] {
    this.out.length = 0;
    for (let c = 0; c < this.channels; c++) {
      const u = this.open[c];
      if (u) this.finish(u, c);
      this.open[c] = null;
    }
    if (!this.pcm && this.opaqueBytes > 0) {
      const u = this.begin(0);
      this.assign(u);
      if (u.script) {
        u.lastSpeechEndMs = u.script.words.length * this.ctx.vad.msPerWord;
        u.speechMs = u.lastSpeechEndMs;
        this.finish(u, 0);
      }
    }
    return this.out;
  }

  /** One analysis frame (all channels) at byte `offset` of `view`. */
  private frame(view: DataView, offset: number): void {
    const t0 = this.framesDone * this.frameMs;
    const t1 = t0 + this.frameMs;
    this.framesDone++;
    const step = this.channels * 2;
    for (let c = 0; c < this.channels; c++) {
      let sum = 0;
      for (let p = offset + c * 2, end = offset + this.frameBytes; p < end; p += step) {
        const s = view.getInt16(p, true);
        sum += s * s;
      }
      this.vad(c, sum / this.frameSamples >= this.thresholdSquare, t0, t1);
    }
  }

  private vad(channel: number, speech: boolean, t0: number, t1: number): void {
    const vad = this.ctx.vad;
    let u = this.open[channel] ?? null;
    if (speech) {
      if (u === null) {
        u = this.begin(t0);
        this.open[channel] = u;
      }
      u.speechMs += t1 - t0;
      u.lastSpeechEndMs = t1;
      u.silenceMs = 0;
      if (u.speechMs >= vad.minSpeechMs) {
        this.assign(u);
        if (u.script) {
          const words = u.script.words.length;
          const revealed = Math.min(words, 1 + Math.floor((u.speechMs - vad.minSpeechMs) / vad.msPerWord));
          if (revealed > u.revealed) {
            u.revealed = revealed;
            this.out.push(this.result(u, channel, true, t1));
          }
        }
      }
    } else if (u !== null) {
      u.silenceMs += t1 - t0;
      if (u.silenceMs >= vad.endSilenceMs) {
        this.finish(u, channel);
        this.open[channel] = null;
      }
    }
  }

  private begin(startMs: number): Utterance {
    return {
      startMs,
      lastSpeechEndMs: startMs,
      speechMs: 0,
      silenceMs: 0,
      script: undefined,
      index: -1,
      resultId: randomUUID(),
      revealed: 0,
      languages: undefined,
    };
  }

  /** Gives the utterance the next script entry (in the order utterances became real speech). */
  private assign(u: Utterance): void {
    if (u.script !== undefined) return;
    const entry = this.ctx.script[this.nextScript];
    if (entry === undefined) {
      u.script = null;
      return;
    }
    u.index = this.nextScript++;
    u.script = parseUtterance(entry);
    if (u.script.words.length === 0) u.script = null;
    const candidates = this.features.languageCandidates;
    const own = u.script?.languageCode;
    u.languages = candidates && own !== undefined ? [own, ...candidates.filter((c) => c !== own)] : candidates;
  }

  private finish(u: Utterance, channel: number): void {
    if (u.speechMs < this.ctx.vad.minSpeechMs) return; // a click, not speech
    this.assign(u);
    if (!u.script) return;
    u.revealed = u.script.words.length;
    this.out.push(this.result(u, channel, false, u.lastSpeechEndMs));
  }

  private result(u: Utterance, channel: number, partial: boolean, endMs: number): TranscriptResult {
    const script = u.script!;
    const p = this.ctx.vad.msPerWord;
    const times: { start: number; end: number }[] = [];
    if (partial) {
      // A revealed word keeps the slot it was revealed in (start + i * msPerWord), so stable words
      // do not move from one partial to the next.
      for (let w = 0; w < u.revealed; w++) {
        const start = Math.min(u.startMs + w * p, endMs);
        times.push({ start, end: Math.min(start + p * 0.9, endMs) });
      }
    } else {
      // The final spreads the words over the whole utterance, as a recogniser's alignment would.
      const slot = (endMs - u.startMs) / u.revealed;
      for (let w = 0; w < u.revealed; w++) {
        const start = u.startMs + w * slot;
        times.push({ start, end: w === u.revealed - 1 ? endMs : start + slot * 0.9 });
      }
    }
    return buildResult({
      resultId: u.resultId,
      utterance: script,
      utteranceIndex: u.index,
      revealed: u.revealed,
      wordTimes: times,
      startMs: u.startMs,
      endMs,
      partial,
      channel,
      features: { ...this.features, languageCandidates: u.languages },
    });
  }
}

/** The default recognizer factory: scripted utterances found by energy VAD. */
export function scriptedRecognizer(context: RecognizerContext): Recognizer {
  return new ScriptedRecognizer(context);
}
