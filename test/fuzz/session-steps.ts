// What a fuzzed server does to one service session, as data (so a failing session replays, and
// shrinks by dropping steps): send messages and bytes on the open stream, cut anywhere; the
// application pushes audio; the server closes. Each session draws its own mix of step kinds, so a
// common failure does not hide the rarer ones behind it.
import { encodeMessage, EventStreamError, MessageDecoder } from '../../dist/core/index.js';
import type { HeaderValue, Message } from '../../dist/core/index.js';
import { bodyBytes, spoil } from './bodies.ts';
import type { Spoil } from './bodies.ts';
import { hostileBytes, randomHeaderName, randomHeaderValue, randomMessage, tryEncode } from './frames.ts';
import type { JValue } from './json.ts';
import { JObject, JRaw, obj, show, toJsonText } from './json.ts';
import { nastyValue, randomJson, randomString } from './json-random.ts';
import type { Rng } from './rng.ts';
import { eventOf, mutantEvent, randomText, validResult } from './transcripts.ts';
import { concatBytes } from '../helpers/bytes.ts';

export type Payload =
  /** A message with TranscriptEvent headers and this body. */
  | { k: 'event'; doc: JValue; spoil: Spoil; at: number; note: string }
  | { k: 'otherEvent'; eventType: string; doc: JValue }
  | { k: 'exception'; type: string; doc: JValue }
  | { k: 'error'; code: HeaderValue | undefined; message: HeaderValue | undefined }
  | { k: 'headers'; headers: [string, HeaderValue][]; doc: JValue }
  | { k: 'bytes'; bytes: Uint8Array; note: string };

export type Step =
  | { t: 'send'; payloads: Payload[]; cuts: number[]; serverClose: { code: number; reason: string } | undefined }
  | { t: 'audio'; frames: number }
  | { t: 'close'; code: number; reason: string };

/**
 * Placeholders the runner replaces with what the service really used (per stream), so the server
 * can echo secrets back the way a proxy that quotes the request would.
 */
export const MARKERS = ['@@SECRET@@', '@@TOKEN@@', '@@TOKEN_URL@@', '@@SIGNATURE@@', '@@URL@@'] as const;

const RETRYABLE = ['LimitExceededException', 'InternalFailureException', 'ServiceUnavailableException'];
const FATAL = ['BadRequestException', 'ConflictException', 'UnrecognizedClientException'];

export type Kind =
  | 'final'
  | 'partial'
  | 'mutant'
  | 'json'
  | 'spoiled'
  | 'otherEvent'
  | 'exception'
  | 'error'
  | 'headers'
  | 'bytes'
  | 'audio'
  | 'close';
const KINDS: readonly Kind[] = [
  'final',
  'partial',
  'mutant',
  'json',
  'spoiled',
  'otherEvent',
  'exception',
  'error',
  'headers',
  'bytes',
  'audio',
  'close',
];

/** This session's mix: some kinds absent, the rest weighted at random; finals and audio always present. */
export function profile(r: Rng): [number, Kind][] {
  return KINDS.map((k) => {
    const w = r.chance(0.35) ? 0 : r.next() ** 2 * 10;
    return [k === 'final' ? Math.max(w, 2) : k === 'audio' ? Math.max(w, 1) : w, k];
  });
}

/** Text that is hard to show: control characters, ANSI escapes, secrets, sometimes long. */
function serverText(r: Rng): string {
  const parts: string[] = [];
  for (let i = r.int(1, 4); i > 0; i--) {
    const k = r.int(0, 4);
    if (k === 0) parts.push(r.pick(MARKERS));
    else if (k === 1) parts.push(r.pick(['\u001b[2J\u001b[31m', '\r\n', '\u0000', '\u0007', '\u009b31m', '\t']));
    else if (k === 2) parts.push(`X-Amz-Security-Token: ${r.pick(MARKERS)}`);
    else parts.push(randomString(r, 40));
  }
  if (r.chance(0.1)) parts.push('z'.repeat(r.chance(0.1) ? 1_000_000 : r.pick([600, 5000])));
  return parts.join(' ');
}

function exceptionDoc(r: Rng): JValue {
  const k = r.int(0, 5);
  if (k <= 2) return obj({ Message: serverText(r) });
  if (k === 3) return obj({ Message: nastyValue(r) });
  if (k === 4) return obj({ message: serverText(r) });
  return randomJson(r, 2);
}

