import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import {
  AUDIO_EVENT_PAYLOAD_OFFSET,
  audioEvent,
  audioEventLength,
  decodeMessage,
  encodeAudioEventInto,
  encodeMessage,
  endOfStream,
  EventStreamError,
  MAX_PAYLOAD_LENGTH,
  setCrc32Implementation,
} from '../../../dist/core/index.js';
import type { HeaderValue } from '../../../dist/core/index.js';
import type { MessageHeaders } from '@smithy/types';

// The AudioEvent of the Transcribe streaming docs, spelled out here rather than taken from the code.
const HEADERS: Record<string, HeaderValue> = {
  ':message-type': { type: 'string', value: 'event' },
  ':event-type': { type: 'string', value: 'AudioEvent' },
  ':content-type': { type: 'string', value: 'application/octet-stream' },
};

const pcmOf = (n: number, seed = 1): Uint8Array => new Uint8Array(n).map((_, i) => (i * 7919 + seed * 104729) & 255);
const SIZES = [0, 1, 2, 31, 320, 3199, 3200, 6400, 32000, 65537];

test('audioEvent equals encodeMessage of the same three headers and payload', () => {
  for (const n of SIZES) {
    const pcm = pcmOf(n, n);
    const frame = audioEvent(pcm);
    assert.equal(frame, encodeMessage({ headers: HEADERS, body: pcm }), `${n} bytes`);
    assert.is(frame.length, audioEventLength(n));
    assert.is(audioEventLength(n), n + 104, '16 bytes of framing + 88 of headers');
  }
});

test('@smithy/eventstream-codec decodes it to the AudioEvent headers and the exact payload', () => {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  for (const n of SIZES) {
    const pcm = pcmOf(n, 3);
    const msg = codec.decode(audioEvent(pcm));
    assert.equal(msg.headers, HEADERS, `${n} bytes`);
    assert.equal(new Uint8Array(msg.body), pcm, `${n} bytes`);
    // And their encoder writes the same bytes as ours.
    // (No long header here, so our header objects are smithy's as they are.)
    assert.equal(codec.encode({ headers: HEADERS as MessageHeaders, body: pcm }), audioEvent(pcm), `${n} bytes`);
  }
});

test('CRCs are what zlib computes over the frame', () => {
  const frame = audioEvent(pcmOf(3200));
  const v = new DataView(frame.buffer);
  assert.is(v.getUint32(0), frame.length);
  assert.is(v.getUint32(4), 88);
  assert.is(v.getUint32(8), zlibCrc32(frame.subarray(0, 8)));
  assert.is(v.getUint32(frame.length - 4), zlibCrc32(frame.subarray(0, frame.length - 4)));
});

test('endOfStream is the empty AudioEvent, a fresh array each call', () => {
  const a = endOfStream();
  assert.equal(a, encodeMessage({ headers: HEADERS, body: new Uint8Array(0) }));
  assert.is(a.length, 104);
  const m = decodeMessage(a);
  assert.is(m.body.length, 0);
  assert.equal(m.headers, HEADERS);
  a[0] = 99;
  assert.is(endOfStream()[0], 0, 'mutating one result does not leak into the next');
});

test('encodeAudioEventInto writes at an offset, returns the length and touches nothing else', () => {
  const pcm = pcmOf(3200);
  const want = audioEvent(pcm);
  for (const offset of [0, 1, 3, 4, 17]) {
    const out = new Uint8Array(offset + want.length + 9).fill(0xee);
    const n = encodeAudioEventInto(pcm, out, offset);
    assert.is(n, want.length);
    assert.equal(out.subarray(offset, offset + n), want, `offset ${offset}`);
    assert.ok(
      out.subarray(0, offset).every((b) => b === 0xee),
      'bytes before untouched',
    );
    assert.ok(
      out.subarray(offset + n).every((b) => b === 0xee),
      'bytes after untouched',
    );
  }
  // A reused buffer gives the same frames as fresh ones.
  const buf = new Uint8Array(audioEventLength(6400));
  for (const size of [6400, 10, 3200]) {
    const p = pcmOf(size, size);
    const n = encodeAudioEventInto(p, buf);
    assert.equal(buf.subarray(0, n), audioEvent(p), `reuse ${size}`);
  }
});

test('PCM written in place at AUDIO_EVENT_PAYLOAD_OFFSET needs no copy', () => {
  const pcm = pcmOf(640);
  const out = new Uint8Array(audioEventLength(pcm.length) + 5);
  const at = 5 + AUDIO_EVENT_PAYLOAD_OFFSET;
  out.set(pcm, at);
  const n = encodeAudioEventInto(out.subarray(at, at + pcm.length), out, 5);
  assert.equal(out.subarray(5, 5 + n), audioEvent(pcm));
  assert.is(AUDIO_EVENT_PAYLOAD_OFFSET, 100);
});

test('a buffer too small, a bad offset, a non-byte array and an oversized chunk are refused', () => {
  const pcm = pcmOf(100);
  assert.throws(() => encodeAudioEventInto(pcm, new Uint8Array(audioEventLength(100) - 1)), RangeError);
  assert.throws(() => encodeAudioEventInto(pcm, new Uint8Array(audioEventLength(100)), 1), RangeError);
  assert.throws(() => encodeAudioEventInto(pcm, new Uint8Array(500), -1), RangeError);
  assert.throws(() => encodeAudioEventInto(pcm, new Uint8Array(500), 0.5), RangeError);
  const samples = new Int16Array(50);
  assert.throws(
    () => audioEvent(samples as unknown as Uint8Array),
    (e: unknown) => e instanceof TypeError && /Uint8Array/.test(String(e)),
  );
  try {
    audioEvent(new Uint8Array(MAX_PAYLOAD_LENGTH + 1));
    assert.unreachable('oversized');
  } catch (e) {
    assert.instance(e, EventStreamError);
    assert.is((e as EventStreamError).code, 'LENGTH');
  }
});

test('Buffer and Int8Array input are bytes too', () => {
  const pcm = pcmOf(64);
  assert.equal(audioEvent(Buffer.from(pcm)), audioEvent(pcm));
  assert.equal(audioEvent(new Int8Array(pcm.buffer) as unknown as Uint8Array), audioEvent(pcm));
});

test('the same bytes with the native CRC plugged in, as the Node adapter does', () => {
  const pcm = pcmOf(3200, 9);
  const table = audioEvent(pcm);
  let calls = 0;
  setCrc32Implementation((d, p) => {
    calls++;
    return zlibCrc32(d, p ?? 0);
  });
  try {
    assert.equal(audioEvent(pcm), table);
    assert.is(calls, 1, 'one CRC pass per frame (the prelude is checksummed inline)');
    assert.equal(decodeMessage(table).body, pcm);
  } finally {
    setCrc32Implementation(null);
  }
});

test.run();
