// Fuzz: the event-stream decoders against byte streams a broken server or proxy could send (valid
// frames, corrupted frames, hand-laid header blocks, huge declared lengths, noise), cut anywhere.
// Invariants: only EventStreamError (with a known code) ever comes out; after an error the decoder
// keeps throwing that error until reset(); `pending` is exactly the bytes of the unfinished message
// and never over MAX_MESSAGE_LENGTH; what a stream decodes to does not depend on where it is cut;
// MessageDecoder agrees with decodeMessage applied frame by frame. Case count: FUZZ_CASES.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeMessage,
  encodeMessage,
  EventStreamError,
  MAX_MESSAGE_LENGTH,
  MessageDecoder,
  utf8Encode,
} from '../../dist/core/index.js';
import type { Message } from '../../dist/core/index.js';
import { caseNumbers, caseRng, fuzzConfig, note } from './config.ts';
import { Findings, thrownKind, thrownText, whereThrown } from './findings.ts';
import {
  cutAt,
  hostileBytes,
  hugePrelude,
  mutateFrame,
  randomCuts,
  randomMessage,
  rawFrame,
  rawHeaderBlock,
  tryEncode,
} from './frames.ts';
import { toJsonText } from './json.ts';
import { expectedDecode, hex, messageDifference } from './messages.ts';
import type { Rng } from './rng.ts';
import { validEvent } from './transcripts.ts';
import { concatBytes } from '../helpers/bytes.ts';

const config = fuzzConfig('fuzz-decoder', 1000);
const CODES = new Set(['PRELUDE_CRC', 'MESSAGE_CRC', 'LENGTH', 'HEADER', 'TRUNCATED']);

/** One piece of a stream, with the message it encodes when it is a valid frame. */
interface Segment {
  bytes: Uint8Array;
  what: string;
  message?: Message;
}

function transcriptFrame(r: Rng): Message {
  return {
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'TranscriptEvent' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: utf8Encode(toJsonText(validEvent(r))),
  };
}

function validSegment(r: Rng): Segment {
  for (;;) {
    const m = r.chance(0.3) ? transcriptFrame(r) : randomMessage(r);
    const bytes = tryEncode(m);
    // Names that collide after the UTF-8 round trip (two lone surrogates) would decode as a duplicate.
    const want = expectedDecode(m);
    if (bytes && Object.keys(want.headers).length === Object.keys(m.headers).length)
      return { bytes, what: 'valid frame', message: want };
  }
}

function segment(r: Rng): Segment {
  const k = r.int(0, 9);
  if (k <= 3) return validSegment(r);
  if (k <= 5) return { bytes: mutateFrame(r, validSegment(r).bytes), what: 'mutated frame' };
  if (k === 6) return { bytes: rawFrame(rawHeaderBlock(r), r.bytes(r.size(200))), what: 'hand-laid headers' };
  if (k === 7) return { bytes: hugePrelude(r), what: 'huge declared length' };
  return { bytes: hostileBytes(r, () => validSegment(r).bytes), what: 'hostile bytes' };
}

function stream(r: Rng): Segment[] {
  const validOnly = r.chance(0.35);
  return Array.from({ length: r.int(1, 5) }, () => (validOnly ? validSegment(r) : segment(r)));
}

/** What decodeMessage says, applied frame after frame: messages, their end offsets, and the error that ends it. */
interface Reference {
  messages: Message[];
  ends: number[];
  code: string | undefined;
}

function u32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

function reference(bytes: Uint8Array, fail: (kind: string, detail: string) => void): Reference {
  const out: Reference = { messages: [], ends: [], code: undefined };
  for (let p = 0; p < bytes.length; ) {
    const rest = bytes.length - p;
    const total = rest >= 12 ? u32(bytes, p) : 0;
    const slice = total >= 12 && total <= rest ? bytes.subarray(p, p + total) : bytes.subarray(p);
    try {
      out.messages.push(decodeMessage(slice));
    } catch (err) {
      if (!(err instanceof EventStreamError) || !CODES.has(err.code)) {
        fail(thrownKind('decodeMessage', err), `${thrownText(err)} at ${whereThrown(err)}`);
      }
      out.code = err instanceof EventStreamError ? err.code : 'NOT_AN_EVENTSTREAM_ERROR';
      return out;
    }
    p += slice.length;
    out.ends.push(p);
  }
  return out;
}