function payload(r: Rng, kind: Kind, nextText: () => string): Payload {
  switch (kind) {
    case 'final':
    case 'partial': {
      const results: JValue[] = [
        validResult(r, {
          text: nextText(),
          partial: kind === 'partial',
          ...(r.chance(0.2) ? { channel: r.pick(['ch_0', 'ch_1'] as const) } : {}),
        }),
      ];
      if (r.chance(0.15)) results.push(validResult(r, { text: nextText(), partial: r.chance(0.5) }));
      return { k: 'event', doc: eventOf(results), spoil: 'none', at: 0, note: kind };
    }
    case 'mutant': {
      const m = mutantEvent(r);
      return { k: 'event', doc: m.body, spoil: 'none', at: 0, note: m.note };
    }
    case 'json':
      return {
        k: 'event',
        doc: r.chance(0.5) ? randomJson(r, 4) : new JObject([['Transcript', randomJson(r, 3)]]),
        spoil: 'none',
        at: 0,
        note: 'random JSON',
      };
    case 'spoiled': {
      const how = spoil(r);
      return {
        k: 'event',
        doc: eventOf([validResult(r, { text: nextText(), partial: false })]),
        spoil: how === 'none' ? 'cut' : how,
        at: r.next(),
        note: 'spoiled bytes',
      };
    }
    case 'otherEvent':
      return {
        k: 'otherEvent',
        eventType: r.pick([
          'FutureEvent',
          'CallAnalyticsTranscriptResultStream',
          'UtteranceEvent',
          '',
          randomString(r, 30),
        ]),
        doc: randomJson(r, 3),
      };
    case 'exception': {
      const type = r.weighted([
        [3, () => r.pick(RETRYABLE)],
        [2, () => r.pick(FATAL)],
        [1, () => (r.chance(0.5) ? 'FutureException' : randomString(r, 40))],
      ])();
      return { k: 'exception', type, doc: exceptionDoc(r) };
    }
    case 'error':
      return {
        k: 'error',
        code: r.chance(0.8)
          ? r.chance(0.7)
            ? { type: 'string', value: r.pick(['InternalError', 'ThrottlingException', randomString(r, 20)]) }
            : randomHeaderValue(r)
          : undefined,
        message: r.chance(0.8)
          ? r.chance(0.7)
            ? { type: 'string', value: serverText(r).slice(0, 30_000) }
            : randomHeaderValue(r)
          : undefined,
      };
    case 'headers':
      return {
        k: 'headers',
        headers: Array.from(
          { length: r.int(0, 4) },
          () => [randomHeaderName(r), randomHeaderValue(r)] as [string, HeaderValue],
        ),
        doc: randomJson(r, 2),
      };
    default: {
      const valid = (): Uint8Array =>
        r.chance(0.5)
          ? encodePayload(
              {
                k: 'event',
                doc: eventOf([validResult(r, { text: nextText(), partial: false })]),
                spoil: 'none',
                at: 0,
                note: '',
              },
              (s) => s,
            )
          : (tryEncode(randomMessage(r)) ?? new Uint8Array(0));
      return { k: 'bytes', bytes: hostileBytes(r, valid), note: 'hostile bytes' };
    }
  }
}

/** A session's steps; `mix` (weights by kind) replaces the random profile, for targeted runs. */
export function generateSteps(r: Rng, mix: [number, Kind][] = profile(r)): Step[] {
  let texts = 0;
  const nextText = (): string => `${randomText(r)} n${++texts}`;
  const steps: Step[] = [];
  for (let i = r.int(6, 40); i > 0; i--) {
    const kind = r.weighted(mix);
    if (kind === 'audio') steps.push({ t: 'audio', frames: r.int(1, 5) });
    else if (kind === 'close')
      steps.push({
        t: 'close',
        code: r.pick([1000, 1001, 1006, 1011, 1002, 3000, 4000, 4999]),
        reason: r.chance(0.5) ? '' : serverText(r).slice(0, r.chance(0.9) ? 100 : 1_000_000),
      });
    else {
      const payloads = [payload(r, kind, nextText)];
      if (r.chance(0.2))
        for (let j = r.int(1, 3); j > 0; j--)
          payloads.push(payload(r, r.weighted(mix.filter(([, k]) => k !== 'audio' && k !== 'close')), nextText));
      const cuts = r.chance(0.5) ? [] : Array.from({ length: r.int(1, 6) }, () => r.next()).sort((a, b) => a - b);
      const serverClose =
        payloads.some((p) => p.k === 'exception' || p.k === 'error') && r.chance(0.4)
          ? { code: r.pick([1000, 1011]), reason: '' }
          : undefined;
      steps.push({ t: 'send', payloads, cuts, serverClose });
    }
  }
  return steps;
}

const str = (value: string): HeaderValue => ({ type: 'string', value });

function headers(entries: [string, HeaderValue | undefined][]): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [k, v] of entries)
    if (v) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** JSON body bytes with the markers replaced (in the text: secrets are JSON-safe strings). */
function jsonBody(doc: JValue, fill: (s: string) => string, how: Spoil = 'none', at = 0): Uint8Array {
  const text = toJsonText(doc);
  const filled = fill(text);
  return filled === text ? bodyBytes(doc, how, at) : bodyBytes(new JRaw(filled, 'with markers filled'), how, at);
}

