// The replay's two parts on their own: the ring of sent audio by timeline position, and how far
// the finals have got per channel (the service-level behaviour: test/core/service/replay.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Confirmations, ReplayRing } from '../../../../dist/core/service/streams/replay.js';
import { result } from '../../../helpers/fake-socket.ts';

const bytes = (from: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) % 256);

test('ReplayRing keeps the newest bytes by timeline position; since() starts at the oldest kept', () => {
  const ring = new ReplayRing(8);
  ring.record(bytes(0, 5));
  ring.record(bytes(5, 7));
  assert.is(ring.end, 12);
  assert.is(ring.start, 4);
  assert.equal([...ring.since(0)], [...bytes(4, 8)], 'older than the ring: all it keeps');
  assert.equal([...ring.since(9)], [...bytes(9, 3)]);
  assert.equal([...ring.since(12)], []);
});

test('Confirmations: from the last final while a partial is pending, else at most 2 s back', () => {
  const c = new Confirmations();
  assert.is(c.confirmed(1.5, 1), 0);
  assert.is(c.confirmed(5, 1), 3, 'nothing heard: the last 2 s');
  c.see([result('one two', { IsPartial: false, StartTime: 0.5, EndTime: 1.2 })], true);
  c.see([result('three', { IsPartial: true, StartTime: 1.5, EndTime: 2 })], true);
  assert.is(c.confirmed(9, 1), 1.2, 'a partial pending: from the end of the last final, however far back');
  c.see([result('three four', { IsPartial: false, StartTime: 1.5, EndTime: 2.5 })], true);
  assert.is(c.confirmed(3, 1), 2.5);
  assert.is(c.confirmed(9, 1), 7);
  c.reset();
  assert.is(c.confirmed(9, 1), 7);
});

test('Confirmations with two channels: the channel furthest behind decides', () => {
  const c = new Confirmations();
  c.see([result('left', { IsPartial: false, EndTime: 4, ChannelId: 'ch_0' })], true);
  c.see([result('right', { IsPartial: true, EndTime: 3, ChannelId: 'ch_1' })], true);
  assert.is(c.confirmed(6, 2), 0, 'ch_1 has a partial pending and no final yet');
  c.see([result('right side', { IsPartial: false, EndTime: 3.5, ChannelId: 'ch_1' })], true);
  assert.is(c.confirmed(6, 2), 4);
  assert.is(c.confirmed(5, 2), 3.5, 'ch_1 quiet since 3.5 s, not yet 2 s ago');
  // A channel id AWS does not send counts as the default channel, not as a third one.
  c.see([result('odd', { IsPartial: true, EndTime: 5, ChannelId: 'ch_7' })], true);
  assert.is(c.confirmed(6, 2), 4);
});

test.run();
