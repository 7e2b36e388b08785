/**
 * Script utterances split into the items Transcribe returns: words ("pronunciation") and the
 * punctuation that follows them ("punctuation" items carry no space before them in Transcript).
 */
import type { ScriptEntry } from './types.js';

export interface ScriptToken {
  type: 'pronunciation' | 'punctuation';
  content: string;
}

export interface ScriptUtterance {
  /** Pronunciation tokens, each with the punctuation tokens that follow it. */
  words: { word: ScriptToken; punctuation: ScriptToken[] }[];
  speaker: string | undefined;
  languageCode: string | undefined;
}

const TRAILING_PUNCTUATION = /[.,!?;:]+$/;

export function parseUtterance(entry: ScriptEntry): ScriptUtterance {
  const text = typeof entry === 'string' ? entry : entry.text;
  const words: ScriptUtterance['words'] = [];
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
  return {
    words,
    speaker: typeof entry === 'string' ? undefined : entry.speaker,
    languageCode: typeof entry === 'string' ? undefined : entry.languageCode,
  };
}

/** Checks a script given as an option; returns a message naming the bad entry, or undefined. */
export function scriptProblem(script: readonly unknown[]): string | undefined {
  for (let i = 0; i < script.length; i++) {
    const e = script[i];
    if (typeof e === 'string') continue;
    if (e !== null && typeof e === 'object' && typeof (e as { text?: unknown }).text === 'string') {
      const { speaker, languageCode } = e as { speaker?: unknown; languageCode?: unknown };
      if (speaker !== undefined && typeof speaker !== 'string') return `entry ${i}: speaker must be a string such as "0"`;
      if (languageCode !== undefined && typeof languageCode !== 'string') return `entry ${i}: languageCode must be a string such as "en-US"`;
      continue;
    }
    return `entry ${i} must be a string or { text, speaker?, languageCode? }`;
  }
  return undefined;
}