/** The frame bytes of a payload; `fill` replaces the markers in server text. */
export function encodePayload(p: Payload, fill: (s: string) => string): Uint8Array {
  const json = str('application/json');
  const fillValue = (v: HeaderValue | undefined): HeaderValue | undefined =>
    v?.type === 'string' ? str(fill(v.value)) : v;
  switch (p.k) {
    case 'event':
      return encodeMessage({
        headers: headers([
          [':message-type', str('event')],
          [':event-type', str('TranscriptEvent')],
          [':content-type', json],
        ]),
        body: jsonBody(p.doc, fill, p.spoil, p.at),
      });
    case 'otherEvent':
      return encodeMessage({
        headers: headers([
          [':message-type', str('event')],
          [':event-type', str(p.eventType)],
          [':content-type', json],
        ]),
        body: jsonBody(p.doc, fill),
      });
    case 'exception':
      return encodeMessage({
        headers: headers([
          [':message-type', str('exception')],
          [':exception-type', str(p.type)],
          [':content-type', json],
        ]),
        body: jsonBody(p.doc, fill),
      });
    case 'error':
      return encodeMessage({
        headers: headers([
          [':message-type', str('error')],
          [':error-code', fillValue(p.code)],
          [':error-message', fillValue(p.message)],
        ]),
        body: new Uint8Array(0),
      });
    case 'headers':
      return tryEncode({ headers: headers(p.headers), body: jsonBody(p.doc, fill) }) ?? new Uint8Array(0);
    case 'bytes':
      return p.bytes;
  }
}

export function encodeStep(s: Extract<Step, { t: 'send' }>, fill: (s: string) => string): Uint8Array {
  return concatBytes(s.payloads.map((p) => encodePayload(p, fill)));
}

/** What a run of bytes decodes to, for reports: the messages in it, then the error that ends it. */
function decodedAs(bytes: Uint8Array): string {
  const d = new MessageDecoder();
  const out: string[] = [];
  try {
    for (const m of d.push(bytes)) out.push(describeMessage(m));
    d.end();
  } catch (err) {
    out.push(err instanceof EventStreamError ? `then undecodable: ${err.code}` : String(err));
  }
  return out.length ? out.join('; ') : 'nothing';
}

function describeMessage(m: Message): string {
  const headers = Object.entries(m.headers).map(
    ([k, v]) => `${show(k, 30)}=${v.type === 'string' ? show(v.value, 40) : v.type}`,
  );
  return `message {${headers.join(' ')}} body ${show(Buffer.from(m.body).toString('utf8'), 200)}`;
}

function describePayload(p: Payload): string {
  switch (p.k) {
    case 'event': {
      // Notes of random mutations name places of the unshrunk document: only named shapes are shown.
      const spoiled = p.spoil === 'none' ? '' : ` (bytes spoiled: ${p.spoil} at ${p.at.toFixed(2)})`;
      return `TranscriptEvent ${show(p.doc)}${spoiled}${p.note.startsWith('random') ? '' : ` [${p.note}]`}`;
    }
    case 'otherEvent':
      return `event ${JSON.stringify(p.eventType)} ${show(p.doc, 100)}`;
    case 'exception':
      return `exception ${JSON.stringify(p.type)} ${show(p.doc, 200)}`;
    case 'error':
      return (
        `error message, :error-code ${p.code ? `${p.code.type} ${show(String(p.code.value), 40)}` : 'missing'}, ` +
        `:error-message ${p.message ? `${p.message.type} ${show(String(p.message.value), 80)}` : 'missing'}`
      );
    case 'headers':
      return (
        `message with headers ${p.headers.map(([k, v]) => `${show(k, 30)}=${v.type}`).join(' ')} body ` +
        `${show(p.doc, 80)}`
      );
    case 'bytes':
      return (
        `${p.note}: ${p.bytes.length} bytes ` +
        `${Buffer.from(p.bytes.subarray(0, 48)).toString('hex')}${p.bytes.length > 48 ? '…' : ''} ` +
        `(${decodedAs(p.bytes)})`
      );
  }
}

export function describeStep(s: Step): string {
  if (s.t === 'audio') return `app pushes ${s.frames * 100} ms of audio`;
  if (s.t === 'close') return `server closes (${s.code}${s.reason ? `, reason ${show(s.reason, 80)}` : ''})`;
  const parts = s.payloads.map(describePayload);
  const cuts = s.cuts.length ? `, cut at ${s.cuts.map((c) => c.toFixed(2)).join('/')}` : '';
  return `server sends ${parts.join(' + ')}${cuts}${s.serverClose ? `, then closes (${s.serverClose.code})` : ''}`;
}
