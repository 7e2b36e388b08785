/**
 * Opens what the user named: a WAV file, headerless PCM described by --rate/--channels/--format,
 * or `-` for stdin (a WAV stream or raw PCM). Hands out the audio in blocks of whole frames.
 */

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ByteReader } from './byte-reader.js';
import { CliError } from './cli-error.js';
import { bytesPerSample, formatName } from './pcm-decode.js';
import type { SampleFormat } from './pcm-decode.js';
import { looksLikeWav, readWavHeader, sniffContainer } from './wav.js';

export interface RawPcmOptions {
  rate?: number | undefined;
  channels?: 1 | 2 | undefined;
  format?: SampleFormat | undefined;
}

export interface AudioInput {
  /** The path, or `stdin`. */
  readonly name: string;
  readonly container: 'wav' | 'raw';
  readonly format: SampleFormat;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Seconds of audio, when known (files; not streams of unknown length). */
  readonly durationSeconds: number | undefined;
  /** e.g. "WAV, PCM 16-bit, 48000 Hz, stereo". */
  readonly description: string;
  /** The next block of whole frames (a view valid until the next call), or undefined at the end. */
  nextBlock(): Promise<Uint8Array | undefined>;
  /** Stops reading (at once, even with a read pending). */
  close(): void;
}

/** Audio is handed out 100 ms at a time: fine enough for pacing, coarse enough to cost nothing. */
const BLOCK_SECONDS = 0.1;

export async function openAudioInput(
  path: string,
  raw: RawPcmOptions,
  stdin: AsyncIterable<Uint8Array>,
): Promise<AudioInput> {
  if (path === '-') return openSource('stdin', stdin, raw, undefined, true);
  let fileBytes: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new CliError(`${path} is a directory; give a WAV file, or - to read stdin`);
    fileBytes = s.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${code ?? String(err)}`);
  }
  return openSource(path, createReadStream(path, { highWaterMark: 1 << 16 }), raw, fileBytes, false);
}

/** A WAV file held in memory (the demo's synthesised sample), read like a file. */
export function openAudioBytes(name: string, wav: Uint8Array): Promise<AudioInput> {
  return openSource(name, once(wav), {}, wav.length, false);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function openSource(
  name: string,
  source: AsyncIterable<Uint8Array>,
  raw: RawPcmOptions,
  fileBytes: number | undefined,
  isStdin: boolean,
): Promise<AudioInput> {
  const reader = new ByteReader(source);
  try {
    await reader.ensure(12);
    const head = reader.peek(12);
    if (head.length === 0) throw new CliError(`${name} is empty: no audio to transcribe`);
    const rawGiven = raw.rate !== undefined || raw.format !== undefined || raw.channels !== undefined;
    if (looksLikeWav(head)) {
      const wav = await readWavHeader(reader, name);
      checkAgrees(name, raw, wav);
      let dataBytes = wav.dataBytes;
      // A header written before the length was known (or a truncated file): trust the file's size.
      if (fileBytes !== undefined) {
        const left = fileBytes - reader.position;
        if (dataBytes === undefined || dataBytes > left) dataBytes = left;
      }
      if (dataBytes === 0) throw new CliError(`${name}: the WAV file holds no audio`);
      return blocks(reader, name, 'wav', wav.format, wav.sampleRate, wav.channels, dataBytes);
    }
    if (!rawGiven) {
      if (isStdin) {
        throw new CliError(
          'stdin has no WAV header: for raw PCM give --rate (and --channels 2 and --format if not mono s16le), or ' +
            'pipe a WAV file',
        );
      }
      // Not a WAV: let the WAV reader name what it is.
      await readWavHeader(reader, name);
    }
    if (raw.rate === undefined) {
      const kind = sniffContainer(head);
      throw new CliError(`${name}: raw PCM needs --rate${kind ? ` (and it looks like ${kind}, not PCM)` : ''}`);
    }
    return blocks(reader, name, 'raw', raw.format ?? 's16le', raw.rate, raw.channels ?? 1, fileBytes);
  } catch (err) {
    reader.close();
    throw err;
  }
}

/** --rate/--channels/--format next to a WAV are fine when they agree with its header. */
function checkAgrees(
  name: string,
  raw: RawPcmOptions,
  wav: { format: SampleFormat; sampleRate: number; channels: number },
): void {
  const clash =
    raw.rate !== undefined && raw.rate !== wav.sampleRate
      ? `--rate ${raw.rate}`
      : raw.channels !== undefined && raw.channels !== wav.channels
        ? `--channels ${raw.channels}`
        : raw.format !== undefined && raw.format !== wav.format
          ? `--format ${raw.format}`
          : undefined;
  if (clash) {
    throw new CliError(
      `${name} is a WAV file (${formatName(wav.format)}, ${wav.sampleRate} Hz, ${wav.channels} channel(s)) and ` +
        `${clash} contradicts its header; ` +
        'these options describe headerless PCM only',
    );
  }
}

function blocks(
  reader: ByteReader,
  name: string,
  container: 'wav' | 'raw',
  format: SampleFormat,
  sampleRate: number,
  channels: 1 | 2,
  dataBytes: number | undefined,
): AudioInput {
  const frameBytes = bytesPerSample(format) * channels;
  const block = new Uint8Array(Math.max(1, Math.round(sampleRate * BLOCK_SECONDS)) * frameBytes);
  let left = dataBytes ?? Infinity;
  const durationSeconds = dataBytes === undefined ? undefined : Math.floor(dataBytes / frameBytes) / sampleRate;
  const layout = channels === 1 ? 'mono' : 'stereo';
  return {
    name,
    container,
    format,
    sampleRate,
    channels,
    durationSeconds,
    description: `${container === 'wav' ? 'WAV' : 'raw'}, ${formatName(format)}, ${sampleRate} Hz, ${layout}`,
    async nextBlock() {
      if (left <= 0) return undefined;
      const want = Math.min(block.length, left);
      const n = await reader.readInto(block, want);
      left = n < want ? 0 : left - n;
      // A trailing partial frame is not audio the service could place: it is dropped.
      const whole = n - (n % frameBytes);
      return whole > 0 ? block.subarray(0, whole) : undefined;
    },
    close: () => reader.close(),
  };
}
