/**
 * The --output formats, each rendered whole from the segments so far (sorted by start time):
 * .srt and .vtt subtitles (subtitles.ts), .txt with one labelled line per segment, and .json with
 * the segments and their words' times for programs.
 */

import type { OutputFormat } from './args.js';
import { safeJson } from './sanitize.js';
import { segmentLabel } from './segments.js';
import type { Labels, Segment } from './segments.js';
import { cuesOf, toSrt, toVtt } from './subtitles.js';

export interface DocumentInfo {
  /** The input's name (a path, stdin, the demo sample). */
  audio: string;
  labels: Labels;
}

export function render(format: OutputFormat, segments: readonly Segment[], info: DocumentInfo): string {
  const label = (s: Segment): string => segmentLabel(s, info.labels);
  switch (format) {
    case 'srt':
      return toSrt(cuesOf(segments, label));
    case 'vtt':
      return toVtt(cuesOf(segments, label));
    case 'txt':
      return segments.map((s) => `${label(s)}${s.text}\n`).join('');
    case 'json':
      return `${safeJson(jsonDocument(segments, info), 2)}\n`;
  }
}

const sec = (x: number): number => Math.round(x * 1000) / 1000;

function jsonDocument(segments: readonly Segment[], info: DocumentInfo): unknown {
  return {
    audio: info.audio,
    segments: segments.map((s) => ({
      start: sec(s.start),
      end: sec(s.end),
      text: s.text,
      ...(s.channel !== undefined ? { channel: s.channel } : {}),
      ...(s.speaker !== undefined ? { speaker: s.speaker } : {}),
      ...(s.language !== undefined ? { language: s.language } : {}),
      words: s.words.map((w) => ({
        start: sec(w.start),
        end: sec(w.end),
        text: w.text,
        ...(w.confidence !== undefined ? { confidence: w.confidence } : {}),
      })),
    })),
  };
}
