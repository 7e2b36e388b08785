// The command's input side in-process (cli/wav.ts, cli/audio-input.ts): what a file that is not a
// WAV is taken for, the WAV layouts that are refused and why, RF64, the synthesised demo sample, and
// raw-PCM flags next to a WAV header. (The command end to end: cli.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAudioBytes, openAudioInput } from '../../dist/cli/audio-input.js';
import type { RawPcmOptions } from '../../dist/cli/audio-input.js';
import { ByteReader } from '../../dist/cli/byte-reader.js';
import { DEMO_SCRIPT, demoSampleWav } from '../../dist/cli/demo-sample.js';
import { readWavHeader, sniffContainer } from '../../dist/cli/wav.js';
import { joinRegExp } from '../helpers/regexp.ts';

const tmp = mkdtempSync(join(tmpdir(), 'transcribe-stream-input-'));
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A RIFF file of `chunks` ([id, body]), each padded to an even length as RIFF requires. */
function riff(chunks: [string, Uint8Array][], id = 'RIFF'): Uint8Array {
  const parts = chunks.map(([name, body]) => {
    const out = new Uint8Array(8 + body.length + (body.length & 1));
    out.set(latin1(name));
    new DataView(out.buffer).setUint32(4, body.length, true);
    out.set(body, 8);
    return out;
  });
  const size = 4 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(8 + size);
  out.set(latin1(id));
  new DataView(out.buffer).setUint32(4, id === 'RF64' ? 0xffffffff : size, true);
  out.set(latin1('WAVE'), 8);
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A 16-byte PCM fmt chunk body. */
function fmt(
  o: { tag?: number; channels?: number; rate?: number; bits?: number; blockAlign?: number } = {},
): Uint8Array {
  const { tag = 1, channels = 1, rate = 16000, bits = 16 } = o;
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, tag, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, (rate * channels * bits) / 8, true);
  v.setUint16(12, o.blockAlign ?? (channels * bits) / 8, true);
  v.setUint16(14, bits, true);
  return b;
}

async function* pieces(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += 5) yield bytes.subarray(i, i + 5);
}

