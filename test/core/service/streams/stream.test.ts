// TranscribeStream on its own (core/service/streams/stream.ts): one socket from handshake to close,
// with a fake socket and virtual time. Every way a stream ends must reach `closed` exactly once, with
// the right classification; the router (router.test.ts) decides what follows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeMessage, TranscribeError, utf8Encode } from '../../../../dist/core/index.js';
import type { Message, SocketCloseInfo } from '../../../../dist/core/index.js';
import { DIAGNOSIS_MS } from '../../../../dist/core/service/streams/socket.js';
import { TranscribeStream } from '../../../../dist/core/service/streams/stream.js';
import type { StreamHandlers } from '../../../../dist/core/service/streams/stream.js';
import type { TranscriptEvent } from '../../../../dist/core/transcribe/transcript.js';
import { FakeServer, result } from '../../../helpers/fake-socket.ts';
import { VirtualTime } from '../../../helpers/virtual-time.ts';

const IDLE_MS = 15_000;
const CONNECT_MS = 10_000;
const AWS_IDLE_TEXT = 'Your request timed out because no new audio was received for 15 seconds.';

interface Closed {
  error: TranscribeError | undefined;
  info: SocketCloseInfo;
}

function make(o: { inline?: boolean; handlers?: Partial<StreamHandlers> } = {}) {
  const vt = new VirtualTime();
  const server = new FakeServer();
  server.autoOpen = false;
  server.closeInline = o.inline ?? false;
  const calls = {
    opened: 0,
    transcripts: [] as TranscriptEvent[],
    problems: [] as TranscribeError[],
    closed: [] as Closed[],
  };
  const handlers: StreamHandlers = {
    open: () => void calls.opened++,
    transcript: (_s, event) => void calls.transcripts.push(event),
    problem: (_s, error) => void calls.problems.push(error),
    closed: (_s, error, info) => void calls.closed.push({ error, info }),
    ...o.handlers,
  };
  const stream = new TranscribeStream({
    number: 1,
    sessionId: undefined,
    url: 'wss://transcribe.test/stream-transcription-websocket?X-Amz-Signature=SECRETSIG',
    where: 'transcribe.test',
    factory: server.factory,
    handlers,
    now: () => vt.now,
    setTimer: vt.runtime.setTimeout,
    clearTimer: vt.runtime.clearTimeout,
    idleMs: IDLE_MS,
    connectTimeoutMs: CONNECT_MS,
    clean: (text) => text.replace(/SECRET\w*/g, '[redacted]'),
  });
  return { vt, socket: server.last, stream, calls };
}

function rawMessage(headers: Record<string, string>, body: string): Uint8Array {
  const h: Message['headers'] = {};
  for (const [k, v] of Object.entries(headers)) h[k] = { type: 'string', value: v };
  return encodeMessage({ headers: h, body: utf8Encode(body) });
}

const event = (body: string): Uint8Array =>
  rawMessage({ ':message-type': 'event', ':event-type': 'TranscriptEvent', ':content-type': 'application/json' }, body);
const transcript = (text: string): Uint8Array => event(JSON.stringify({ Transcript: { Results: [result(text)] } }));

function only(calls: { closed: Closed[] }): Closed {
  assert.is(calls.closed.length, 1, 'closed exactly once');
  return calls.closed[0]!;
}

function audioFrame(s: TranscribeStream): boolean {
  return s.sendAudio(new Uint8Array(3200).fill(7), new Uint8Array(4096));
}

// ---- the connect timer ---------------------------------------------------------------------------

for (const inline of [false, true]) {
  const close = inline ? 'inside close()' : 'after close()';
  test(`connect timer: no handshake in connectTimeoutMs: CONNECT_TIMEOUT, once (close event ${close})`, async () => {
    const { vt, socket, stream, calls } = make({ inline });
    await vt.advance(CONNECT_MS - 1);
    assert.is(calls.closed.length, 0, 'not before the bound');
    assert.is(stream.state, 'connecting');
    await vt.advance(1);
    const { error, info } = only(calls);
    // Not CONNECTION_FAILED: the close event the socket delivers for our own close() is no handshake failure.
    assert.is(error?.code, 'CONNECT_TIMEOUT');
    assert.is(error?.retryable, true);
    assert.match(
      error!.message,
      /transcribe\.test did not complete the WebSocket handshake within connectTimeoutMs \(10000 ms\)/,
    );
    assert.equal(info, { code: 1000, reason: 'connect timeout', opened: false });
    assert.equal(socket.closed, { code: 1000, reason: 'connect timeout' });
    assert.is(stream.state, 'closed');
    // A handshake that completes after all is ignored.
    socket.open();
    await vt.advance(CONNECT_MS);
    assert.is(calls.opened, 0);
    assert.is(calls.closed.length, 1);
  });
}

