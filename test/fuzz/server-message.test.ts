// Fuzz: parseServerMessage against any message a server could send: TranscriptEvents of every
// wrong shape, exceptions and generic errors with any Message value, headers of the wrong type,
// bodies that are not JSON or not UTF-8. Invariants: it never throws; it returns a transcript only
// for a TranscriptEvent (by headers) whose Transcript.Results is an array; an exception or error
// message always becomes a TranscribeError with a code; a valid event comes back unchanged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeMessage, parseServerMessage, TranscribeError, utf8Decode } from '../../dist/core/index.js';
import type { HeaderValue, Message } from '../../dist/core/index.js';
import { bodyBytes, spoil } from './bodies.ts';
import type { Spoil } from './bodies.ts';
import { caseNumbers, caseRng, fuzzConfig, note } from './config.ts';
import { Findings, oneLine, thrownKind, thrownText, whereThrown } from './findings.ts';
import { hostileBytes, randomHeaderName, randomHeaderValue, tryEncode } from './frames.ts';
import type { JValue } from './json.ts';
import { JObject, show, shrinkJson } from './json.ts';
import { nastyValue, randomJson, randomString } from './json-random.ts';
import type { Rng } from './rng.ts';
import { mutantEvent, validEvent } from './transcripts.ts';

const config = fuzzConfig('fuzz-server-message', 3000);

const EXCEPTIONS: Record<string, string> = {
  BadRequestException: 'BAD_REQUEST',
  LimitExceededException: 'LIMIT_EXCEEDED',
  InternalFailureException: 'INTERNAL_FAILURE',
  ConflictException: 'CONFLICT',
  ServiceUnavailableException: 'SERVICE_UNAVAILABLE',
  UnrecognizedClientException: 'UNRECOGNIZED_CLIENT',
};

/** A case: headers, and a body as a JSON document (spoiled or not) or as raw bytes. */
interface Case {
  what: string;
  headers: Record<string, HeaderValue>;
  doc?: JValue;
  spoil: Spoil;
  at: number;
  raw?: Uint8Array;
  /** A valid TranscriptEvent: must come back as a transcript, unchanged. */
  valid?: boolean;
}

const str = (value: string): HeaderValue => ({ type: 'string', value });

/** A header that usually has the right type and sometimes another one or odd text. */
function headerLike(r: Rng, value: string): HeaderValue | undefined {
  const k = r.next();
  if (k < 0.8) return str(value);
  if (k < 0.85) return undefined;
  if (k < 0.9) return { type: 'binary', value: new TextEncoder().encode(value) };
  if (k < 0.95) return str(r.chance(0.5) ? value.toUpperCase() : ` ${value}`);
  return randomHeaderValue(r);
}

function headersOf(entries: [string, HeaderValue | undefined][]): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [k, v] of entries)
    if (v) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function exceptionMessage(r: Rng): JValue {
  const k = r.int(0, 4);
  if (k === 0) return new JObject([['Message', nastyValue(r)]]);
  if (k === 1) return new JObject([['message', randomJson(r, 2)]]);
  if (k === 2) return new JObject([['Message', randomString(r, 200)]]);
  if (k === 3) return randomJson(r, 3);
  return new JObject([['Message', 'x'.repeat(r.chance(0.01) ? 5_000_000 : r.pick([501, 600, 5000]))]]);
}

