/**
 * The TranscriptEvent JSON checked field by field before anything reads it. A server (or a proxy,
 * or a bug) can send any JSON; what reaches the application is always the shape `transcript.ts`
 * declares, built fresh from the checked fields (unknown fields are left behind).
 *
 * As much as can be trusted is kept. A result is left out only when what defines it is unusable:
 * its times, `IsPartial`, or its alternatives' `Transcript`. A malformed item or entity is left
 * out of its result, and an optional field of the wrong type is left off; fields AWS's model makes
 * optional may be missing. Whatever was left out is named once, in `problem`.
 */

import type {
  LanguageWithScore,
  TranscriptAlternative,
  TranscriptEntity,
  TranscriptEvent,
  TranscriptItem,
  TranscriptResult,
} from './transcript.js';

export interface CheckedTranscriptEvent {
  /** The usable results, in order (possibly none). */
  event: TranscriptEvent;
  /** What was wrong with what was left out, when something was. */
  problem: string | undefined;
}

/** Seconds from the start of a stream; AWS ends streams at 4 hours, so anything near this is nonsense. */
const MAX_TIME = 1e7;

type Json = Record<string, unknown>;

/** Thrown inside the checks to leave out one result, item or entity; never escapes this module. */
class Unusable {
  readonly what: string;
  constructor(what: string) {
    this.what = what;
  }
}

/** The event with its usable results, or a string saying why the event itself is unusable. */
export function validateTranscriptEvent(body: unknown): CheckedTranscriptEvent | string {
  if (!isObject(body) || !isObject(body.Transcript)) return 'a TranscriptEvent without a Transcript object';
  const raw = body.Transcript.Results;
  if (!Array.isArray(raw)) return `a TranscriptEvent whose Transcript.Results is ${kind(raw)}, not an array`;
  const check = new Check();
  const results = check.each(raw, 'result', readResult);
  return { event: { Transcript: { Results: results } }, problem: check.problem };
}

/** Collects the first problem while reading one event. */
class Check {
  problem: string | undefined;

  note(what: string): void {
    this.problem ??= what;
  }

  /** The entries of `list` that `read` accepts; the others are noted and left out. */
  each<T>(list: readonly unknown[], what: string, read: (v: unknown, check: Check) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < list.length; i++) {
      try {
        out.push(read(list[i], this));
      } catch (err) {
        if (!(err instanceof Unusable)) throw err;
        this.note(`${what} ${i}: ${err.what}`);
      }
    }
    return out;
  }

  /** An optional list: missing or null is empty; anything else but an array is noted and empty. */
  list<T>(o: Json, name: string, read: (v: unknown, check: Check) => T): T[] {
    const v = o[name];
    if (v == null) return [];
    if (Array.isArray(v)) return this.each(v, name, read);
    this.note(`${name} is ${kind(v)}, not an array`);
    return [];
  }

  /** An optional field: its value when of the type, else undefined (noted when present and wrong). */
  optional<T extends 'string' | 'number' | 'boolean'>(o: Json, name: string, type: T): Field<T> | undefined {
    const v = o[name];
    if (v == null) return undefined;
    if (typeof v === type && (type !== 'number' || Number.isFinite(v))) return v as Field<T>;
    this.note(`${name} is ${kind(v)}, not a ${type}`);
    return undefined;
  }
}

type Field<T> = T extends 'string' ? string : T extends 'number' ? number : boolean;

