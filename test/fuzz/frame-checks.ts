// What a frame the service hands to the application must look like, whatever the server sent:
// transcript frames carry a result that really is a `TranscriptResult` (finite times, the declared
// types), error frames carry a `TranscribeError` with a code and a message that is capped, free of
// control characters and free of secrets.
import { TranscribeError } from '../../dist/core/index.js';
import { brief } from './findings.ts';
import type { Frame } from '../../dist/core/index.js';

/** How a value is described in a kind key: the type, or the non-finite number itself. */
export function typeLabel(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : String(v);
  if (typeof v === 'string') return 'a string';
  return `a ${typeof v}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A time as the library delivers it: seconds from 0 to 1e7 (AWS ends streams at 4 hours; beyond that is nonsense). */
const finite = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1e7 + 1e5;

function timedProblems(v: unknown, path: string, out: string[]): void {
  if (!isObject(v)) return void out.push(`${path} is ${typeLabel(v)}`);
  for (const k of ['StartTime', 'EndTime']) if (!finite(v[k])) out.push(`${path}.${k} is ${typeLabel(v[k])}`);
}

/**
 * Ways `r` is not a `TranscriptResult` (core/transcript.ts), as "path is what" strings with array
 * indexes blanked (they are kind keys). `times` are the contract's hard rule (finite numbers);
 * `types` the other declared fields.
 */
export function resultProblems(r: unknown): { times: string[]; types: string[] } {
  const times: string[] = [];
  const types: string[] = [];
  if (!isObject(r)) return { times: [`result is ${typeLabel(r)}`], types };
  for (const k of ['StartTime', 'EndTime']) if (!finite(r[k])) times.push(`result.${k} is ${typeLabel(r[k])}`);
  if (typeof r.ResultId !== 'string') types.push(`result.ResultId is ${typeLabel(r.ResultId)}`);
  if (typeof r.IsPartial !== 'boolean') types.push(`result.IsPartial is ${typeLabel(r.IsPartial)}`);
  for (const k of ['ChannelId', 'LanguageCode'])
    if (r[k] !== undefined && typeof r[k] !== 'string') types.push(`result.${k} is ${typeLabel(r[k])}`);
  const alts = r.Alternatives;
  if (!Array.isArray(alts) || alts.length === 0) {
    types.push(`result.Alternatives is ${Array.isArray(alts) ? 'empty' : typeLabel(alts)}`);
    return { times, types };
  }
  for (const alt of alts) {
    if (!isObject(alt)) {
      types.push(`result.Alternatives[] is ${typeLabel(alt)}`);
      continue;
    }
    if (typeof alt.Transcript !== 'string')
      types.push(`result.Alternatives[].Transcript is ${typeLabel(alt.Transcript)}`);
    if (!Array.isArray(alt.Items)) types.push(`result.Alternatives[].Items is ${typeLabel(alt.Items)}`);
    else {
      for (const item of alt.Items) {
        timedProblems(item, 'result.Alternatives[].Items[]', times);
        if (isObject(item) && typeof item.Content !== 'string')
          types.push(`result.Alternatives[].Items[].Content is ${typeLabel(item.Content)}`);
      }
    }
    if (alt.Entities !== undefined) {
      if (!Array.isArray(alt.Entities)) types.push(`result.Alternatives[].Entities is ${typeLabel(alt.Entities)}`);
      else for (const e of alt.Entities) timedProblems(e, 'result.Alternatives[].Entities[]', times);
    }
  }
  return { times, types };
}

/** A result the contract says must be delivered: every declared field right, non-blank text. */
export function isDeliverable(r: unknown): boolean {
  const p = resultProblems(r);
  if (p.times.length || p.types.length) return false;
  const text = (r as { Alternatives: { Transcript: string }[] }).Alternatives[0]!.Transcript;
  const ch = (r as { ChannelId?: string }).ChannelId;
  return text.trim() !== '' && (ch === undefined || ch === 'ch_0' || ch === 'ch_1');
}

/** Every time in a result (for the millisecond and shift checks), in a fixed order. */
export function timesOf(r: unknown): number[] {
  const out: number[] = [];
  if (!isObject(r)) return out;
  out.push(r.StartTime as number, r.EndTime as number);
  for (const alt of Array.isArray(r.Alternatives) ? r.Alternatives : []) {
    if (!isObject(alt)) continue;
    for (const list of [alt.Items, alt.Entities]) {
      if (Array.isArray(list))
        for (const t of list) if (isObject(t)) out.push(t.StartTime as number, t.EndTime as number);
    }
  }
  return out;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** "About 500 characters" of server text, plus the library's own words around it. */
export const MAX_ERROR_MESSAGE = 1000;

export interface Secret {
  /** How a kind key names it (never the value). */
  name: string;
  value: string;
}

export interface Problem {
  /** The deduplication key: the place, not the value (one fix covers them all). */
  kind: string;
  detail: string;
}

/** What is wrong with one frame (empty when nothing). */
export function frameProblems(f: Frame, secrets: readonly Secret[]): Problem[] {
  const out: Problem[] = [];
  const add = (kind: string, detail: string): void => void out.push({ kind, detail });
  if (f.type === 'transcription' || f.type === 'interimTranscription') {
    const what = `${f.type} ${brief(f.text, 40)}`;
    if (typeof f.text !== 'string')
      add('transcript frame: text is not a string', `${what}: text is ${typeLabel(f.text)}`);
    const p = resultProblems(f.result);
    for (const t of p.times)
      add(
        `transcript frame: ${t.replace(/\.(StartTime|EndTime) is .*/, '.StartTime/EndTime').replace(/ is .*/, '')} ` +
          `not a finite number`,
        `${what}: ${t}`,
      );
    for (const t of p.types)
      add(`transcript frame: ${t.replace(/ is .*/, '')} of the wrong type (not a TranscriptResult)`, `${what}: ${t}`);
    const r = f.result as unknown as Record<string, unknown> | null;
    const alt0 = Array.isArray(r?.Alternatives) ? (r.Alternatives[0] as Record<string, unknown> | null) : undefined;
    if (typeof f.text === 'string' && typeof alt0?.Transcript === 'string' && alt0.Transcript !== f.text)
      add("transcript frame: text is not the first alternative's Transcript", what);
    if (typeof r?.IsPartial === 'boolean' && r.IsPartial !== (f.type === 'interimTranscription'))
      add('transcript frame type disagrees with IsPartial', `${what} for IsPartial ${String(r.IsPartial)}`);
    if (f.language !== undefined && typeof f.language !== 'string')
      add('transcript frame: language is not a string', `${what}: language is ${typeLabel(f.language)}`);
  } else if (f.type === 'error') {
    const e = f.error as unknown;
    if (!(e instanceof TranscribeError))
      return [{ kind: 'error frame without a TranscribeError', detail: Object.prototype.toString.call(e) }];
    const what = `${e.code}: ${e.message.slice(0, 200)}`;
    if (typeof e.code !== 'string' || !/^[A-Z][A-Z_]*$/.test(e.code))
      add('error frame: code is not a code', `code is ${typeLabel(e.code)}`);
    if (typeof f.fatal !== 'boolean') add('error frame: fatal is not a boolean', what);
    if (e.message.length > MAX_ERROR_MESSAGE)
      add(`error frame: message over ${MAX_ERROR_MESSAGE} characters`, `${e.message.length} characters, ${what}`);
    if (CONTROL.test(e.message)) add('error frame: message has control characters', what);
    const text = `${e.message}\n${String(e)}`;
    for (const s of secrets) if (s.value && text.includes(s.value)) add(`error frame: message leaks ${s.name}`, what);
  }
  return out;
}
