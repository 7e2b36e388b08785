/**
 * The TranscriptEvent JSON checked field by field before anything reads it. A server (or a proxy,
 * or a bug) can send any JSON; what reaches the application is always the shape `transcript.ts`
 * declares, built fresh from the checked fields (unknown fields are left behind). Fields AWS's
 * model marks optional may be missing (`Alternatives`, `Items`, `Entities`, `ChannelId`, ...);
 * a field of the wrong type makes its result unusable, and the result is left out.
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
  /** What was wrong with the results that were left out, when some were. */
  problem: string | undefined;
}

/** Thrown inside the checks to leave out one result; never escapes this module. */
class ShapeError {
  readonly what: string;
  constructor(what: string) {
    this.what = what;
  }
}

type Json = Record<string, unknown>;

/** The event with only well-formed results, or a string saying why the event itself is unusable. */
export function validateTranscriptEvent(body: unknown): CheckedTranscriptEvent | string {
  if (!isObject(body) || !isObject(body['Transcript'])) return 'a TranscriptEvent without a Transcript object';
  const raw = body['Transcript']['Results'];
  if (!Array.isArray(raw)) return `a TranscriptEvent whose Transcript.Results is ${kind(raw)}, not an array`;
  const results: TranscriptResult[] = [];
  let problem: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    try {
      results.push(readResult(raw[i]));
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      problem ??= `result ${i}: ${err.what}`;
    }
  }
  return { event: { Transcript: { Results: results } }, problem };
}

function readResult(v: unknown): TranscriptResult {
  const r = object(v, 'the result');
  const result: TranscriptResult = {
    ResultId: optionalString(r, 'ResultId') ?? '',
    StartTime: time(r, 'StartTime'),
    EndTime: time(r, 'EndTime'),
    IsPartial: boolean(r, 'IsPartial'),
    Alternatives: list(r, 'Alternatives', readAlternative),
  };
  const channel = optionalString(r, 'ChannelId');
  if (channel !== undefined) result.ChannelId = channel;
  const language = optionalString(r, 'LanguageCode');
  if (language !== undefined) result.LanguageCode = language;
  if (r['LanguageIdentification'] != null) result.LanguageIdentification = list(r, 'LanguageIdentification', readLanguageScore);
  return result;
}

function readAlternative(v: unknown): TranscriptAlternative {
  const a = object(v, 'an alternative');
  const alt: TranscriptAlternative = { Transcript: optionalString(a, 'Transcript') ?? '', Items: list(a, 'Items', readItem) };
  if (a['Entities'] != null) alt.Entities = list(a, 'Entities', readEntity);
  return alt;
}

function readItem(v: unknown): TranscriptItem {
  const o = object(v, 'an item');
  const type = optionalString(o, 'Type');
  if (type !== 'pronunciation' && type !== 'punctuation') throw new ShapeError(`an item's Type is ${kind(o['Type'])}`);
  const item: TranscriptItem = { StartTime: time(o, 'StartTime'), EndTime: time(o, 'EndTime'), Type: type, Content: optionalString(o, 'Content') ?? '' };
  const filtered = optionalBoolean(o, 'VocabularyFilterMatch');
  if (filtered !== undefined) item.VocabularyFilterMatch = filtered;
  const speaker = optionalString(o, 'Speaker');
  if (speaker !== undefined) item.Speaker = speaker;
  const confidence = optionalNumber(o, 'Confidence');
  if (confidence !== undefined) item.Confidence = confidence;
  const stable = optionalBoolean(o, 'Stable');
  if (stable !== undefined) item.Stable = stable;
  return item;
}

function readEntity(v: unknown): TranscriptEntity {
  const o = object(v, 'an entity');
  const entity: TranscriptEntity = {
    StartTime: time(o, 'StartTime'),
    EndTime: time(o, 'EndTime'),
    Category: optionalString(o, 'Category') ?? '',
    Content: optionalString(o, 'Content') ?? '',
  };
  const type = optionalString(o, 'Type');
  if (type !== undefined) entity.Type = type;
  const confidence = optionalNumber(o, 'Confidence');
  if (confidence !== undefined) entity.Confidence = confidence;
  return entity;
}

function readLanguageScore(v: unknown): LanguageWithScore {
  const o = object(v, 'a language score');
  return { LanguageCode: optionalString(o, 'LanguageCode') ?? '', Score: optionalNumber(o, 'Score') ?? 0 };
}

// ---- field readers: a missing optional field is undefined; a present field of the wrong type is a ShapeError

function object(v: unknown, what: string): Json {
  if (!isObject(v)) throw new ShapeError(`${what} is ${kind(v)}, not an object`);
  return v;
}

/** A list field: missing or null is empty (AWS's model makes them optional). */
function list<T>(o: Json, name: string, read: (v: unknown) => T): T[] {
  const v = o[name];
  if (v == null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${name} is ${kind(v)}, not an array`);
  return v.map(read);
}

/** Seconds from the start of the stream: a finite number, never negative. */
function time(o: Json, name: string): number {
  const v = o[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ShapeError(`${name} is ${kind(v)}, not a time in seconds`);
  return v;
}

function boolean(o: Json, name: string): boolean {
  const v = o[name];
  if (typeof v !== 'boolean') throw new ShapeError(`${name} is ${kind(v)}, not a boolean`);
  return v;
}

function optionalString(o: Json, name: string): string | undefined {
  const v = o[name];
  if (v == null) return undefined;
  if (typeof v !== 'string') throw new ShapeError(`${name} is ${kind(v)}, not a string`);
  return v;
}

function optionalNumber(o: Json, name: string): number | undefined {
  const v = o[name];
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError(`${name} is ${kind(v)}, not a number`);
  return v;
}

function optionalBoolean(o: Json, name: string): boolean | undefined {
  const v = o[name];
  if (v == null) return undefined;
  if (typeof v !== 'boolean') throw new ShapeError(`${name} is ${kind(v)}, not a boolean`);
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
  if (typeof v === 'number' && !Number.isFinite(v)) return 'a non-finite number';
  if (typeof v === 'number' && v < 0) return 'a negative number';
  return `a ${typeof v}`;
}
