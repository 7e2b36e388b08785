/**
 * What a run amounted to: utterances and words finalised, audio and wall time, TTFS percentiles
 * (from the service's own measurement) and reconnects, as one line of text or one NDJSON object.
 */

import type { TranscriptionFrame } from '../adapters/node.js';

export interface Summary {
  type: 'summary';
  utterances: number;
  words: number;
  audioSeconds: number;
  wallSeconds: number;
  /** Seconds; null before any final arrived. */
  ttfsP50: number | null;
  ttfsP99: number | null;
  reconnects: number;
  droppedSeconds: number;
}

/** Words of a final: its pronunciation items (what AWS counts), or its text split on spaces without items. */
export function countWords(frame: TranscriptionFrame): number {
  const items = frame.result.Alternatives[0]?.Items;
  if (items && items.length > 0) {
    let n = 0;
    for (const item of items) if (item.Type === 'pronunciation') n++;
    return n;
  }
  return frame.text.split(/\s+/).filter((w) => /\w/.test(w)).length;
}

const seconds = (s: number | null): string => (s === null ? 'n/a' : `${s.toFixed(2)} s`);

export function formatSummary(s: Summary): string {
  const pace = s.wallSeconds > 0 ? `, ${(s.audioSeconds / s.wallSeconds).toFixed(1)}x real time` : '';
  const dropped = s.droppedSeconds > 0 ? `; ${s.droppedSeconds.toFixed(1)} s of audio dropped` : '';
  return (
    `summary: ${s.utterances} utterance${s.utterances === 1 ? '' : 's'}, ${s.words} word${s.words === 1 ? '' : 's'}; ` +
    `${s.audioSeconds.toFixed(1)} s of audio in ${s.wallSeconds.toFixed(1)} s${pace}; ` +
    `TTFS p50 ${seconds(s.ttfsP50)}, p99 ${seconds(s.ttfsP99)}; ` +
    `${s.reconnects} reconnect${s.reconnects === 1 ? '' : 's'}${dropped}`
  );
}

/** m:ss, or h:mm:ss from an hour. */
export function clock(totalSeconds: number): string {
  const t = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
