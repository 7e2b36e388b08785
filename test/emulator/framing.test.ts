// The emulator's stream: event-stream framing (several messages per frame, split messages, signed
// envelopes with a chained :chunk-signature), the ways a stream ends, bad frames, the idle timeout
// and the maximum duration.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioEvent, encodeMessage, endOfStream, hmacSha256, sha256, toHex } from '../../dist/core/index.js';
import { IDLE_TIMEOUT_MESSAGE } from '../../dist/emulator/index.js';
import { concat, connect, exceptions, pcm, results, send, withEmulator } from '../helpers/emulator-client.ts';

const fr = suite('emulator framing and stream endings');

fr('several messages in one frame, and one message split over frames', () =>
  withEmulator({}, async (emu) => {
    const c = await connect(emu);
    const a = pcm([{ speechMs: 100 }]);
    const b = pcm([{ silenceMs: 100 }]);
    const d = pcm([{ speechMs: 50 }]);
    send(c.ws, concat(audioEvent(a), audioEvent(b)));
    const split = audioEvent(d);
    send(c.ws, split.subarray(0, 5));
    send(c.ws, split.subarray(5, 1000));
    send(c.ws, concat(split.subarray(1000), endOfStream()));
    assert.equal(await c.closed, { code: 1000, wasClean: true });
    assert.equal(c.session.audio, concat(a, b, d));
    assert.is(c.session.frames, 4);
    assert.equal(exceptions(c), []);
  }),
);

/** Signs envelopes exactly as the SDK's event signer does, independently of the emulator's code. */
function envelopeSigner(url: string, secret: string): (inner: Uint8Array, date: Date) => Uint8Array {
  const q = new URL(url).searchParams;
  let prior = q.get('X-Amz-Signature')!;
  const region = q.get('X-Amz-Credential')!.split('/')[2]!;
  return (inner, date) => {
    const amz = date
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = amz.slice(0, 8);
    const key = ['transcribe', 'aws4_request'].reduce(
      (k, part) => hmacSha256(k, part),
      hmacSha256(hmacSha256(`AWS4${secret}`, day), region),
    );
    const dateHeader = encodeMessage({
      headers: { ':date': { type: 'timestamp', value: date } },
      body: new Uint8Array(0),
    }).subarray(12, 12 + 15);
    const sts = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      amz,
      `${day}/${region}/transcribe/aws4_request`,
      prior,
      toHex(sha256(dateHeader)),
      toHex(sha256(inner)),
    ].join('\n');
    const sig = hmacSha256(key, sts);
    prior = toHex(sig);
    return encodeMessage({
      headers: { ':date': { type: 'timestamp', value: date }, ':chunk-signature': { type: 'binary', value: sig } },
      body: inner,
    });
  };
}

fr(
  'signed envelopes (:date + chained :chunk-signature) are verified and unwrapped; the empty one ends the stream',
  () =>
    withEmulator({ script: ['Signed speech.'] }, async (emu) => {
      const c = await connect(emu);
      const sign = envelopeSigner(c.url, emu.credentials.secretAccessKey);
      const audio = pcm([{ speechMs: 500 }]);
      for (let i = 0; i < audio.length; i += 3200)
        send(c.ws, sign(audioEvent(audio.subarray(i, i + 3200)), new Date()));
      send(c.ws, sign(new Uint8Array(0), new Date()));
      assert.equal(await c.closed, { code: 1000, wasClean: true });
      assert.equal(exceptions(c), []);
      assert.ok(c.session.signed);
      assert.equal(c.session.audio, audio);
      // End of stream flushed the utterance still in progress (no trailing silence was sent).
      assert.equal(
        results(c)
          .filter((r) => !r.IsPartial)
          .map((r) => r.Alternatives[0]!.Transcript),
        ['Signed speech.'],
      );
    }),
);

fr('a broken :chunk-signature chain is a BadRequestException, then close', () =>
  withEmulator({}, async (emu) => {
    const c = await connect(emu);
    const sign = envelopeSigner(c.url, emu.credentials.secretAccessKey);
    const chunk = audioEvent(pcm([{ speechMs: 100 }]));
    send(c.ws, sign(chunk, new Date()));
    // A well-formed envelope whose signature is not the next link of the chain.
    const tampered = encodeMessage({
      headers: {
        ':date': { type: 'timestamp', value: new Date() },
        ':chunk-signature': { type: 'binary', value: new Uint8Array(32) },
      },
      body: chunk,
    });
    send(c.ws, tampered);
    assert.is((await c.closed).code, 1000);
    assert.equal(
      exceptions(c).map((e) => e.type),
      ['BadRequestException'],
    );
    assert.match(exceptions(c)[0]!.message, /signature we calculated does not match/);
    assert.is(c.session.audio.length, 3200, 'the first, correctly signed chunk was taken');
  }),
);