test('connect timer: cleared by the handshake; a stream that opened never times out', async () => {
  const { vt, socket, stream, calls } = make();
  await vt.advance(CONNECT_MS / 2);
  socket.open();
  assert.is(calls.opened, 1);
  assert.is(stream.state, 'open');
  assert.is(stream.openedAt, vt.now);
  assert.is(vt.pending, 0, 'no timer left behind');
  await vt.advance(CONNECT_MS * 3);
  assert.is(calls.closed.length, 0);
  assert.is(socket.closed, undefined);
});

test('a refused handshake being diagnosed is no CONNECT_TIMEOUT: the connect timer gives way', async () => {
  const { vt, socket, calls } = make();
  await vt.advance(CONNECT_MS - 100);
  socket.events.diagnosing!({ code: 1006, reason: '', opened: false });
  await vt.advance(DIAGNOSIS_MS - 1);
  assert.is(calls.closed.length, 0, 'the connect timeout (100 ms left) no longer applies');
  socket.refuse(403, JSON.stringify({ message: 'Signature expired' }));
  const { error } = only(calls);
  assert.is(error?.code, 'AUTH_FAILED', 'what the diagnosis found');
  assert.is(vt.pending, 0, 'no timer left behind');
});

test('a diagnosis that never answers: CONNECTION_FAILED (retryable) after DIAGNOSIS_MS', async () => {
  const { vt, socket, stream, calls } = make();
  socket.events.diagnosing!({ code: 1006, reason: 'went away SECRETVALUE', opened: false });
  await vt.advance(DIAGNOSIS_MS - 1);
  assert.is(calls.closed.length, 0);
  await vt.advance(1);
  const { error, info } = only(calls);
  assert.is(error?.code, 'CONNECTION_FAILED');
  assert.ok(error?.retryable);
  assert.match(error!.message, /could not open a WebSocket to transcribe\.test \(close code 1006\)/);
  assert.equal(info, { code: 1006, reason: 'went away [redacted]', opened: false });
  assert.is(stream.state, 'closed');
  socket.refuse(403);
  assert.is(calls.closed.length, 1, 'a late answer adds nothing');
  const opened = make();
  opened.socket.open();
  opened.socket.events.diagnosing!({ code: 1006, reason: '', opened: false });
  await opened.vt.advance(DIAGNOSIS_MS * 2);
  assert.is(opened.calls.closed.length, 0, 'an open stream ignores it');
});

// ---- fail() ----------------------------------------------------------------------------------------

for (const inline of [false, true]) {
  for (const opened of [false, true]) {
    const what = opened ? 'an open' : 'a connecting';
    const close = inline ? 'inside close()' : 'after close()';
    test(`fail() on ${what} stream: closed once with that error, then the socket (close event ${close})`, async () => {
      const { vt, socket, stream, calls } = make({ inline });
      if (opened) socket.open();
      const why = new TranscribeError('PROTOCOL', 'what went wrong', { retryable: true });
      stream.fail(why, 'the reason');
      const { error, info } = only(calls);
      assert.is(error, why, 'the error given, not one made from the close event');
      assert.equal(info, { code: 1000, reason: 'the reason', opened });
      assert.equal(socket.closed, { code: 1000, reason: 'the reason' });
      stream.fail(new TranscribeError('PROTOCOL', 'again'), 'again');
      await vt.advance(CONNECT_MS * 2);
      assert.is(calls.closed.length, 1, 'a second fail(), the close event and the connect timer add nothing');
    });
  }
}

// ---- handshakes and closes -----------------------------------------------------------------------

test('refused handshakes are classified by status; AWS text is cleaned; no status is CONNECTION_FAILED', async () => {
  const cases: [number | undefined, string, boolean][] = [
    [403, 'AUTH_FAILED', false],
    [429, 'LIMIT_EXCEEDED', true],
    [500, 'INTERNAL_FAILURE', true],
    [undefined, 'CONNECTION_FAILED', true],
  ];
  for (const [status, code, retryable] of cases) {
    const { socket, calls } = make();
    if (status === undefined) socket.events.close({ code: 1006, reason: '', opened: false });
    else socket.refuse(status, JSON.stringify({ message: 'denied for SECRETKEY' }));
    const { error } = only(calls);
    assert.is(error?.code, code, String(status));
    assert.is(error?.retryable, retryable, String(status));
    assert.not.match(error!.message, /SECRET/);
    if (status !== undefined) assert.match(error!.message, /AWS said: denied for \[redacted\]/);
  }
});

