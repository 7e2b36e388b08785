/**
 * WAV header reading (RIFF/WAVE and RF64, per the Microsoft multimedia spec and EBU Tech 3306):
 * walks the chunks up to `data`, decodes `fmt ` including WAVE_FORMAT_EXTENSIBLE, and names what
 * it found when it cannot read it, so the user knows what to convert from.
 */

import type { ByteReader } from './byte-reader.js';
import { CliError } from './cli-error.js';
import { bytesPerSample, formatName } from './pcm-decode.js';
import type { SampleFormat } from './pcm-decode.js';

export interface WavInfo {
  format: SampleFormat;
  sampleRate: number;
  channels: 1 | 2;
  /** Bytes of audio after the header; undefined when the writer did not know (a pipe): read to the end. */
  dataBytes: number | undefined;
}

const TAG_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0001, 'PCM'],
  [0x0002, 'Microsoft ADPCM'],
  [0x0003, 'IEEE float'],
  [0x0006, 'G.711 A-law'],
  [0x0007, 'G.711 µ-law'],
  [0x0011, 'IMA ADPCM'],
  [0x0022, 'TrueSpeech'],
  [0x0031, 'GSM 6.10'],
  [0x0040, 'G.721 ADPCM'],
  [0x0050, 'MPEG audio'],
  [0x0055, 'MP3'],
  [0x0161, 'Windows Media Audio'],
  [0x0162, 'Windows Media Audio Pro'],
  [0x0164, 'Windows Media Audio Voice'],
  [0x0200, 'Creative ADPCM'],
  [0x1610, 'AAC (ADTS)'],
  [0x2000, 'AC-3'],
  [0x2001, 'DTS'],
  [0x674f, 'Ogg Vorbis'],
  [0x6750, 'Ogg Vorbis'],
  [0x6751, 'Ogg Vorbis'],
  [0xf1ac, 'FLAC'],
  [0xfffe, 'WAVE_FORMAT_EXTENSIBLE'],
]);

/** Bytes 2..16 of every KSDATAFORMAT_SUBTYPE GUID for a WAVE format tag (the tag is bytes 0..2). */
const SUBTYPE_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

export const SUPPORTED_WAV =
  'PCM 8/16/24/32-bit integer, 32/64-bit float or G.711 A-law/µ-law, mono or stereo, 8000 to 192000 Hz';
const CONVERT_HINT = 'convert it first, e.g. `ffmpeg -i in.wav -ac 1 -ar 16000 -c:a pcm_s16le out.wav`';

const MAX_FMT_BYTES = 1 << 16;

const ascii = (b: Uint8Array, from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));

