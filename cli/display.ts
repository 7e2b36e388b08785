/**
 * Everything the command prints. Text mode: finals as lines on stdout; on a terminal one live line
 * is rewritten in place with the interim text (and the progress of long files), elsewhere interims
 * are dropped or, for the demo, printed as "~ " lines. JSON mode: one NDJSON object per frame.
 * Notes, warnings, progress and the text summary go to stderr so stdout stays a clean transcript.
 */

import type { Frame, TranscriptionFrame } from '../adapters/node.js';
import { cleanLine, cleanMessage, safeJson } from './sanitize.js';
import { channelNumber, segmentsOf } from './segments.js';
import { clock, formatSummary } from './summary.js';
import type { Summary } from './summary.js';

export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface DisplayOptions {
  out: OutStream;
  err: OutStream;
  json: boolean;
  /** Print interims as "~ " lines where they cannot be rewritten in place. */
  interimLines: boolean;
  /** Show elapsed / duration. */
  progress: boolean;
  /** ANSI dim for the interim text on a terminal. */
  color: boolean;
  /**
   * Label finals by speaker (show-speaker-label), channel (channel identification) and language (language
   * identification).
   */
  speakers: boolean;
  channels: boolean;
  languages: boolean;
}

/** Longest line a note (warning, failure) may print: our hint plus a capped server message. */
export const NOTE_MAX = 1000;

const CLEAR_LINE = '\r\x1b[K';

export class Display {
  readonly #o: DisplayOptions;
  /** Where the live line goes: stdout when it is a terminal (text mode), else stderr when that is one. */
  readonly #status: OutStream | undefined;
  readonly #statusShowsInterim: boolean;
  #interim = '';
  #progress = '';
  #shown = false;
  #lastDecile = 0;

  constructor(o: DisplayOptions) {
    this.#o = o;
    this.#statusShowsInterim = !o.json && o.out.isTTY === true;
    this.#status = this.#statusShowsInterim ? o.out : o.progress && o.err.isTTY === true ? o.err : undefined;
  }

  frame(f: Frame): void {
    const o = this.#o;
    if (o.json) {
      this.#line(o.out, frameJson(f));
      return;
    }
    if (f.type === 'interimTranscription') {
      if (this.#statusShowsInterim) {
        this.#interim = cleanLine(f.text);
        this.#render();
      } else if (o.interimLines) {
        this.#line(o.out, `~ ${cleanLine(f.text)}`);
      }
    } else if (f.type === 'transcription') {
      this.#interim = '';
      this.#line(o.out, finalText(f, o));
    }
  }

  /** A non-frame record (connected, disconnected) for JSON mode; text mode ignores it. */
  record(value: { type: string } & Record<string, unknown>): void {
    if (this.#o.json) this.#line(this.#o.out, safeJson(value));
  }

  /** A line on stderr (warnings, notes), kept apart from the live line. */
  note(text: string): void {
    this.#line(this.#o.err, cleanMessage(text, NOTE_MAX));
  }

  progress(doneSeconds: number, totalSeconds: number): void {
    if (!this.#o.progress) return;
    const pct = totalSeconds > 0 ? Math.min(100, Math.floor((doneSeconds / totalSeconds) * 100)) : 0;
    const text = `${clock(doneSeconds)} / ${clock(totalSeconds)} ${String(pct).padStart(3)}%`;
    if (this.#status) {
      if (text === this.#progress) return;
      this.#progress = text;
      this.#render();
    } else {
      // No terminal to rewrite: a line at every tenth.
      const decile = Math.floor(pct / 10);
      if (decile > this.#lastDecile) {
        this.#lastDecile = decile;
        this.note(`progress: ${text}`);
      }
    }
  }

  summary(s: Summary): void {
    this.#interim = '';
    this.#progress = '';
    this.#clear();
    if (this.#o.json) this.#line(this.#o.out, safeJson(s));
    else this.#line(this.#o.err, formatSummary(s));
  }

  /** Leaves the terminal with no half-drawn live line. */
  close(): void {
    this.#interim = '';
    this.#progress = '';
    this.#clear();
  }

  #line(stream: OutStream, text: string): void {
    const redraw = this.#shown;
    this.#clear();
    stream.write(`${text}\n`);
    if (redraw || this.#interim || this.#progress) this.#render();
  }

  #render(): void {
    const s = this.#status;
    if (!s) return;
    const prefix = this.#progress ? `[${this.#progress}] ` : '';
    const interim = this.#statusShowsInterim ? this.#interim : '';
    if (!prefix && !interim) return this.#clear();
    // A pty may report 0 columns: assume the classic 80.
    const columns = s.columns !== undefined && s.columns > 0 ? s.columns : 80;
    const room = Math.max(10, columns - 1 - prefix.length);
    // The newest words matter most: a long interim keeps its tail.
    const shown = interim.length > room ? `…${interim.slice(interim.length - room + 1)}` : interim;
    const body = this.#o.color && shown ? `\x1b[2m${shown}\x1b[22m` : shown;
    s.write(`${CLEAR_LINE}${prefix}${body}`);
    this.#shown = true;
  }

  #clear(): void {
    if (!this.#shown) return;
    this.#status!.write(CLEAR_LINE);
    this.#shown = false;
  }
}

/** The final's text, labelled by language, channel and speaker runs when asked; cleaned for a terminal. */
export function finalText(
  f: TranscriptionFrame,
  o: { speakers: boolean; channels: boolean; languages: boolean },
): string {
  if (!(o.speakers || o.channels || o.languages)) return cleanLine(f.text);
  const segments = segmentsOf(f);
  const first = segments[0];
  let prefix = '';
  if (o.languages && f.language) prefix += `[${f.language}] `;
  if (o.channels && first?.channel !== undefined) prefix += `[channel ${channelNumber(first.channel)}] `;
  const bySpeaker = o.speakers && segments.some((s) => s.speaker !== undefined);
  const body = bySpeaker
    ? segments.map((s) => (s.speaker !== undefined ? `[speaker ${s.speaker}] ${s.text}` : s.text)).join(' ')
    : f.text;
  return cleanLine(prefix + body);
}

/** One NDJSON line for a frame; errors carry their code and message (an Error serialises to {}). */
export function frameJson(f: Frame): string {
  if (f.type !== 'error') return safeJson(f);
  const e = f.error;
  return safeJson({
    type: 'error',
    fatal: f.fatal,
    timestamp: f.timestamp,
    error: {
      name: e.name,
      code: e.code,
      message: e.message,
      retryable: e.retryable,
      exceptionType: e.exceptionType,
      status: e.status,
    },
  });
}
