// Event-stream hot paths side by side with their peers, in one process and one run:
//   1. CRC-32: ours (table, slice-by-16) vs node:zlib crc32 (native) vs @aws-crypto/crc32;
//   2. AudioEvent encode and 3. decode of the same 3200-byte (100 ms of 16 kHz audio) frame vs
//      @smithy/eventstream-codec, which @aws-sdk/client-transcribe-streaming uses (and which runs
//      node:zlib's native crc32 on Node 22).
// Method: every contender is warmed up, then measured in R paired rounds (order alternating per
// round) of a fixed time slice each; tables give the median and min..max over rounds, and the
// ratio to the peer computed per round (median [min..max]).
// Usage: node bench/eventstream.bench.ts [--smoke]   (after `node build.mjs`)
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32 as awsCrc32 } from '@aws-crypto/crc32';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { MessageHeaders } from '@smithy/types';
import {
  audioEvent,
  audioEventLength,
  crc32Table,
  decodeMessage,
  encodeAudioEventInto,
  encodeMessage,
  MessageDecoder,
  setCrc32Implementation,
} from '../dist/core/index.js';
import type { HeaderValue } from '../dist/core/index.js';
import { figure, median, pairedRatio } from './stats.ts';
import { runIfMain } from './table.ts';
import type { BenchTable } from './table.ts';

export type { BenchTable };

interface Contender {
  name: string;
  /** One operation; returns a number so the work cannot be optimised away. */
  fn: () => number;
  /** Runs before/after this contender's slices (e.g. plug a CRC implementation in and out). */
  setup?: () => void;
  teardown?: () => void;
}

interface Measured {
  name: string;
  opsPerSec: number[];
}

let sink = 0;

function timeSlice(fn: () => number, ms: number, batch: number): number {
  const start = performance.now();
  let ops = 0;
  let now = start;
  do {
    for (let i = 0; i < batch; i++) sink ^= fn();
    ops += batch;
    now = performance.now();
  } while (now - start < ms);
  return ops / ((now - start) / 1000);
}

/** Paired rounds: each round measures every contender once, alternating the order. */
function measure(contenders: Contender[], rounds: number, sliceMs: number, warmMs: number): Measured[] {
  const batches = contenders.map((c) => {
    c.setup?.();
    // Warm up, and size a batch to about 1 ms so the clock is read rarely.
    const rate = timeSlice(c.fn, warmMs, 1);
    c.teardown?.();
    return Math.max(1, Math.round(rate / 1000));
  });
  const results: Measured[] = contenders.map((c) => ({ name: c.name, opsPerSec: [] }));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const c = contenders[i]!;
      c.setup?.();
      results[i]!.opsPerSec.push(timeSlice(c.fn, sliceMs, batches[i]!));
      c.teardown?.();
    }
  }
  return results;
}

/** Rows: name, MB/s (and msgs/s) median, min..max, ratio to `peer` (by name). */
function table(
  title: string,
  results: Measured[],
  bytesPerOp: number,
  peer: string,
  withMsgs: boolean,
  notes: string[],
): BenchTable {
  const base = results.find((r) => r.name === peer)!;
  const columns = ['implementation', 'MB/s median', 'MB/s min..max'];
  if (withMsgs) columns.push('msgs/s median');
  columns.push(`vs ${peer} (median [min..max])`);
  const rows = results.map((r) => {
    const mb = r.opsPerSec.map((x) => (x * bytesPerOp) / 1e6);
    const row: (string | number)[] = [
      r.name,
      figure(median(mb)),
      `${figure(Math.min(...mb))}..${figure(Math.max(...mb))}`,
    ];
    if (withMsgs) row.push(figure(median(r.opsPerSec)));
    row.push(r === base ? '1.00x (peer)' : pairedRatio(r.opsPerSec, base.opsPerSec));
    return row;
  });
  return { title, columns, rows, notes };
}

const nativeCrc = (d: Uint8Array, p?: number): number => zlibCrc32(d, p ?? 0);
const withNativeCrc = { setup: () => setCrc32Implementation(nativeCrc), teardown: () => setCrc32Implementation(null) };

