/**
 * Script utterances split into the items Transcribe returns: words ("pronunciation") and the
 * punctuation that follows them ("punctuation" items carry no space before them in Transcript),
 * grouped into segments: one per final result (a `finals` entry has several).
 */
import type { ScriptEntry } from './types.js';

export interface ScriptToken {
  type: 'pronunciation' | 'punctuation';
  content: string;
}

/** A pronunciation token with the punctuation tokens that follow it. */
export interface ScriptWord {
  word: ScriptToken;
  punctuation: ScriptToken[];
}

export interface ScriptUtterance {
  /** Every word of the utterance, all segments in order. */
  words: ScriptWord[];
  /** Where each segment ends (an index into `words`, exclusive); the last is `words.length`. */
  segmentEnds: number[];
  speaker: string | undefined;
  languageCode: string | undefined;
  /** Delay before each final of this utterance is sent, when the entry sets one. */
  finalDelayMs: number | undefined;
}

const TRAILING_PUNCTUATION = /[.,!?;:]+$/;

function parseWords(text: string, words: ScriptWord[]): void {
  for (const raw of text.split(/\s+/)) {
    if (raw === '') continue;
    const m = TRAILING_PUNCTUATION.exec(raw);
    const content = m ? raw.slice(0, m.index) : raw;
    const punctuation = m ? Array.from(m[0], (c) => ({ type: 'punctuation' as const, content: c })) : [];
    if (content === '') {
      // Punctuation on its own ("wait ...") belongs to the word before it.
      const last = words[words.length - 1];
      if (last) last.punctuation.push(...punctuation);
      continue;
    }
    words.push({ word: { type: 'pronunciation', content }, punctuation });
  }
}

export function parseUtterance(entry: ScriptEntry): ScriptUtterance {
  const words: ScriptWord[] = [];
  const segmentEnds: number[] = [];
  const texts = typeof entry === 'string' ? [entry] : 'finals' in entry ? entry.finals : [entry.text];
  for (const text of texts) {
    parseWords(text, words);
    // A segment without a word cannot have a final of its own.
    if (words.length > (segmentEnds[segmentEnds.length - 1] ?? 0)) segmentEnds.push(words.length);
  }
  const details = typeof entry === 'string' ? undefined : entry;
  return {
    words,
    segmentEnds,
    speaker: details?.speaker,
    languageCode: details?.languageCode,
    finalDelayMs: details?.finalDelayMs,
  };
}

const hasWord = (text: string): boolean => {
  const words: ScriptWord[] = [];
  parseWords(text, words);
  return words.length > 0;
};

/** Checks a script given as an option; returns a message naming the bad entry, or undefined. */
export function scriptProblem(script: readonly unknown[]): string | undefined {
  const shape = 'a string, { text, speaker?, languageCode?, finalDelayMs? } or { finals: [text, ...], ... }';
  for (let i = 0; i < script.length; i++) {
    const e = script[i];
    if (typeof e === 'string') continue;
    if (e === null || typeof e !== 'object') return `entry ${i} must be ${shape}`;
    const { text, finals, speaker, languageCode, finalDelayMs } = e as Record<string, unknown>;
    if (text !== undefined && finals !== undefined) return `entry ${i}: give text or finals, not both`;
    if (finals !== undefined) {
      if (!Array.isArray(finals) || finals.length === 0)
        return `entry ${i}: finals must be a non-empty array of texts, one per final result`;
      for (let f = 0; f < finals.length; f++) {
        const t: unknown = finals[f];
        if (typeof t !== 'string' || !hasWord(t))
          return `entry ${i}: finals[${f}] must be a text with at least one word`;
      }
    } else if (typeof text !== 'string') return `entry ${i} must be ${shape}`;
    if (speaker !== undefined && typeof speaker !== 'string') return `entry ${i}: speaker must be a string such as "0"`;
    if (languageCode !== undefined && typeof languageCode !== 'string')
      return `entry ${i}: languageCode must be a string such as "en-US"`;
    if (
      finalDelayMs !== undefined &&
      (typeof finalDelayMs !== 'number' ||
        !Number.isFinite(finalDelayMs) ||
        finalDelayMs < 0 ||
        finalDelayMs > 2 ** 31 - 1)
    ) {
      return `entry ${i}: finalDelayMs must be milliseconds >= 0, got ${String(finalDelayMs)}`;
    }
  }
  return undefined;
}
