/**
 * The --output files. Each is rewritten whole, atomically (a temporary file beside it, then a
 * rename), at most once a second while results arrive and once more at the end: a reader (a
 * player, `tail`, another program) never sees half a file, a crash or kill -9 loses at most the
 * last second, and a stopped run (Ctrl-C, SIGTERM, even a second signal) saves everything it got.
 * Rewriting keeps the cues sorted by time although the channels' results arrive out of order.
 * Every file is written once before anything connects, so a path that cannot be written is an
 * argument error, not a transcript lost at the end.
 */

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { TranscriptionFrame } from '../adapters/node.js';
import type { OutputSpec } from './args.js';
import { CliError } from './cli-error.js';
import { render } from './output-formats.js';
import type { DocumentInfo } from './output-formats.js';
import { segmentsOf } from './segments.js';
import type { Segment } from './segments.js';

/** Least time between two rewrites while results arrive. */
export const SAVE_EVERY_MS = 1000;

export class TranscriptFiles {
  readonly #specs: readonly OutputSpec[];
  readonly #info: DocumentInfo;
  readonly #segments: Segment[] = [];
  #dirty = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSave = 0;
  /** The last write error per path, until a later write succeeds. */
  readonly #problems = new Map<string, string>();

  private constructor(specs: readonly OutputSpec[], info: DocumentInfo) {
    this.#specs = specs;
    this.#info = info;
  }

  /** Writes each file empty (a valid document with no cue); a CliError (exit 2) names one that cannot be written. */
  static open(specs: readonly OutputSpec[], info: DocumentInfo): TranscriptFiles {
    const files = new TranscriptFiles(specs, info);
    for (const spec of specs) {
      const error = files.#write(spec);
      if (error !== undefined) throw new CliError(`--output ${spec.path}: cannot write it (${error})`);
    }
    return files;
  }

  /** A final result: its segments join the document, saved within a second. */
  add(frame: TranscriptionFrame): void {
    const added = segmentsOf(frame);
    if (added.length === 0) return;
    for (const s of added) insertSorted(this.#segments, s);
    this.#dirty = true;
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastSave + SAVE_EVERY_MS - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.saveNow();
    }, wait);
    this.#timer.unref?.();
  }

  /** Writes every file now if anything changed (synchronous: it also runs just before a forced exit). */
  saveNow(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#lastSave = Date.now();
    for (const spec of this.#specs) {
      const error = this.#write(spec);
      if (error === undefined) this.#problems.delete(spec.path);
      else this.#problems.set(spec.path, error);
    }
  }

  /** The last save; returns one message per file that could not be written. */
  close(): string[] {
    this.saveNow();
    return [...this.#problems].map(([path, error]) => `--output ${path}: the transcript could not be saved (${error})`);
  }

  #write(spec: OutputSpec): string | undefined {
    const tmp = `${spec.path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, render(spec.format, this.#segments, this.#info));
      renameSync(tmp, spec.path);
      return undefined;
    } catch (err) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // the write failed already; that is the error to report
      }
      const e = err as NodeJS.ErrnoException;
      return e.code === 'ENOENT' ? 'ENOENT: no such directory' : (e.code ?? e.message);
    }
  }
}

/** Keeps segments ordered by start (then channel); new ones nearly always belong at the end. */
function insertSorted(list: Segment[], s: Segment): void {
  let i = list.length;
  while (i > 0 && compare(list[i - 1]!, s) > 0) i--;
  list.splice(i, 0, s);
}

function compare(a: Segment, b: Segment): number {
  return a.start - b.start || (a.channel ?? '').localeCompare(b.channel ?? '');
}