export async function run(opts: { smoke: boolean }): Promise<BenchTable[]> {
  const rounds = opts.smoke ? 3 : 9;
  const sliceMs = opts.smoke ? 15 : 200;
  const warmMs = opts.smoke ? 20 : 300;
  const tables: BenchTable[] = [];
  const PCM = 3200;
  const pcm = new Uint8Array(PCM).map((_, i) => (i * 7919) & 255);

  // 1. CRC-32.
  for (const size of [PCM, 65536]) {
    const data = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 255);
    const results = measure(
      [
        { name: 'node:zlib crc32 (native)', fn: () => zlibCrc32(data) },
        { name: 'ours crc32Table (slice-by-16, JS)', fn: () => crc32Table(data) },
        { name: '@aws-crypto/crc32', fn: () => awsCrc32(data) },
      ],
      rounds,
      sliceMs,
      warmMs,
    );
    tables.push(
      table(`CRC-32 of ${size} bytes`, results, size, 'node:zlib crc32 (native)', false, [
        'Target: ours >= 0.3x native zlib. The table version is what runs where no native CRC exists (browsers, ' +
          'Deno, Workers, QuickJS).',
      ]),
    );
  }

  // 2. AudioEvent encode.
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const headers: Record<string, HeaderValue> = {
    ':message-type': { type: 'string', value: 'event' },
    ':event-type': { type: 'string', value: 'AudioEvent' },
    ':content-type': { type: 'string', value: 'application/octet-stream' },
  };
  const smithyHeaders = headers as MessageHeaders;
  const frameLength = audioEventLength(PCM);
  const reuse = new Uint8Array(frameLength);
  const lastByte = (b: Uint8Array): number => b[b.length - 1]!;
  const encodeResults = measure(
    [
      {
        name: '@smithy/eventstream-codec encode',
        fn: () => lastByte(codec.encode({ headers: smithyHeaders, body: pcm })),
      },
      { name: 'ours audioEvent (table CRC)', fn: () => lastByte(audioEvent(pcm)) },
      { name: 'ours audioEvent (native CRC plugged in)', fn: () => lastByte(audioEvent(pcm)), ...withNativeCrc },
      {
        name: 'ours encodeAudioEventInto, reused buffer (table CRC)',
        fn: () => encodeAudioEventInto(pcm, reuse) + reuse[frameLength - 1]!,
      },
      {
        name: 'ours encodeAudioEventInto, reused buffer (native CRC)',
        fn: () => encodeAudioEventInto(pcm, reuse) + reuse[frameLength - 1]!,
        ...withNativeCrc,
      },
      { name: 'ours encodeMessage, generic (table CRC)', fn: () => lastByte(encodeMessage({ headers, body: pcm })) },
    ],
    rounds,
    sliceMs,
    warmMs,
  );
  tables.push(
    table(
      `AudioEvent encode, ${PCM}-byte payload (${frameLength}-byte frame)`,
      encodeResults,
      frameLength,
      '@smithy/eventstream-codec encode',
      true,
      [
        'Target: ours >= 3x smithy. Smithy uses node:zlib crc32 on Node; "native CRC plugged in" is what the Node ' +
          'adapter does (setCrc32Implementation).',
      ],
    ),
  );

  // 3. Decode of the same frame.
  const frame = audioEvent(pcm);
  const decoder = new MessageDecoder();
  const decodeResults = measure(
    [
      { name: '@smithy/eventstream-codec decode', fn: () => codec.decode(frame).body.length },
      { name: 'ours decodeMessage (table CRC)', fn: () => decodeMessage(frame).body.length },
      {
        name: 'ours decodeMessage (native CRC plugged in)',
        fn: () => decodeMessage(frame).body.length,
        ...withNativeCrc,
      },
      {
        name: 'ours MessageDecoder.push, whole frame (native CRC)',
        fn: () => decoder.push(frame).length,
        ...withNativeCrc,
      },
    ],
    rounds,
    sliceMs,
    warmMs,
  );
  tables.push(
    table(
      `decode of a ${frameLength}-byte AudioEvent frame`,
      decodeResults,
      frameLength,
      '@smithy/eventstream-codec decode',
      true,
      [
        'Target: ours >= 2x smithy. Both verify both CRCs and parse the three string headers; bodies are views on ' +
          'both sides.',
      ],
    ),
  );
  if (sink === 0.5) console.log(sink); // keep the sink observable
  const note =
    `node ${process.version}, ` +
    `${opts.smoke ? 'smoke run (numbers are rough)' : `${rounds} paired rounds of ${sliceMs} ms`}`;
  for (const t of tables) t.notes = [...(t.notes ?? []), note];
  return tables;
}

await runIfMain(import.meta.url, run);
