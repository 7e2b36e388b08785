// The wire-side buffers of the service: steady frames from any chunking, and the bounded backlog
// that keeps audio while no stream is open (oldest dropped first, counted).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AudioBacklog, AudioFramer } from '../../../../dist/core/service/audio/framer.js';

const seq = (n: number, from = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

test('framer: any chunking gives the same frames, and flush hands out whole samples only', () => {
  const input = seq(1003);
  for (const cuts of [[1003], [1, 2, 3, 997], [100, 100, 100, 703], [500, 1, 502]]) {
    const framer = new AudioFramer(100);
    const frames: number[][] = [];
    let at = 0;
    for (const n of cuts) {
      framer.push(input.subarray(at, at + n), (f) => frames.push(Array.from(f)));
      at += n;
    }
    assert.is(framer.pending, 3);
    framer.flush((f) => frames.push(Array.from(f)));
    assert.is(frames.length, 11);
    assert.ok(frames.slice(0, 10).every((f) => f.length === 100));
    assert.equal(frames.flat(), Array.from(input.subarray(0, 1002)), `cuts ${cuts}`);
    assert.is(framer.pending, 0);
  }
  assert.throws(() => new AudioFramer(101), /even/);
});

test('backlog: FIFO across the ring boundary, peek without removing, discard after sending', () => {
  const b = new AudioBacklog(10);
  b.push(seq(6));
  const out = new Uint8Array(4);
  assert.is(b.peekInto(out), 4);
  assert.equal(Array.from(out), [0, 1, 2, 3]);
  assert.is(b.size, 6, 'peek keeps the bytes');
  b.discard(4);
  b.push(seq(6, 6)); // wraps around the end of the ring
  const all = new Uint8Array(10);
  assert.is(b.peekInto(all), 8);
  assert.equal(Array.from(all.subarray(0, 8)), [4, 5, 6, 7, 8, 9, 10, 11]);
  b.clear();
  assert.is(b.size, 0);
  assert.is(b.peekInto(all), 0);
});

test('backlog: when full, the oldest audio goes first and is counted', () => {
  const b = new AudioBacklog(8);
  assert.is(b.push(seq(6)), 0);
  assert.is(b.push(seq(4, 6)), 2);
  assert.is(b.droppedBytes, 2);
  const out = new Uint8Array(8);
  b.peekInto(out);
  assert.equal(Array.from(out), [2, 3, 4, 5, 6, 7, 8, 9]);
  // A push larger than the whole ring keeps only its newest bytes.
  assert.is(b.push(seq(12, 100)), 12);
  b.peekInto(out);
  assert.equal(Array.from(out), [104, 105, 106, 107, 108, 109, 110, 111]);
  assert.is(b.droppedBytes, 14);
  const none = new AudioBacklog(0);
  assert.is(none.push(seq(4)), 4, 'a zero-second buffer drops everything, counted');
});

test.run();