test('end(): the empty AudioEvent once, no more audio; then a 1000 close is normal, else CONNECTION_LOST', async () => {
  for (const code of [1000, 1006]) {
    const { socket, stream, calls } = make();
    socket.open();
    assert.ok(audioFrame(stream));
    stream.end();
    stream.end();
    assert.is(stream.state, 'ending');
    assert.is(socket.sent.length, 2, 'one AudioEvent, one end of stream');
    assert.ok(socket.gotEndOfStream());
    assert.not.ok(audioFrame(stream), 'no audio after end()');
    socket.serverClose(code, 'bye SECRETX');
    const { error, info } = only(calls);
    if (code === 1000) assert.is(error, undefined);
    else {
      assert.is(error?.code, 'CONNECTION_LOST');
      assert.is(error?.retryable, true);
    }
    assert.is(info.reason, 'bye [redacted]', 'the close reason is cleaned');
  }
});

test('a 1000 close the client did not ask for (no end()) is CONNECTION_LOST', async () => {
  const { socket, calls } = make();
  socket.open();
  socket.serverClose(1000, '');
  const { error } = only(calls);
  assert.is(error?.code, 'CONNECTION_LOST');
  assert.match(error!.message, /the stream to transcribe\.test closed unexpectedly \(code 1000\)/);
});

test('sendAudio: false before open and after close, true for an empty frame without sending it', async () => {
  const { socket, stream } = make();
  assert.not.ok(audioFrame(stream), 'connecting');
  socket.open();
  assert.ok(stream.sendAudio(new Uint8Array(0), new Uint8Array(64)));
  assert.is(socket.sent.length, 0);
  assert.ok(audioFrame(stream));
  socket.closed = { code: 1006, reason: '' }; // the socket refuses data from now on
  assert.not.ok(audioFrame(stream), 'the socket no longer takes data');
});

// ---- exceptions: how a BadRequestException is classified -----------------------------------------

/** An open stream that last sent audio `quietMs` before an exception of `type` with `text` arrives. */
async function exceptionAfter(quietMs: number, type: string, text: string) {
  const h = make();
  h.socket.open();
  await h.vt.advance(20_000);
  assert.ok(audioFrame(h.stream), 'audio sent: our clock restarts here');
  await h.vt.advance(quietMs);
  h.socket.exception(type, text);
  return { ...only(h.calls), stream: h.stream, socket: h.socket };
}

