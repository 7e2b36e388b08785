// Invariant violations found by a fuzz run, deduplicated by kind so one run gives a checklist:
// the first (shrunk) reproducer of each kind, how often it happened, and how to replay it.
import type { FuzzConfig } from './config.ts';
import { replayHint } from './config.ts';

export interface Finding {
  /** What went wrong, without case-specific numbers: the deduplication key. */
  kind: string;
  caseNumber: number;
  /** The minimal input that still shows it, printable. */
  input: string;
  /** What happened, in full (stack frame, values). */
  detail: string;
}

export class Findings {
  readonly #config: FuzzConfig;
  readonly #first = new Map<string, Finding>();
  readonly #count = new Map<string, number>();

  constructor(config: FuzzConfig) {
    this.#config = config;
  }

  has(kind: string): boolean {
    return this.#first.has(kind);
  }

  /** Record one occurrence; true when the kind is new (worth shrinking). */
  add(f: Finding): boolean {
    this.#count.set(f.kind, (this.#count.get(f.kind) ?? 0) + 1);
    if (this.#first.has(f.kind)) return false;
    this.#first.set(f.kind, f);
    return true;
  }

  get size(): number {
    return this.#first.size;
  }

  get kinds(): string[] {
    return [...this.#first.keys()];
  }

  report(): string {
    const lines = [`${this.#config.target}: ${this.size} distinct invariant violation(s), seed ${this.#config.seed}`];
    let n = 0;
    for (const f of this.#first.values()) {
      lines.push(
        `${++n}. ${f.kind}   [${this.#count.get(f.kind)}x]`,
        `   replay: ${replayHint(this.#config, f.caseNumber)}`,
        `   input:  ${indent(f.input)}`,
        `   what:   ${indent(f.detail)}`,
      );
    }
    return lines.join('\n');
  }
}

function indent(s: string): string {
  return s.replace(/\n/g, '\n           ');
}

/** First stack frame inside the code under test (dist/) or else the first one at all, as file:line. */
export function whereThrown(err: unknown): string {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const frames = stack.split('\n').filter((l) => l.trimStart().startsWith('at '));
  const frame = frames.find((l) => l.includes('/dist/')) ?? frames[0];
  if (!frame) return 'unknown place';
  const m = /at (?:(.+?) \()?(?:file:\/\/)?.*?((?:dist|test)\/[^):]+):(\d+)/.exec(frame);
  return m ? `${m[2]}:${m[3]}${m[1] ? ` (${m[1]})` : ''}` : frame.trim().replace(/^at /, '');
}

/** `Name: message` of anything thrown, one line, capped. */
export function thrownText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : `non-Error thrown: ${safeString(err)}`;
  return oneLine(text, 200);
}

/** Kind key of a thrown error: its text with numbers blanked, and where it came from. */
export function thrownKind(what: string, err: unknown): string {
  // The value in "Cannot create property 'x' on string '…'" is the input, not the bug.
  const raw = err instanceof Error ? `${err.name}: ${err.message}` : `non-Error thrown: ${safeString(err)}`;
  const text = oneLine(raw.replace(/ on (string|number|boolean|bigint) '[\s\S]*'$/, ' on a $1'), 200).replace(
    /\d+(\.\d+)?/g,
    'N',
  );
  return `${what} threw ${text} at ${whereThrown(err).replace(/:\d+/, '')}`;
}

/** A short printable form of any value, even one that throws when made a string. */
export function brief(v: unknown, max = 60): string {
  if (typeof v === 'string') return JSON.stringify(v.length > max ? `${v.slice(0, max)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return oneLine(safeString(v), max);
}

export function oneLine(s: string, max: number): string {
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return flat.length > max ? `${flat.slice(0, max)}…(${flat.length} chars)` : flat;
}

export function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
