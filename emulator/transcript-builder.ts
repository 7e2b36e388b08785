/**
 * Builds TranscriptResult JSON exactly in AWS's shape (service model; protocol.md §4.5): times in
 * seconds from stream start, Items per word and punctuation mark, `Stable` only with partial-results
 * stabilization, `Confidence` only on the pronunciation items of complete (final) segments,
 * `Speaker` only with show-speaker-label, `ChannelId` only with channel identification,
 * `LanguageCode`/`LanguageIdentification` only with language identification. Medical results
 * drop `Stable`, `VocabularyFilterMatch` and the language fields.
 */
import type { LanguageWithScore, TranscriptItem, TranscriptResult } from '../core/transcribe/transcript.js';
import type { ScriptWord } from './script.js';

export interface ResultFeatures {
  medical: boolean;
  stabilization: boolean;
  speakerLabels: boolean;
  /** `ch_0`/`ch_1` is added when set. */
  channelIdentification: boolean;
  /** Language identification: the candidate codes (the first is the one identified). */
  languageCandidates: readonly string[] | undefined;
}

export interface ResultInput {
  resultId: string;
  /** The words shown, in order (a segment's, or the start of one). */
  words: readonly ScriptWord[];
  speaker: string | undefined;
  /** Seed the confidence scores so a run is reproducible: the utterance and its first shown word. */
  utteranceIndex: number;
  firstWord: number;
  /** How many of the shown words (from the first) are Stable in a partial; finals are all stable. */
  stableWords: number;
  /** [start, end) of each shown word, in ms. */
  wordTimes: readonly { start: number; end: number }[];
  startMs: number;
  endMs: number;
  partial: boolean;
  channel: number;
  features: ResultFeatures;
}

/** Milliseconds -> seconds, rounded to 0.1 ms (AWS's times carry up to 4 decimals). */
const seconds = (ms: number): number => Math.round(ms * 10) / 10000;

/** A deterministic confidence in [0.85, 0.9999] for word `w` of utterance `u`. */
function confidence(u: number, w: number): number {
  let h = Math.imul(u + 1, 0x9e3779b1) ^ Math.imul(w + 7, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  return Math.round((0.85 + ((h >>> 0) / 0x100000000) * 0.1499) * 10000) / 10000;
}

export function languageScores(candidates: readonly string[]): LanguageWithScore[] {
  // The identified language first with a clear lead; the rest share what is left.
  const rest = candidates.length - 1;
  return candidates.map((code, i) => ({
    LanguageCode: code,
    Score: i === 0 ? 0.9412 : Math.round((0.0588 / Math.max(rest, 1)) * 10000) / 10000,
  }));
}

export function buildResult(input: ResultInput): TranscriptResult {
  const { features, partial } = input;
  const items: TranscriptItem[] = [];
  let transcript = '';
  const shown = input.words.length;
  const firstUnstable = partial ? input.stableWords : shown;
  for (let w = 0; w < shown; w++) {
    const entry = input.words[w]!;
    const time = input.wordTimes[w]!;
    const stable = w < firstUnstable;
    const word: TranscriptItem = {
      StartTime: seconds(time.start),
      EndTime: seconds(time.end),
      Type: 'pronunciation',
      Content: entry.word.content,
    };
    if (!features.medical) word.VocabularyFilterMatch = false;
    if (features.speakerLabels) word.Speaker = input.speaker ?? '0';
    if (!partial) word.Confidence = confidence(input.utteranceIndex, input.firstWord + w);
    if (features.stabilization && !features.medical) word.Stable = stable;
    items.push(word);
    transcript += (transcript === '' ? '' : ' ') + entry.word.content;
    for (const p of entry.punctuation) {
      const mark: TranscriptItem = {
        StartTime: word.EndTime,
        EndTime: word.EndTime,
        Type: 'punctuation',
        Content: p.content,
      };
      if (!features.medical) mark.VocabularyFilterMatch = false;
      if (features.stabilization && !features.medical) mark.Stable = stable;
      items.push(mark);
      transcript += p.content;
    }
  }
  const result: TranscriptResult = {
    ResultId: input.resultId,
    StartTime: seconds(input.startMs),
    EndTime: seconds(input.endMs),
    IsPartial: partial,
    Alternatives: [{ Transcript: transcript, Items: items }],
  };
  if (features.channelIdentification) result.ChannelId = `ch_${input.channel}`;
  if (features.languageCandidates !== undefined && !features.medical) {
    result.LanguageCode = features.languageCandidates[0]!;
    result.LanguageIdentification = languageScores(features.languageCandidates);
  }
  return result;
}