test('idle timeout by our clock: BadRequestException after 95 % of idleMs without audio is IDLE_TIMEOUT', async () => {
  const { error, stream, socket } = await exceptionAfter(IDLE_MS * 0.95, 'BadRequestException', 'any text at all');
  assert.is(error?.code, 'IDLE_TIMEOUT');
  assert.is(error?.retryable, true);
  assert.is(error?.exceptionType, 'BadRequestException');
  assert.match(error!.message, /BadRequestException: any text at all \(no audio reached the service for 15 s/);
  assert.is(stream.unexplainedIdle, false);
  assert.equal(socket.closed, { code: 1000, reason: 'exception' });
});

test("idle timeout by AWS's text only (audio was flowing): IDLE_TIMEOUT marked unexplained", async () => {
  const quiet = IDLE_MS * 0.95 - 1;
  const { error, stream } = await exceptionAfter(quiet, 'BadRequestException', AWS_IDLE_TEXT);
  assert.is(error?.code, 'IDLE_TIMEOUT');
  assert.is(error?.retryable, true);
  assert.is(stream.unexplainedIdle, true);
  assert.match(error!.message, new RegExp(`audio was sent ${Math.round(quiet)} ms before: reconnecting once`));
});

test('another BadRequestException while audio flows stays BAD_REQUEST, not retryable; others unchanged', async () => {
  const bad = await exceptionAfter(1000, 'BadRequestException', 'Unsupported sample rate SECRETRATE');
  assert.is(bad.error?.code, 'BAD_REQUEST');
  assert.is(bad.error?.retryable, false);
  assert.is(bad.stream.unexplainedIdle, false);
  assert.is(bad.error?.message, 'BadRequestException: Unsupported sample rate [redacted]');
  // Long quiet does not turn other exceptions into idle timeouts.
  const internal = await exceptionAfter(IDLE_MS * 2, 'InternalFailureException', AWS_IDLE_TEXT);
  assert.is(internal.error?.code, 'INTERNAL_FAILURE');
  assert.is(internal.error?.retryable, true);
  assert.is(internal.stream.unexplainedIdle, false);
});

test('the idle clock counts from the last audio sent, not from the open', async () => {
  // Opened 20 s before, audio 1 s before: by our clock the stream is not idle.
  const { error, stream } = await exceptionAfter(1000, 'BadRequestException', AWS_IDLE_TEXT);
  assert.is(stream.unexplainedIdle, true);
  assert.match(error!.message, /audio was sent 1000 ms before/);
});

// ---- what the server sends -----------------------------------------------------------------------

test('problem() once per stream; good results still arrive; empty results and other event types ignored', async () => {
  const { socket, calls } = make();
  socket.open();
  socket.events.message(event('{ not json'));
  socket.events.message(transcript('hello there'));
  socket.events.message(event(JSON.stringify({ Transcript: 'not an object' })));
  socket.events.message(event(JSON.stringify({ Transcript: { Results: [] } })));
  socket.events.message(
    rawMessage(
      { ':message-type': 'event', ':event-type': 'UtteranceEvent', ':content-type': 'application/json' },
      '{}',
    ),
  );
  socket.events.message(transcript('and more'));
  assert.is(calls.problems.length, 1, 'one report for two unusable events');
  assert.is(calls.problems[0]!.code, 'PROTOCOL');
  assert.equal(
    calls.transcripts.map((e) => e.Transcript.Results[0]!.Alternatives[0]!.Transcript),
    ['hello there', 'and more'],
  );
  assert.is(calls.closed.length, 0, 'the stream goes on');
  // A new stream reports again.
  const second = make();
  second.socket.open();
  second.socket.events.message(event('{'));
  assert.is(second.calls.problems.length, 1);
});

test('bytes that are no event-stream message: PROTOCOL naming the decoder error, retryable, closed', async () => {
  const { socket, calls } = make();
  socket.open();
  const bytes = transcript('x');
  bytes[9] = bytes[9]! ^ 0xff; // the prelude CRC no longer matches
  socket.events.message(bytes);
  const { error } = only(calls);
  assert.is(error?.code, 'PROTOCOL');
  assert.is(error?.retryable, true);
  assert.match(error!.message, /transcribe\.test sent a frame that is not an event-stream message \(PRELUDE_CRC\)/);
  assert.equal(socket.closed, { code: 1000, reason: 'bad frame' });
  socket.events.message(transcript('late'));
  assert.is(calls.transcripts.length, 0, 'nothing delivered after the stream closed');
});

test('a handler that ends the stream stops delivery of the rest of the same chunk', async () => {
  const h = make({
    handlers: {
      transcript: (s, e) => {
        h.calls.transcripts.push(e);
        s.fail(new TranscribeError('PROTOCOL', 'enough'), 'enough');
      },
    },
  });
  h.socket.open();
  const a = transcript('first');
  const b = transcript('second');
  const chunk = new Uint8Array(a.length + b.length);
  chunk.set(a);
  chunk.set(b, a.length);
  h.socket.events.message(chunk);
  assert.is(h.calls.transcripts.length, 1);
  assert.is(only(h.calls).error?.message, 'enough');
});

test('a throwing handler ends the stream: INTERNAL naming the error class only; the socket sees nothing', async () => {
  const h = make({
    handlers: {
      transcript: () => {
        throw new TypeError('SECRETDETAIL in a bug');
      },
    },
  });
  h.socket.open();
  h.socket.events.message(transcript('boom')); // would throw here if the guard let it through
  const { error } = only(h.calls);
  assert.is(error?.code, 'INTERNAL');
  assert.is(error?.retryable, true);
  assert.match(
    error!.message,
    /internal error while handling the stream to transcribe\.test \(TypeError; please report it\); reconnecting/,
  );
  assert.not.match(error!.message, /SECRET/);
  assert.instance((error as unknown as { cause: unknown }).cause, TypeError);
  assert.equal(h.socket.closed, { code: 1000, reason: 'internal error' });
  // Even the router's closed() handler throwing stays inside the stream.
  const g = make({
    handlers: {
      open: () => {
        throw new Error('open handler bug');
      },
      closed: () => {
        throw new Error('closed handler bug');
      },
    },
  });
  g.socket.open(); // would throw here if the guard let it through
  assert.is(g.stream.state, 'closed');
});

test.run();