/** What a file that is not a WAV looks like, from its first bytes. */
export function sniffContainer(head: Uint8Array): string | undefined {
  const s4 = ascii(head, 0, 4);
  if (s4 === 'fLaC') return 'FLAC';
  if (s4 === 'OggS') return 'Ogg (Opus or Vorbis)';
  if (s4 === 'FORM') return 'AIFF';
  if (s4 === 'caff') return 'Core Audio (CAF)';
  if (s4 === '.snd') return 'Sun/NeXT AU';
  if (s4 === '#!AM') return 'AMR';
  if (ascii(head, 0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return 'MP3';
  if (ascii(head, 4, 8) === 'ftyp') return 'MP4/M4A';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'WebM/Matroska';
  return undefined;
}

/** True when `head` starts like a WAV file (little- or big-endian RIFF, or RF64). */
export function looksLikeWav(head: Uint8Array): boolean {
  const id = ascii(head, 0, 4);
  return id === 'RIFF' || id === 'RF64' || id === 'RIFX';
}

/** Reads the header up to the first audio byte; `what` names the input in messages. */
export async function readWavHeader(r: ByteReader, what: string): Promise<WavInfo> {
  const head = await r.read(12);
  const id = ascii(head, 0, 4);
  if (head.length < 12 || !looksLikeWav(head)) {
    const kind = sniffContainer(head);
    throw new CliError(
      `${what}: not a WAV file${kind ? ` (it looks like ${kind})` : ' (no RIFF/WAVE header)'}; ${CONVERT_HINT}, ` +
        'or pass headerless PCM with --rate, --channels and --format',
    );
  }
  if (id === 'RIFX')
    throw new CliError(
      `${what}: unsupported WAV: big-endian RIFX; transcribe-stream reads ${SUPPORTED_WAV}; ${CONVERT_HINT}`,
    );
  if (ascii(head, 8, 12) !== 'WAVE')
    throw new CliError(`${what}: a RIFF file of type "${ascii(head, 8, 12)}", not WAVE audio; ${CONVERT_HINT}`);
  let fmt: Omit<WavInfo, 'dataBytes'> | undefined;
  let rf64DataBytes: number | undefined;
  for (;;) {
    const h = await r.read(8);
    if (h.length < 8) throw new CliError(`${what}: malformed WAV: it ends before the data chunk`);
    const chunk = ascii(h, 0, 4);
    const size = new DataView(h.buffer).getUint32(4, true);
    if (chunk === 'fmt ') {
      if (size < 16 || size > MAX_FMT_BYTES) throw new CliError(`${what}: malformed WAV: a fmt chunk of ${size} bytes`);
      const body = await r.read(size + (size & 1));
      if (body.length < size) throw new CliError(`${what}: malformed WAV: it ends inside the fmt chunk`);
      fmt = parseFmt(body, size, what);
    } else if (chunk === 'ds64' && id === 'RF64') {
      const body = await r.read(size + (size & 1));
      if (body.length >= 16) rf64DataBytes = Number(new DataView(body.buffer).getBigUint64(8, true));
    } else if (chunk === 'data') {
      if (!fmt) throw new CliError(`${what}: malformed WAV: the data chunk comes before the fmt chunk`);
      // Writers that stream (ffmpeg or sox to a pipe) cannot know the size: 0 or all ones mean "to the end".
      let dataBytes: number | undefined = size === 0xffffffff || size === 0 ? undefined : size;
      if (id === 'RF64' && size === 0xffffffff) dataBytes = rf64DataBytes;
      return { ...fmt, dataBytes };
    } else if ((await r.skip(size + (size & 1))) < size) {
      throw new CliError(`${what}: malformed WAV: it ends inside the "${chunk}" chunk`);
    }
  }
}

function parseFmt(b: Uint8Array, size: number, what: string): Omit<WavInfo, 'dataBytes'> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let tag = v.getUint16(0, true);
  const channels = v.getUint16(2, true);
  const sampleRate = v.getUint32(4, true);
  const blockAlign = v.getUint16(12, true);
  const bits = v.getUint16(14, true);
  let name = TAG_NAMES.get(tag) ?? `format tag 0x${tag.toString(16).padStart(4, '0')}`;
  if (tag === 0xfffe) {
    if (size < 40) throw new CliError(`${what}: malformed WAV: WAVE_FORMAT_EXTENSIBLE with a ${size}-byte fmt chunk`);
    const sub = v.getUint16(24, true);
    const known = SUBTYPE_TAIL.every((x, i) => b[26 + i] === x);
    if (!known) {
      const guid = Array.from(b.subarray(24, 40), (x) => x.toString(16).padStart(2, '0')).join('');
      throw unsupported(what, `WAVE_FORMAT_EXTENSIBLE with sub-format GUID ${guid}`);
    }
    tag = sub;
    name = `${TAG_NAMES.get(tag) ?? `format tag 0x${tag.toString(16).padStart(4, '0')}`} (WAVE_FORMAT_EXTENSIBLE)`;
  }
  const layout = `${bits}-bit, ${sampleRate} Hz, ${channels} channel${channels === 1 ? '' : 's'}`;
  const format = sampleFormat(tag, bits);
  if (!format) throw unsupported(what, `${name}, ${layout}`);
  if (channels !== 1 && channels !== 2) {
    throw new CliError(
      `${what}: unsupported WAV: ${channels} channels (${formatName(format)}); transcribe-stream reads ` +
        `${SUPPORTED_WAV}; ` +
        'mix it down first, e.g. `ffmpeg -i in.wav -ac 1 out.wav`',
    );
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 192_000) {
    throw new CliError(
      `${what}: unsupported WAV: ${sampleRate} Hz; Amazon Transcribe needs 8000 Hz or more, and transcribe-stream ` +
        `resamples up to 192000 Hz`,
    );
  }
  if (blockAlign !== channels * bytesPerSample(format)) {
    throw new CliError(
      `${what}: malformed WAV: block align ${blockAlign} does not fit ${channels} channel(s) of ${formatName(format)}`,
    );
  }
  return { format, sampleRate, channels: channels === 1 ? 1 : 2 };
}

function sampleFormat(tag: number, bits: number): SampleFormat | undefined {
  if (tag === 0x0001)
    return bits === 8 ? 'u8' : bits === 16 ? 's16le' : bits === 24 ? 's24le' : bits === 32 ? 's32le' : undefined;
  if (tag === 0x0003) return bits === 32 ? 'f32le' : bits === 64 ? 'f64le' : undefined;
  if (tag === 0x0006 && bits === 8) return 'alaw';
  if (tag === 0x0007 && bits === 8) return 'ulaw';
  return undefined;
}

function unsupported(what: string, found: string): CliError {
  return new CliError(
    `${what}: unsupported WAV encoding: ${found}; transcribe-stream reads ${SUPPORTED_WAV}; ${CONVERT_HINT}`,
  );
}
