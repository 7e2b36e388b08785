// What Transcribe sends back, classified by headers only (never by message text).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseServerMessage, utf8Encode } from '../../../dist/core/index.js';
import type { Message } from '../../../dist/core/index.js';

const msg = (headers: Record<string, string>, body: string): Message => ({
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }])),
  body: utf8Encode(body),
});

test('a TranscriptEvent, including an empty Results list', () => {
  const event = {
    Transcript: {
      Results: [
        {
          ResultId: 'a',
          StartTime: 0.1,
          EndTime: 0.5,
          IsPartial: false,
          Alternatives: [{ Transcript: 'hi', Items: [] }],
        },
      ],
    },
  };
  const r = parseServerMessage(
    msg({ ':message-type': 'event', ':event-type': 'TranscriptEvent' }, JSON.stringify(event)),
  );
  assert.ok(r.kind === 'transcript');
  assert.equal(r.event, event);
  const empty = parseServerMessage(
    msg({ ':message-type': 'event', ':event-type': 'TranscriptEvent' }, '{"Transcript":{"Results":[]}}'),
  );
  assert.ok(empty.kind === 'transcript' && empty.event.Transcript.Results.length === 0);
});

test('every exception type maps to a code and a retry decision, whatever the message says', () => {
  const cases: [string, string, boolean][] = [
    ['BadRequestException', 'BAD_REQUEST', false],
    ['LimitExceededException', 'LIMIT_EXCEEDED', true],
    ['InternalFailureException', 'INTERNAL_FAILURE', true],
    ['ConflictException', 'CONFLICT', false],
    ['ServiceUnavailableException', 'SERVICE_UNAVAILABLE', true],
    ['UnrecognizedClientException', 'UNRECOGNIZED_CLIENT', false],
  ];
  for (const [type, code, retryable] of cases) {
    for (const text of [
      'Your request timed out because no new audio was received for 15 seconds.',
      'retry please',
      '',
    ]) {
      const r = parseServerMessage(
        msg({ ':message-type': 'exception', ':exception-type': type }, JSON.stringify({ Message: text })),
      );
      assert.ok(r.kind === 'error');
      assert.is(r.error.code, code, type);
      assert.is(r.error.retryable, retryable, type);
      assert.is(r.error.exceptionType, type);
      assert.ok(r.error.message.startsWith(type));
    }
  }
});

test('unknown exceptions and generic event-stream errors end the stream; odd events, bad JSON are only invalid', () => {
  const unknown = parseServerMessage(
    msg({ ':message-type': 'exception', ':exception-type': 'NewException' }, '{"message":"x"}'),
  );
  assert.ok(unknown.kind === 'error' && unknown.error.code === 'PROTOCOL' && !unknown.error.retryable);
  const generic = parseServerMessage(
    msg({ ':message-type': 'error', ':error-code': 'InternalError', ':error-message': 'oops' }, ''),
  );
  assert.ok(
    generic.kind === 'error' && generic.error.code === 'PROTOCOL' && /InternalError: oops/.test(generic.error.message),
  );
  // Events of other types are left alone (AWS adds some over time); messages that carry nothing
  // usable do not end the stream: 'invalid', a PROTOCOL error to report.
  const other = parseServerMessage(msg({ ':message-type': 'event', ':event-type': 'SomethingElse' }, '{}'));
  assert.equal(other, { kind: 'other', eventType: 'SomethingElse' });
  assert.equal(parseServerMessage(msg({ ':message-type': 'event' }, '{}')), { kind: 'other', eventType: '' });
  const bad = parseServerMessage(msg({ ':message-type': 'event', ':event-type': 'TranscriptEvent' }, '{not json'));
  assert.ok(bad.kind === 'invalid' && bad.error.code === 'PROTOCOL');
  const none = parseServerMessage(msg({}, ''));
  assert.ok(none.kind === 'invalid' && /:message-type \(missing\)/.test(none.error.message));
  // A TranscriptEvent with some unusable results keeps the good ones and says what was wrong.
  const mixed = parseServerMessage(
    msg(
      { ':message-type': 'event', ':event-type': 'TranscriptEvent' },
      JSON.stringify({
        Transcript: {
          Results: [
            { StartTime: '1.5' },
            { ResultId: 'r', StartTime: 0, EndTime: 1, IsPartial: false, Alternatives: [] },
          ],
        },
      }),
    ),
  );
  assert.ok(
    mixed.kind === 'transcript' &&
      mixed.event.Transcript.Results.length === 1 &&
      /result 0: IsPartial is missing/.test(mixed.invalid?.message ?? ''),
  );
  // Server text goes through the caller's cleaning.
  const cleaned = parseServerMessage(
    msg({ ':message-type': 'exception', ':exception-type': 'ConflictException' }, '{"Message":"a\\u001b[31mb"}'),
    (t) => t.replace(/\x1b\[31m/, ''),
  );
  assert.ok(cleaned.kind === 'error' && cleaned.error.message === 'ConflictException: ab');
});

test('only exact exception names are known, only as exceptions; text comes from Message or message', () => {
  for (const [headers, body] of [
    [{ ':message-type': 'exception', ':exception-type': 'BadRequest' }, '{"Message":"x"}'],
    [{ ':message-type': 'exception', ':exception-type': 'badrequestexception' }, '{"Message":"x"}'],
    [{ ':message-type': 'error', ':error-code': 'BadRequestException', ':error-message': 'x' }, ''],
  ] as [Record<string, string>, string][]) {
    const r = parseServerMessage(msg(headers, body));
    assert.ok(
      r.kind === 'error' && r.error.code === 'PROTOCOL' && !r.error.retryable && r.error.exceptionType === undefined,
      JSON.stringify(headers),
    );
  }
  const lower = parseServerMessage(
    msg({ ':message-type': 'exception', ':exception-type': 'ConflictException' }, '{"message":"in use"}'),
  );
  assert.ok(lower.kind === 'error' && lower.error.message === 'ConflictException: in use');
  const none = parseServerMessage(msg({ ':message-type': 'exception' }, 'not json'));
  assert.ok(
    none.kind === 'error' &&
      none.error.code === 'PROTOCOL' &&
      /^UnknownException: no message$/.test(none.error.message),
  );
});

test.run();