function makeCase(r: Rng): Case {
  const at = r.next();
  const k = r.int(0, 9);
  if (k <= 1) {
    const doc = validEvent(r);
    return {
      what: 'valid TranscriptEvent',
      headers: headersOf([
        [':message-type', str('event')],
        [':event-type', str('TranscriptEvent')],
        [':content-type', str('application/json')],
      ]),
      doc,
      spoil: 'none',
      at,
      valid: true,
    };
  }
  if (k <= 4) {
    const m = mutantEvent(r);
    return {
      what: `TranscriptEvent mutant: ${m.note}`,
      headers: headersOf([
        [':message-type', headerLike(r, 'event')],
        [':event-type', headerLike(r, 'TranscriptEvent')],
        [':content-type', str('application/json')],
      ]),
      doc: m.body,
      spoil: spoil(r),
      at,
    };
  }
  if (k <= 6) {
    const type = r.chance(0.7) ? r.pick(Object.keys(EXCEPTIONS)) : r.chance(0.5) ? randomString(r, 30) : 'Exception';
    return {
      what: 'exception',
      headers: headersOf([
        [':message-type', headerLike(r, 'exception')],
        [':exception-type', headerLike(r, type)],
        [':content-type', str('application/json')],
      ]),
      doc: exceptionMessage(r),
      spoil: spoil(r),
      at,
    };
  }
  if (k === 7) {
    return {
      what: 'error message',
      headers: headersOf([
        [':message-type', headerLike(r, 'error')],
        [':error-code', r.chance(0.8) ? randomHeaderValue(r) : undefined],
        [
          ':error-message',
          r.chance(0.8) ? (r.chance(0.5) ? str(randomString(r, 3000)) : randomHeaderValue(r)) : undefined,
        ],
      ]),
      doc: randomJson(r, 2),
      spoil: spoil(r),
      at,
    };
  }
  if (k === 8) {
    const entries: [string, HeaderValue][] = Array.from({ length: r.int(0, 5) }, () => [
      randomHeaderName(r),
      randomHeaderValue(r),
    ]);
    return { what: 'random headers', headers: headersOf(entries), doc: randomJson(r, 3), spoil: spoil(r), at };
  }
  // Whatever a hostile byte stream decodes to, when it decodes at all.
  for (;;) {
    const bytes = hostileBytes(
      r,
      () =>
        tryEncode({
          headers: headersOf([
            [':message-type', str('event')],
            [':event-type', str('TranscriptEvent')],
          ]),
          body: bodyBytes(validEvent(r)),
        })!,
    );
    try {
      const m = decodeMessage(bytes);
      return { what: 'decoded hostile frame', headers: m.headers, spoil: 'none', at, raw: m.body };
    } catch {
      // not a message: try again
    }
  }
}

function messageOf(c: Case, doc: JValue | undefined = c.doc): Message {
  return { headers: c.headers, body: c.raw ?? bodyBytes(doc ?? null, c.spoil, c.at) };
}

function stringHeader(m: Message, name: string): string | undefined {
  const h = Object.getOwnPropertyDescriptor(m.headers, name)?.value as HeaderValue | undefined;
  return h?.type === 'string' ? h.value : undefined;
}

/** JSON with every object's keys sorted, so key order does not count. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/** The kind of the last result (counted per case: the note shows both outcomes were exercised). */
let lastOutcome = '';

