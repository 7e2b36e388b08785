/**
 * Subtitles from final results: SubRip (.srt) and WebVTT (.vtt). Each segment (one speaker's run
 * of words) is cut into cues a viewer can read: at most two lines of 42 characters (the common
 * broadcast guideline; the label counts), at most 7 seconds, a new cue after a pause or, once a
 * cue holds half a line, after the end of a sentence. Cue times come from the words' own times;
 * a very short cue is held up to a second unless the next cue starts sooner. Cues are sorted by
 * start time (WebVTT requires it; two channels' results arrive out of order).
 */

import type { Segment, Word } from './segments.js';

export interface Cue {
  /** Milliseconds. */
  start: number;
  end: number;
  lines: string[];
}

export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;
export const MAX_CUE_SECONDS = 7;
/** A pause this long between words starts a new cue. */
export const MAX_GAP_SECONDS = 1.5;
/** Cues shorter than this are held longer (not past the next cue's start). */
export const MIN_CUE_MS = 1000;

const SENTENCE_END = /[.?!…。？！]["'”’)\]]*$/;

/** The cues of segments (in any order), sorted by start; `label` prefixes each cue's first line. */
export function cuesOf(segments: readonly Segment[], label: (s: Segment) => string): Cue[] {
  const cues: Cue[] = [];
  for (const s of segments) cutSegment(s, label(s), cues);
  cues.sort((a, b) => a.start - b.start);
  for (let i = 0; i < cues.length; i++) {
    const c = cues[i]!;
    if (c.end - c.start >= MIN_CUE_MS) continue;
    const next = cues[i + 1];
    c.end = Math.max(c.end, Math.min(c.start + MIN_CUE_MS, next && next.start > c.start ? next.start : Infinity));
  }
  return cues;
}

function cutSegment(s: Segment, label: string, out: Cue[]): void {
  let cur: Word[] = [];
  let lines: string[] | undefined;
  const emit = (): void => {
    if (cur.length === 0 || !lines) return;
    const start = Math.round(cur[0]!.start * 1000);
    out.push({ start, end: Math.max(start + 1, Math.round(cur[cur.length - 1]!.end * 1000)), lines });
    cur = [];
    lines = undefined;
  };
  for (const w of s.words) {
    if (cur.length > 0) {
      const last = cur[cur.length - 1]!;
      const wrapped =
        w.start - last.end > MAX_GAP_SECONDS || w.end - cur[0]!.start > MAX_CUE_SECONDS
          ? undefined
          : wrap(label, [...cur, w]);
      if (wrapped) {
        cur.push(w);
        lines = wrapped;
      } else {
        emit();
      }
    }
    if (cur.length === 0) {
      cur = [w];
      lines = wrap(label, cur) ?? [label + w.text];
    }
    if (SENTENCE_END.test(w.text) && lines!.join(' ').length >= MAX_LINE_CHARS / 2) emit();
  }
  emit();
}

/**
 * The words as one line, or two balanced lines, each within MAX_LINE_CHARS with the label on the
 * first; undefined when they do not fit. Balanced on the words alone (the split that keeps the
 * longer part shortest), so a long label does not push all but one word to the second line.
 */
export function wrap(label: string, words: readonly Word[]): string[] | undefined {
  const texts = words.map((w) => w.text);
  const one = label + texts.join(' ');
  if (one.length <= MAX_LINE_CHARS) return [one];
  if (MAX_LINES < 2 || texts.length < 2) return undefined;
  let best: string[] | undefined;
  let bestLongest = Infinity;
  for (let i = 1; i < texts.length; i++) {
    const words1 = texts.slice(0, i).join(' ');
    const second = texts.slice(i).join(' ');
    if (label.length + words1.length > MAX_LINE_CHARS || second.length > MAX_LINE_CHARS) continue;
    const longest = Math.max(words1.length, second.length);
    if (longest < bestLongest) {
      best = [label + words1, second];
      bestLongest = longest;
    }
  }
  return best;
}

/** HH:MM:SS,mmm (SubRip) or HH:MM:SS.mmm (WebVTT); hours grow past two digits when they must. */
export function timestamp(ms: number, separator: ',' | '.'): string {
  const t = Math.max(0, Math.round(ms));
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${separator}${pad(t % 1000, 3)}`;
}

/** SubRip: numbered cues from 1, a blank line after each. */
export function toSrt(cues: readonly Cue[]): string {
  let out = '';
  cues.forEach((c, i) => {
    // "-->" in text would read as a timing line to a lenient parser.
    const text = c.lines.map((l) => l.replaceAll('-->', '->'));
    out += `${i + 1}\n${timestamp(c.start, ',')} --> ${timestamp(c.end, ',')}\n${text.join('\n')}\n\n`;
  });
  return out;
}

/** WebVTT: the header, then each cue; &, < and > escaped as the cue text syntax requires. */
export function toVtt(cues: readonly Cue[]): string {
  let out = 'WEBVTT\n\n';
  for (const c of cues) {
    const text = c.lines.map((l) => l.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'));
    out += `${timestamp(c.start, '.')} --> ${timestamp(c.end, '.')}\n${text.join('\n')}\n\n`;
  }
  return out;
}