/** Checks one stream under one cutting; calls `fail` for each broken invariant. */
function checkCutting(
  r: Rng,
  bytes: Uint8Array,
  cuts: number[],
  ref: Reference,
  everyByte: boolean,
  fail: (kind: string, detail: string) => void,
): void {
  const d = new MessageDecoder();
  const got: Message[] = [];
  let fed = 0;
  let error: unknown;
  for (const chunk of cutAt(bytes, cuts, r)) {
    try {
      for (const m of d.push(chunk)) got.push(m);
    } catch (err) {
      error = err;
      break;
    }
    fed += chunk.length;
    if (d.pending > MAX_MESSAGE_LENGTH) fail('pending over MAX_MESSAGE_LENGTH', `pending ${d.pending}`);
    const lastEnd = got.length === 0 ? 0 : ref.ends[got.length - 1];
    if (lastEnd !== undefined && d.pending !== fed - lastEnd) {
      fail(
        'pending is not the bytes of the unfinished message',
        `pending ${d.pending} after ${fed} bytes and ${got.length} messages ending at ${lastEnd}`,
      );
    }
  }
  if (error === undefined) {
    try {
      d.end();
    } catch (err) {
      error = err;
    }
  }
  if (error !== undefined) {
    if (!(error instanceof EventStreamError) || !CODES.has(error.code)) {
      return fail(thrownKind('MessageDecoder', error), `${thrownText(error)} at ${whereThrown(error)}`);
    }
    if (error.code !== ref.code)
      fail(
        'MessageDecoder and decodeMessage disagree on the error',
        `decoder ${error.code}, decodeMessage frame by frame ${ref.code ?? 'none'}`,
      );
    // Sticky: whatever comes next, the same error until reset().
    for (const next of [new Uint8Array(0), r.bytes(r.int(1, 40)), validSegment(r).bytes]) {
      try {
        d.push(next);
        fail(
          'decoder accepted input after an error',
          `push of ${next.length} bytes returned normally after ${error.code}`,
        );
      } catch (again) {
        if (again !== error)
          fail('decoder threw a different error after an error', `${thrownText(again)} after ${error.code}`);
      }
    }
    try {
      d.end();
      fail('end() after an error did not throw', error.code);
    } catch (again) {
      if (again !== error) fail('end() after an error threw a different error', thrownText(again));
    }
    d.reset();
    if (d.pending !== 0) fail('pending not 0 after reset()', String(d.pending));
    const fresh = validSegment(r);
    try {
      const after = d.push(fresh.bytes);
      const diff = after.length === 1 ? messageDifference(after[0]!, fresh.message!) : `${after.length} messages`;
      if (diff) fail('decoder after reset() decodes a valid frame wrongly', diff);
    } catch (err) {
      fail('decoder after reset() refuses a valid frame', thrownText(err));
    }
  } else if (ref.code !== undefined && ref.code !== 'TRUNCATED') {
    fail('MessageDecoder accepted what decodeMessage refuses', `decodeMessage frame by frame: ${ref.code}`);
  } else if (ref.code === 'TRUNCATED') {
    fail('MessageDecoder.end() accepted a stream that stops inside a message', 'no TRUNCATED');
  }
  // Messages: a prefix of the frame-by-frame ones (an error drops those completed in its chunk);
  // all of them without an error or byte by byte.
  const whole = error === undefined || everyByte;
  if (got.length > ref.messages.length || (whole && got.length !== ref.messages.length)) {
    fail('MessageDecoder and decodeMessage decode different message counts', `${got.length} vs ${ref.messages.length}`);
  }
  for (let i = 0; i < Math.min(got.length, ref.messages.length); i++) {
    const diff = messageDifference(got[i]!, ref.messages[i]!);
    if (diff) return fail('MessageDecoder and decodeMessage decode a frame differently', `message ${i}: ${diff}`);
    if (Object.getPrototypeOf(got[i]!.headers) !== Object.prototype)
      fail('decoded headers object has a foreign prototype', 'a "__proto__" header set it');
  }
}