/** Every invariant for one message; returns the first failure as [kind, detail]. */
function check(c: Case, m: Message): [string, string] | undefined {
  let out: unknown;
  try {
    out = parseServerMessage(m);
  } catch (err) {
    return [thrownKind('parseServerMessage', err), `${thrownText(err)} at ${whereThrown(err)}`];
  }
  lastOutcome = String((out as { kind?: unknown } | null)?.kind);
  if (typeof out !== 'object' || out === null || typeof (out as { kind?: unknown }).kind !== 'string')
    return ['result has no kind', String(out)];
  const res = out as { kind: string; event?: unknown; error?: unknown };
  const type = stringHeader(m, ':message-type');
  if ((type === 'exception' || type === 'error') && res.kind !== 'error')
    return [`:message-type ${type} not reported as an error`, `kind ${res.kind}`];
  if (res.kind === 'transcript') {
    if (type !== 'event' || stringHeader(m, ':event-type') !== 'TranscriptEvent')
      return [
        'transcript returned for a message whose headers are not a TranscriptEvent',
        `${type} / ${stringHeader(m, ':event-type')}`,
      ];
    try {
      const results = (res.event as { Transcript: { Results: unknown } }).Transcript.Results;
      if (!Array.isArray(results))
        return ['transcript returned with Transcript.Results not an array', oneLine(String(results), 80)];
    } catch (err) {
      return ['transcript returned whose Transcript is not an object', thrownText(err)];
    }
    if (c.valid) {
      const want = JSON.parse(utf8Decode(m.body)) as unknown;
      // The event is rebuilt from its checked fields: the same fields and values, in any key order.
      if (canonical(res.event) !== canonical(want))
        return ['a valid TranscriptEvent came back changed', 'deep comparison failed'];
    }
  } else if (c.valid) {
    return ['a valid TranscriptEvent was not returned as a transcript', `kind ${res.kind}`];
  }
  if (res.kind === 'error') {
    const e = res.error;
    if (!(e instanceof TranscribeError))
      return ['error result is not a TranscribeError', Object.prototype.toString.call(e)];
    if (typeof e.code !== 'string' || !/^[A-Z][A-Z_]*$/.test(e.code))
      return ['TranscribeError without a proper code', String(e.code)];
    if (typeof e.retryable !== 'boolean') return ['TranscribeError.retryable not a boolean', String(e.retryable)];
    if (typeof e.message !== 'string' || e.message.length === 0)
      return ['TranscribeError without a message', String(e.message)];
    if (e.exceptionType !== undefined && !(e.exceptionType in EXCEPTIONS))
      return ['exceptionType outside the API', oneLine(String(e.exceptionType), 80)];
    const exceptionType = type === 'exception' ? stringHeader(m, ':exception-type') : undefined;
    if (
      exceptionType !== undefined &&
      Object.hasOwn(EXCEPTIONS, exceptionType) &&
      e.code !== EXCEPTIONS[exceptionType]
    ) {
      return ['a known exception mapped to the wrong code', `${exceptionType} -> ${e.code}`];
    }
    try {
      String(e);
    } catch (err) {
      return ['String(error) throws', thrownText(err)];
    }
  }
  return undefined;
}

function describeCase(c: Case, doc: JValue | undefined): string {
  const headers = Object.entries(c.headers)
    .map(
      ([k, v]) =>
        `${k}=${v.type}:${oneLine(v.value instanceof Uint8Array ? `${v.value.length} bytes` : String(v.value), 60)}`,
    )
    .join(' ');
  const body = c.raw
    ? `${c.raw.length} raw bytes`
    : `${show(doc ?? null)}${c.spoil === 'none' ? '' : ` (bytes spoiled: ${c.spoil})`}`;
  return `${c.what}\nheaders ${headers || '(none)'}\nbody ${body}`;
}

test('parseServerMessage: any headers, any body', async () => {
  const findings = new Findings(config);
  const started = Date.now();
  const outcomes = new Map<string, number>();
  for (const n of caseNumbers(config)) {
    const c = makeCase(caseRng(config.seed, n));
    lastOutcome = 'thrown';
    const failure = check(c, messageOf(c));
    outcomes.set(lastOutcome, (outcomes.get(lastOutcome) ?? 0) + 1);
    if (!failure) continue;
    const [kind, detail] = failure;
    let doc = c.doc;
    if (!findings.has(kind) && doc !== undefined) {
      doc = await shrinkJson(doc, (d) => check(c, messageOf(c, d))?.[0] === kind, config.long ? 2000 : 300);
    }
    findings.add({
      kind,
      caseNumber: n,
      input: describeCase(c, doc),
      detail: (doc !== undefined && check(c, messageOf(c, doc))?.[1]) || detail,
    });
  }
  note(
    config,
    `${config.only ?? config.cases} messages (${[...outcomes].map(([k, v]) => `${v} ${k}`).join(', ')}) in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  assert.is(findings.size, 0, findings.report());
});

test.run();