async function refusal(bytes: Uint8Array): Promise<string> {
  try {
    await readWavHeader(new ByteReader(pieces(bytes)), 'in.wav');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the header to be refused');
}

async function openError(bytes: Uint8Array, raw: RawPcmOptions): Promise<string> {
  const path = join(tmp, `f${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(path, bytes);
  try {
    const input = await openAudioInput(path, raw, pieces(new Uint8Array(0)));
    input.close();
  } catch (e) {
    return (e as Error).message.replace(path, 'FILE');
  }
  throw new Error('expected the input to be refused');
}

test('containers that are not WAV are named from their first bytes', () => {
  const cases: [string | Uint8Array, string | undefined][] = [
    ['fLaC\0\0\0\x22', 'FLAC'],
    ['OggS\0\x02\0\0', 'Ogg (Opus or Vorbis)'],
    ['FORM\0\0\0\0AIFF', 'AIFF'],
    ['caff\0\x01\0\0', 'Core Audio (CAF)'],
    ['.snd\0\0\0\x18', 'Sun/NeXT AU'],
    ['#!AMR\n', 'AMR'],
    ['ID3\x04\0\0\0\0', 'MP3'],
    [new Uint8Array([0xff, 0xfb, 0x90, 0x44]), 'MP3'],
    ['\0\0\0\x20ftypM4A ', 'MP4/M4A'],
    [new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 0, 0, 0]), 'WebM/Matroska'],
    ['just some text', undefined],
    [new Uint8Array([0xff, 0x1f]), undefined],
  ];
  for (const [head, kind] of cases) {
    const bytes = typeof head === 'string' ? latin1(head) : head;
    assert.is(sniffContainer(bytes), kind, JSON.stringify(typeof head === 'string' ? head : Array.from(head)));
  }
});

test('WAV layouts that cannot be read say what is wrong with them', async () => {
  const data = new Uint8Array(32);
  assert.match(
    await refusal(
      riff([
        ['fmt ', new Uint8Array(14)],
        ['data', data],
      ]),
    ),
    /in\.wav: malformed WAV: a fmt chunk of 14 bytes/,
  );
  assert.match(
    await refusal(
      riff([
        ['data', data],
        ['fmt ', fmt()],
      ]),
    ),
    /the data chunk comes before the fmt chunk/,
  );
  assert.match(
    await refusal(
      riff([
        ['fmt ', fmt({ channels: 2, blockAlign: 2 })],
        ['data', data],
      ]),
    ),
    /block align 2 does not fit 2 channel\(s\) of PCM 16-bit/,
  );
  assert.match(
    await refusal(
      riff([
        ['fmt ', fmt({ rate: 200_000 })],
        ['data', data],
      ]),
    ),
    /unsupported WAV: 200000 Hz/,
  );
  // A chunk that claims more bytes than the file has.
  const cut = riff([
    ['fmt ', fmt()],
    ['LIST', new Uint8Array(40)],
    ['data', data],
  ]).subarray(0, 12 + 24 + 20);
  assert.match(await refusal(cut), /malformed WAV: it ends inside the "LIST" chunk/);
  assert.match(await refusal(riff([['fmt ', fmt()]]).subarray(0, 30)), /it ends inside the fmt chunk/);
  assert.match(await refusal(riff([['fmt ', fmt()]])), /it ends before the data chunk/);
});

test('RF64: the data size comes from the ds64 chunk when the data chunk says 0xFFFFFFFF', async () => {
  const ds64 = new Uint8Array(28);
  new DataView(ds64.buffer).setBigUint64(8, 48_000n, true);
  const file = riff(
    [
      ['ds64', ds64],
      ['fmt ', fmt({ rate: 48000 })],
      ['data', new Uint8Array(0)],
    ],
    'RF64',
  );
  new DataView(file.buffer).setUint32(file.length - 4, 0xffffffff, true);
  const info = await readWavHeader(new ByteReader(pieces(file)), 'big.wav');
  assert.equal(info, { format: 's16le', sampleRate: 48000, channels: 1, dataBytes: 48_000 });
});

test("the demo's synthesised sample: 48 kHz stereo WAV, three bursts where the recording's sentences are", async () => {
  const input = await openAudioBytes('the synthesised demo sample', demoSampleWav());
  assert.is(input.description, 'WAV, PCM 16-bit, 48000 Hz, stereo');
  assert.is(input.durationSeconds, 4.2);
  // Loudness per 100 ms block: speech-like bursts at 120-700, 1380-2380 and 3060-3880 ms.
  const loud: boolean[] = [];
  for (let b = await input.nextBlock(); b; b = await input.nextBlock()) {
    const s = new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
    let energy = 0;
    for (const x of s) energy += x * x;
    loud.push(energy / s.length > 1e5);
  }
  assert.is(loud.length, 42);
  const bursts: [number, number][] = [];
  loud.forEach((on, i) => {
    if (on && !loud[i - 1]) bursts.push([i, i]);
    if (on) bursts[bursts.length - 1]![1] = i;
  });
  assert.equal(bursts, [
    [1, 6],
    [13, 23],
    [30, 38],
  ]);
  assert.is(bursts.length, DEMO_SCRIPT.length, 'one burst per line of the script');
});

test('raw-PCM flags next to a WAV: fine when they agree, refused naming the flag when they contradict it', async () => {
  const file = riff([
    ['fmt ', fmt({ rate: 16000, channels: 1 })],
    ['data', new Uint8Array(6400)],
  ]);
  const path = join(tmp, 'agrees.wav');
  writeFileSync(path, file);
  const agrees = await openAudioInput(path, { rate: 16000, channels: 1, format: 's16le' }, pieces(new Uint8Array(0)));
  assert.is(agrees.durationSeconds, 0.2);
  agrees.close();
  const header = joinRegExp(
    /FILE is a WAV file \(PCM 16-bit, 16000 Hz, 1 channel\(s\)\) and (.*) contradicts its header; /,
    /these options describe headerless PCM only/,
  );
  assert.is(header.exec(await openError(file, { rate: 8000 }))?.[1], '--rate 8000');
  assert.is(header.exec(await openError(file, { channels: 2 }))?.[1], '--channels 2');
  assert.is(header.exec(await openError(file, { format: 'f32le' }))?.[1], '--format f32le');
});

test('headerless input: non-WAV with raw flags but no --rate is refused, naming what it looks like', async () => {
  assert.is(
    await openError(latin1('fLaC\0\0\0\x22 and FLAC frames follow'), { channels: 1 }),
    'FILE: raw PCM needs --rate (and it looks like FLAC, not PCM)',
  );
  assert.is(
    await openError(latin1('plain bytes, no header at all'), { format: 's16le' }),
    'FILE: raw PCM needs --rate',
  );
  assert.match(await openError(new Uint8Array(0), {}), /is empty: no audio to transcribe/);
  assert.match(
    await openError(
      riff([
        ['fmt ', fmt()],
        ['data', new Uint8Array(0)],
      ]),
      {},
    ),
    /the WAV file holds no audio/,
  );
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