fr('every end-of-stream form flushes the pending utterance and closes 1000', async () => {
  const ends: [string, Uint8Array][] = [
    ['empty AudioEvent', endOfStream()],
    ['zero-length frame', new Uint8Array(0)],
    ['header-less empty message', encodeMessage({ headers: {}, body: new Uint8Array(0) })],
  ];
  for (const [name, end] of ends) {
    await withEmulator({ script: ['Pending words.'] }, async (emu) => {
      const c = await connect(emu);
      c.sendAudio(pcm([{ speechMs: 600 }]));
      send(c.ws, end);
      assert.equal(await c.closed, { code: 1000, wasClean: true }, name);
      const last = results(c).at(-1)!;
      assert.is(last.IsPartial, false, name);
      assert.is(last.Alternatives[0]!.Transcript, 'Pending words.', name);
      assert.is(c.session.closeCode, 1000);
    });
  }
});

fr('bad frames get a BadRequestException, then close', async () => {
  const corrupt = audioEvent(pcm([{ speechMs: 100 }]));
  corrupt[200] = corrupt[200]! ^ 0xff;
  const wrongEvent = encodeMessage({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'ConfigurationEvent' },
    },
    body: new Uint8Array(4),
  });
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['CRC mismatch', corrupt, /Could not decode the event stream you sent: message checksum mismatch/],
    ['text frame', '{"message-type":"event","event":"end"}', /Text WebSocket frames are not supported/],
    ['wrong event type', wrongEvent, /must be an AudioEvent/],
    [
      'half a signed envelope',
      encodeMessage({ headers: { ':date': { type: 'timestamp', value: new Date() } }, body: new Uint8Array(1) }),
      /both a :date/,
    ],
  ];
  for (const [name, frame, expected] of cases) {
    await withEmulator({}, async (emu) => {
      const c = await connect(emu);
      c.sendAudio(pcm([{ speechMs: 100 }]));
      send(c.ws, frame);
      c.sendAudio(pcm([{ speechMs: 100 }])); // ignored: the stream has failed
      assert.is((await c.closed).code, 1000, name);
      const ex = exceptions(c);
      assert.is(ex.length, 1, name);
      assert.is(ex[0]!.type, 'BadRequestException', name);
      assert.match(ex[0]!.message, expected, name);
      assert.is(c.session.audio.length, 3200, name);
    });
  }
});

fr.run();

// ---------------------------------------------------------------------------------------------------

const lim = suite('emulator time limits');

lim("no audio for idleTimeoutMs: AWS's exact BadRequestException, then close", () =>
  withEmulator({ idleTimeoutMs: 300 }, async (emu) => {
    assert.is(IDLE_TIMEOUT_MESSAGE, 'Your request timed out because no new audio was received for 15 seconds.');
    const c = await connect(emu);
    // Audio keeps the stream alive; the timeout counts from the last AudioEvent.
    for (let i = 0; i < 4; i++) {
      c.sendAudio(pcm([{ silenceMs: 100 }]));
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.equal(c.received, [], 'still alive after 600 ms of audio every 150 ms');
    assert.is((await c.closed).code, 1000);
    assert.equal(exceptions(c), [{ type: 'BadRequestException', message: IDLE_TIMEOUT_MESSAGE }]);
  }),
);

lim('a stream longer than maxDurationMs (wall clock) ends with LimitExceededException', () =>
  withEmulator({ maxDurationMs: 300, idleTimeoutMs: 5000 }, async (emu) => {
    const c = await connect(emu);
    assert.is((await c.closed).code, 1000);
    assert.equal(
      exceptions(c).map((e) => e.type),
      ['LimitExceededException'],
    );
  }),
);

lim('audio past maxDurationMs: pending results are flushed, then LimitExceededException', () =>
  withEmulator({ maxDurationMs: 1000, script: ['Too long.'] }, async (emu) => {
    const c = await connect(emu);
    c.sendAudio(pcm([{ speechMs: 1500 }]));
    assert.is((await c.closed).code, 1000);
    const kinds = c.received.map((r) => (r.kind === 'exception' ? r.type : r.result.IsPartial ? 'partial' : 'final'));
    assert.equal(kinds.slice(-2), ['final', 'LimitExceededException']);
    assert.ok(c.session.audio.length <= 32000 + 3200, 'nothing read after the limit');
  }),
);

lim.run();