function readResult(v: unknown, check: Check): TranscriptResult {
  const r = object(v, 'the result');
  const partial = r.IsPartial;
  if (typeof partial !== 'boolean') throw new Unusable(`IsPartial is ${kind(partial)}, not a boolean`);
  const alternatives = r.Alternatives;
  if (alternatives != null && !Array.isArray(alternatives))
    throw new Unusable(`Alternatives is ${kind(alternatives)}, not an array`);
  const result: TranscriptResult = {
    ResultId: check.optional(r, 'ResultId', 'string') ?? '',
    StartTime: time(r, 'StartTime'),
    EndTime: time(r, 'EndTime'),
    IsPartial: partial,
    // An alternative is what the application reads: one that cannot be read makes the result unusable.
    Alternatives: (alternatives ?? []).map((a: unknown) => readAlternative(a, check)),
  };
  const channel = check.optional(r, 'ChannelId', 'string');
  if (channel !== undefined) result.ChannelId = channel;
  const language = check.optional(r, 'LanguageCode', 'string');
  if (language !== undefined) result.LanguageCode = language;
  if (r.LanguageIdentification != null)
    result.LanguageIdentification = check.list(r, 'LanguageIdentification', readLanguageScore);
  return result;
}

function readAlternative(v: unknown, check: Check): TranscriptAlternative {
  const a = object(v, 'an alternative');
  const text = a.Transcript;
  if (text != null && typeof text !== 'string') throw new Unusable(`Transcript is ${kind(text)}, not a string`);
  const alt: TranscriptAlternative = { Transcript: text ?? '', Items: check.list(a, 'Items', readItem) };
  if (a.Entities != null) alt.Entities = check.list(a, 'Entities', readEntity);
  return alt;
}

function readItem(v: unknown, check: Check): TranscriptItem {
  const o = object(v, 'an item');
  const type = o.Type;
  if (type !== 'pronunciation' && type !== 'punctuation') throw new Unusable(`Type is ${kind(type)}`);
  const content = o.Content;
  if (typeof content !== 'string') throw new Unusable(`Content is ${kind(content)}, not a string`);
  const item: TranscriptItem = {
    StartTime: time(o, 'StartTime'),
    EndTime: time(o, 'EndTime'),
    Type: type,
    Content: content,
  };
  const filtered = check.optional(o, 'VocabularyFilterMatch', 'boolean');
  if (filtered !== undefined) item.VocabularyFilterMatch = filtered;
  const speaker = check.optional(o, 'Speaker', 'string');
  if (speaker !== undefined) item.Speaker = speaker;
  const confidence = check.optional(o, 'Confidence', 'number');
  if (confidence !== undefined) item.Confidence = confidence;
  const stable = check.optional(o, 'Stable', 'boolean');
  if (stable !== undefined) item.Stable = stable;
  return item;
}

function readEntity(v: unknown, check: Check): TranscriptEntity {
  const o = object(v, 'an entity');
  const content = o.Content;
  if (typeof content !== 'string') throw new Unusable(`Content is ${kind(content)}, not a string`);
  const entity: TranscriptEntity = {
    StartTime: time(o, 'StartTime'),
    EndTime: time(o, 'EndTime'),
    Category: check.optional(o, 'Category', 'string') ?? '',
    Content: content,
  };
  const type = check.optional(o, 'Type', 'string');
  if (type !== undefined) entity.Type = type;
  const confidence = check.optional(o, 'Confidence', 'number');
  if (confidence !== undefined) entity.Confidence = confidence;
  return entity;
}

function readLanguageScore(v: unknown): LanguageWithScore {
  const o = object(v, 'a language score');
  const code = o.LanguageCode;
  const score = o.Score;
  if (typeof code !== 'string' || typeof score !== 'number' || !Number.isFinite(score))
    throw new Unusable('not a language code with a score');
  return { LanguageCode: code, Score: score };
}

function object(v: unknown, what: string): Json {
  if (!isObject(v)) throw new Unusable(`${what} is ${kind(v)}, not an object`);
  return v;
}

/** Seconds from the start of the stream: a finite number from 0 to MAX_TIME. */
function time(o: Json, name: string): number {
  const v = o[name];
  if (typeof v !== 'number' || !(v >= 0 && v <= MAX_TIME))
    throw new Unusable(`${name} is ${kind(v)}, not a time in seconds`);
  return v;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a value is, for messages (never the value itself: it came from the network). */
function kind(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !(v >= 0 && v <= MAX_TIME)) return 'a number out of range';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