/** Every invariant for one stream; returns the failures (kind -> detail). */
function check(r: Rng, segments: Segment[]): Map<string, string> {
  const failures = new Map<string, string>();
  const fail = (kind: string, detail: string): void => void (failures.has(kind) || failures.set(kind, detail));
  const bytes = concatBytes(segments.map((s) => s.bytes));
  const ref = reference(bytes, fail);
  if (segments.every((s) => s.message)) {
    // A stream of valid frames: decodes to exactly what was encoded.
    if (ref.code !== undefined || ref.messages.length !== segments.length)
      fail('valid frames do not decode', `${ref.code} after ${ref.messages.length} of ${segments.length}`);
    segments.forEach((s, i) => {
      const diff = ref.messages[i] && messageDifference(ref.messages[i]!, s.message!);
      if (diff) fail('decodeMessage does not give back what was encoded', diff);
    });
  }
  const boundaries = ref.ends;
  const cuttings: [number[], boolean][] = [
    [[], false],
    [randomCuts(r, bytes.length, boundaries), false],
    [randomCuts(r, bytes.length, boundaries), false],
  ];
  if (bytes.length <= 4096)
    cuttings.push([Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1), true]);
  for (const [cuts, everyByte] of cuttings) checkCutting(r, bytes, cuts, ref, everyByte, fail);
  return failures;
}

function describeStream(segments: Segment[]): string {
  return segments.map((s) => `${s.what} ${hex(s.bytes)}`).join('\n');
}

test('MessageDecoder and decodeMessage: hostile byte streams cut anywhere', () => {
  const findings = new Findings(config);
  const started = Date.now();
  let bytesFed = 0;
  for (const n of caseNumbers(config)) {
    const r = caseRng(config.seed, n);
    let segments = stream(r);
    const checkSeed = r.int(0, 0xffffffff);
    const run = (segs: Segment[]): Map<string, string> => check(caseRng(checkSeed, 0), segs);
    const failures = run(segments);
    bytesFed += segments.reduce((s, x) => s + x.bytes.length, 0);
    for (const [kind, detail] of failures) {
      if (findings.has(kind)) {
        findings.add({ kind, caseNumber: n, input: '', detail });
        continue;
      }
      // Shrink: drop segments while the same kind still fails.
      for (let i = segments.length - 1; i >= 0 && segments.length > 1; i--) {
        const fewer = segments.filter((_, j) => j !== i);
        if (run(fewer).has(kind)) segments = fewer;
      }
      findings.add({ kind, caseNumber: n, input: describeStream(segments), detail: run(segments).get(kind) ?? detail });
    }
  }
  note(
    config,
    `${config.only ?? config.cases} streams, ${(bytesFed / 1e6).toFixed(1)} MB, each cut 3-4 ways, in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  assert.is(findings.size, 0, findings.report());
});

test('fuzz self-check: the generators reach every decoder error code and valid frames', () => {
  // Not a property of the code under test: proof that the streams above are not all rejected early.
  const seen = new Set<string>();
  let decoded = 0;
  for (let n = 0; n < 300; n++) {
    const r = caseRng(config.seed ^ 0xc0de, n);
    const bytes = concatBytes(stream(r).map((s) => s.bytes));
    const ref = reference(bytes, () => {});
    decoded += ref.messages.length;
    if (ref.code) seen.add(ref.code);
  }
  assert.equal([...seen].sort(), [...CODES].sort(), 'every error code reached');
  assert.ok(decoded > 100, `valid frames decoded (${decoded})`);
  // encodeMessage is the other side of the same contract: its frames decode.
  assert.ok(decodeMessage(encodeMessage({ headers: {}, body: new Uint8Array(0) })));
});

test.run();
