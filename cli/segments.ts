/**
 * A final result as the outputs use it: runs of words by one speaker ("segments"), each word with
 * its times and the punctuation that follows it, the channel and language of the result. Results
 * without items (Items is optional in practice) become one segment whose words share its time span
 * evenly, so every output can still place them.
 */

import type { TranscriptionFrame, TranscriptItem } from '../adapters/node.js';
import { cleanText } from './sanitize.js';

export interface Word {
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
  /** The word with the punctuation that follows it ("there."). */
  text: string;
  confidence?: number;
}

export interface Segment {
  start: number;
  end: number;
  /** The words joined by spaces. */
  text: string;
  words: Word[];
  /** Show-speaker-label's "0", "1", … when the items carry one. */
  speaker?: string;
  /** Channel identification's "ch_0" / "ch_1". */
  channel?: string;
  /** The result's language (identified, or the one asked for). */
  language?: string;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The segments of a final result, in the order spoken; none for an empty result. */
export function segmentsOf(f: TranscriptionFrame): Segment[] {
  const r = f.result;
  const start = finite(r.StartTime) ? r.StartTime : 0;
  const end = finite(r.EndTime) && r.EndTime >= start ? r.EndTime : start;
  const base: Omit<Segment, 'start' | 'end' | 'text' | 'words'> = {};
  if (typeof r.ChannelId === 'string' && r.ChannelId !== '') base.channel = cleanText(r.ChannelId);
  const language = r.LanguageCode ?? f.language;
  if (typeof language === 'string' && language !== '') base.language = cleanText(language);
  const items = r.Alternatives?.[0]?.Items;
  const out = Array.isArray(items) ? fromItems(items, base, start) : [];
  if (out.length > 0) return out;
  const words = spread(cleanText(f.text), start, end);
  return words.length === 0 ? [] : [finish({ ...base, words })];
}

function fromItems(
  items: readonly TranscriptItem[],
  base: Omit<Segment, 'start' | 'end' | 'text' | 'words'>,
  start: number,
): Segment[] {
  const out: Segment[] = [];
  let current: Omit<Segment, 'start' | 'end' | 'text'> | undefined;
  let speaker: string | undefined;
  let leading = '';
  for (const item of items) {
    if (!item || typeof item.Content !== 'string') continue;
    const content = cleanText(item.Content).trim();
    if (content === '') continue;
    const last = current?.words[current.words.length - 1];
    if (item.Type === 'punctuation') {
      // Punctuation follows its word without a space; one that opens the result waits for the next word.
      if (last) last.text += content;
      else leading += content;
      continue;
    }
    if (typeof item.Speaker === 'string' && item.Speaker !== '') speaker = cleanText(item.Speaker);
    if (!current || current.speaker !== speaker) {
      if (current) out.push(finish(current));
      current = { ...base, words: [] };
      if (speaker !== undefined) current.speaker = speaker;
    }
    const s = finite(item.StartTime) ? item.StartTime : (last?.end ?? start);
    const word: Word = {
      start: s,
      end: finite(item.EndTime) && item.EndTime >= s ? item.EndTime : s,
      text: leading + content,
    };
    if (finite(item.Confidence)) word.confidence = item.Confidence;
    leading = '';
    current.words.push(word);
  }
  if (current) out.push(finish(current));
  return out;
}

/** Words of a text without items, sharing [start, end] evenly. */
function spread(text: string, start: number, end: number): Word[] {
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  const step = tokens.length > 0 ? (end - start) / tokens.length : 0;
  return tokens.map((t, i) => ({
    start: start + i * step,
    end: i === tokens.length - 1 ? end : start + (i + 1) * step,
    text: t,
  }));
}

function finish(s: Omit<Segment, 'start' | 'end' | 'text'>): Segment {
  const words = s.words;
  return {
    ...s,
    start: words[0]!.start,
    end: Math.max(words[0]!.end, words[words.length - 1]!.end),
    text: words.map((w) => w.text).join(' '),
  };
}

/** "0" for AWS's "ch_0"; any other id as it is. */
export function channelNumber(id: string): string {
  return /^ch_(\d+)$/.exec(id)?.[1] ?? id;
}

/** Which labels the outputs show (the options that produce them). */
export interface Labels {
  speakers: boolean;
  channels: boolean;
  languages: boolean;
}

/** "[es-US] [channel 1] [speaker 0] " as far as asked for and known; "" otherwise. */
export function segmentLabel(s: Segment, o: Labels): string {
  let label = '';
  if (o.languages && s.language !== undefined) label += `[${s.language}] `;
  if (o.channels && s.channel !== undefined) label += `[channel ${channelNumber(s.channel)}] `;
  if (o.speakers && s.speaker !== undefined) label += `[speaker ${s.speaker}] `;
  return label;
}
