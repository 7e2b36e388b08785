/**
 * One Amazon Transcribe result as the framework's SpeechData: the top alternative's text, the
 * result's times, the language AWS reports (the identified one with language identification),
 * a confidence from the items, and the words with their own times.
 */

import type { stt, TimedString } from '@livekit/agents';
import type { TranscriptItem, TranscriptResult } from '../node.js';
import { agents } from './peers.js';

/**
 * `offset` is added to every time: the stream's `startTimeOffset`, so times count from the start
 * of the session's audio input (the service already keeps them monotonic across its reconnects).
 */
export function speechData(
  result: TranscriptResult,
  text: string,
  language: string | undefined,
  offset: number,
): stt.SpeechData {
  const items = result.Alternatives[0]?.Items ?? [];
  const data: stt.SpeechData = {
    language: agents.normalizeLanguage(language ?? ''),
    text,
    startTime: result.StartTime + offset,
    endTime: result.EndTime + offset,
    confidence: confidence(items),
    words: words(items, offset),
  };
  const speaker = items.find((i) => i.Speaker !== undefined)?.Speaker ?? result.ChannelId;
  if (speaker !== undefined) data.speakerId = speaker;
  if (result.LanguageCode !== undefined) data.sourceLanguages = [data.language];
  return data;
}

/**
 * Mean confidence of the spoken words. AWS gives item confidences on final results only, so an
 * interim's confidence is 0 (as in LiveKit's Python AWS plugin), not a guess.
 */
export function confidence(items: readonly TranscriptItem[]): number {
  let sum = 0;
  let n = 0;
  for (const item of items) {
    if (item.Type === 'pronunciation' && typeof item.Confidence === 'number') {
      sum += item.Confidence;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/** The spoken words, each with the punctuation AWS sends after it as its own item ("there" "." -> "there."). */
function words(items: readonly TranscriptItem[], offset: number): TimedString[] {
  const out: TimedString[] = [];
  let text = '';
  let word: TranscriptItem | undefined;
  const push = (): void => {
    if (!word) return;
    const timed = { text, startTime: word.StartTime + offset, endTime: word.EndTime + offset, startTimeOffset: offset };
    out.push(
      agents.createTimedString(word.Confidence === undefined ? timed : { ...timed, confidence: word.Confidence }),
    );
  };
  for (const item of items) {
    if (item.Type === 'punctuation' && word) {
      text += item.Content;
      continue;
    }
    push();
    word = item;
    text = item.Content;
  }
  push();
  return out;
}

/** The results of a whole recognition as one: texts joined, the first start, the last end. */
export function joinSpeechData(parts: readonly stt.SpeechData[]): stt.SpeechData | undefined {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!first || !last) return undefined;
  const words = parts.flatMap((p) => p.words ?? []);
  const scored = words.filter((w) => w.confidence !== undefined);
  return {
    ...first,
    text: parts.map((p) => p.text).join(' '),
    endTime: last.endTime,
    confidence: scored.length ? scored.reduce((s, w) => s + w.confidence!, 0) / scored.length : 0,
    words,
  };
}
