/**
 * The default recognizer: an energy voice-activity detector over the received 16-bit PCM finds
 * utterances; each utterance "recognises" the next script entry. While it lasts, partial results
 * reveal the entry's words in proportion to the speech received (one more word per `msPerWord`);
 * after `endSilenceMs` of silence the final result (IsPartial false, same ResultId) covers them all
 * (utterance.ts has the details: stabilisation, segmented entries). Times come from the audio
 * itself (bytes / rate), so audio sent faster than real time gives the same results as real-time
 * audio.
 */
import type { TranscriptResult } from '../core/transcribe/transcript.js';
import { parseUtterance } from './script.js';
import type { ResultFeatures } from './transcript-builder.js';
import type { Recognizer, RecognizerContext, VadOptions } from './types.js';
import { Utterance } from './utterance.js';
import type { UtteranceContext } from './utterance.js';

export type { Recognizer, RecognizerContext, RecognizerFactory } from './types.js';

export const DEFAULT_VAD: Required<VadOptions> = {
  thresholdDbfs: -40,
  frameMs: 20,
  endSilenceMs: 500,
  minSpeechMs: 100,
  msPerWord: 250,
};

const UNSTABLE_WORDS = { high: 1, medium: 2, low: 3 } as const;

/** Finals whose script entry sets its own finalDelayMs (the session asks before sending). */
const entryDelays = new WeakMap<TranscriptResult, number>();

/** The delay a script entry set for this final, if it set one. */
export function resultDelayMs(result: TranscriptResult): number | undefined {
  return entryDelays.get(result);
}

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
  private readonly utteranceContext: UtteranceContext;

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
      speakerLabels: q['show-speaker-label'] === 'true',
      channelIdentification: q['enable-channel-identification'] === 'true',
      languageCandidates: identify
        ? preferred !== undefined && options.includes(preferred)
          ? [preferred, ...options.filter((c) => c !== preferred)]
          : options
        : undefined,
    };
    this.utteranceContext = {
      vad: ctx.vad,
      features: this.features,
      unstableWords:
        UNSTABLE_WORDS[(q['partial-results-stability'] as keyof typeof UNSTABLE_WORDS | undefined) ?? 'high'] ?? 1,
      emit: (result, delayMs) => {
        if (delayMs !== undefined) entryDelays.set(result, delayMs);
        this.out.push(result);
      },
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
      if (u) this.finish(u);
      this.open[c] = null;
    }
    if (!this.pcm && this.opaqueBytes > 0) {
      const u = new Utterance(0, 0, this.utteranceContext);
      this.assign(u);
      if (u.script) {
        u.lastSpeechEndMs = u.script.words.length * this.ctx.vad.msPerWord;
        u.speechMs = u.lastSpeechEndMs;
        this.finish(u);
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
        u = new Utterance(t0, channel, this.utteranceContext);
        this.open[channel] = u;
      }
      u.speechMs += t1 - t0;
      u.lastSpeechEndMs = t1;
      u.silenceMs = 0;
      if (u.speechMs >= vad.minSpeechMs) {
        this.assign(u);
        u.speak(t1);
      }
    } else if (u !== null) {
      u.silenceMs += t1 - t0;
      if (u.silenceMs >= vad.endSilenceMs) {
        this.finish(u);
        this.open[channel] = null;
      } else {
        u.pause();
      }
    }
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

  private finish(u: Utterance): void {
    if (u.speechMs < this.ctx.vad.minSpeechMs) return; // a click, not speech
    this.assign(u);
    u.finish();
  }
}

/** The default recognizer factory: scripted utterances found by energy VAD. */
export function scriptedRecognizer(context: RecognizerContext): Recognizer {
  return new ScriptedRecognizer(context);
}
