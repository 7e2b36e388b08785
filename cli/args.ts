/**
 * Command-line parsing: `--flag value`, `--flag=value`, boolean switches, one positional input.
 * Every mistake is a CliError naming the flag (and the closest one for a typo), found before any
 * file is opened or anything connects.
 */

import { languageToAws, suggestLanguage } from '../adapters/node.js';
import { CliError } from './cli-error.js';
import { SAMPLE_FORMATS } from './pcm-decode.js';
import type { SampleFormat } from './pcm-decode.js';
import { editDistance } from '../adapters/node.js';

export interface TranscribeArgs {
  input: string;
  json: boolean;
  /** Times real time. */
  speed: number;
  burstSeconds: number;
  interim: boolean;
  progress: boolean | undefined;
  rate: number | undefined;
  channels: 1 | 2 | undefined;
  format: SampleFormat | undefined;
  emulator: boolean;
  script: string | undefined;
  region: string | undefined;
  endpoint: string | undefined;
  language: string | undefined;
  identifyLanguage: boolean;
  identifyMultipleLanguages: boolean;
  languageOptions: string[] | undefined;
  preferredLanguage: string | undefined;
  vocabulary: string | undefined;
  vocabularyFilter: string | undefined;
  vocabularyFilterMethod: 'remove' | 'mask' | 'tag' | undefined;
  speakerLabels: boolean;
  /** Stereo input, one speaker per channel, transcribed per channel (call recordings). */
  channelIdentification: boolean;
  sampleRate: 8000 | 16000 | undefined;
  /** Transcript files to write (--output, repeatable). */
  outputs: OutputSpec[];
}

export type OutputFormat = 'srt' | 'vtt' | 'txt' | 'json';

export interface OutputSpec {
  path: string;
  format: OutputFormat;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'emulator'; argv: string[] }
  | { kind: 'transcribe'; args: TranscribeArgs }
  | { kind: 'demo'; aws: boolean; args: TranscribeArgs };

const SWITCHES = [
  '--json',
  '--fast',
  '--interim',
  '--progress',
  '--no-progress',
  '--emulator',
  '--aws',
  '--identify-language',
  '--identify-multiple-languages',
  '--speaker-labels',
  '--channel-identification',
] as const;
const VALUED = [
  '--speed',
  '--rate',
  '--channels',
  '--format',
  '--script',
  '--region',
  '--endpoint',
  '--language',
  '--language-options',
  '--preferred-language',
  '--vocabulary',
  '--vocabulary-filter',
  '--vocabulary-filter-method',
  '--sample-rate',
  '--output',
] as const;
type Switch = (typeof SWITCHES)[number];
type Valued = (typeof VALUED)[number];

/** How fast --fast goes: a few times real time after a bounded burst (see pacer.ts). */
export const FAST_SPEED = 4;
export const FAST_BURST_SECONDS = 1;

export function parseArgs(argv: readonly string[]): Command {
  if (argv[0] === 'emulator') return { kind: 'emulator', argv: argv.slice(1) };
  const demo = argv[0] === 'demo';
  const rest = demo ? argv.slice(1) : argv;
  const on = new Set<Switch>();
  const values = new Map<Valued, string>();
  const outputs: OutputSpec[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-h' || arg === '--help' || arg === 'help') return { kind: 'help' };
    if (arg === '-v' || arg === '--version') return { kind: 'version' };
    if (arg === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if ((SWITCHES as readonly string[]).includes(name)) {
      if (eq > 0) throw new CliError(`${name} takes no value`);
      on.add(name as Switch);
    } else if ((VALUED as readonly string[]).includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new CliError(`${name} needs a value`);
      if (name === '--output') outputs.push(outputSpec(value, outputs));
      else values.set(name as Valued, value);
    } else {
      const near = closest(name, [...SWITCHES, ...VALUED]);
      throw new CliError(`unknown option ${name}${near ? `; did you mean ${near}?` : ''} (see --help)`);
    }
  }
  if (demo && positional.length > 0)
    throw new CliError(`demo streams the bundled sample; it takes no file (got ${positional[0]})`);
  if (!demo && positional.length === 0)
    throw new CliError('no input: give a WAV file, or - for stdin (or run `transcribe-stream demo`)');
  if (positional.length > 1) throw new CliError(`one input at a time (got ${positional.join(', ')})`);
  if (on.has('--aws') && !demo)
    throw new CliError(
      '--aws belongs to the demo (`transcribe-stream demo --aws`); files go to AWS unless --emulator is given',
    );
  if (on.has('--aws') && on.has('--emulator')) throw new CliError('--aws and --emulator contradict each other');
  const emulator = on.has('--emulator') || (demo && !on.has('--aws'));
  if (values.has('--script') && !emulator) throw new CliError("--script is the emulator's script: add --emulator");
  if (values.has('--endpoint') && emulator)
    throw new CliError('--endpoint and --emulator contradict each other (--emulator starts its own endpoint)');
  if (on.has('--progress') && on.has('--no-progress'))
    throw new CliError('--progress and --no-progress contradict each other');

  const v = (flag: Valued): string | undefined => values.get(flag);
  const fast = on.has('--fast');
  const speed = v('--speed') !== undefined ? number('--speed', v('--speed')!, 0.1, 100, false) : fast ? FAST_SPEED : 1;
  const identifyLanguage = on.has('--identify-language');
  const identifyMultipleLanguages = on.has('--identify-multiple-languages');
  const languageOptions = v('--language-options')
    ?.split(',')
    .map((c) => language('--language-options', c.trim()));
  if ((identifyLanguage || identifyMultipleLanguages) && v('--language') !== undefined) {
    throw new CliError(
      '--language and --identify-language contradict each other: name the candidates with --language-options instead',
    );
  }
  if (languageOptions && !identifyLanguage && !identifyMultipleLanguages)
    throw new CliError('--language-options needs --identify-language or --identify-multiple-languages');
  if ((identifyLanguage || identifyMultipleLanguages) && !languageOptions)
    throw new CliError('--identify-language needs --language-options, e.g. en-US,es-US');
  const method = v('--vocabulary-filter-method');
  if (method !== undefined && method !== 'remove' && method !== 'mask' && method !== 'tag') {
    throw new CliError(`--vocabulary-filter-method must be remove, mask or tag, got ${JSON.stringify(method)}`);
  }
  const channels = v('--channels');
  if (channels !== undefined && channels !== '1' && channels !== '2')
    throw new CliError(`--channels must be 1 or 2, got ${JSON.stringify(channels)}`);
  const sampleRate = v('--sample-rate');
  if (sampleRate !== undefined && sampleRate !== '8000' && sampleRate !== '16000') {
    throw new CliError(
      `--sample-rate is the rate on the wire: 8000 or 16000 (any input rate is resampled), got ` +
        `${JSON.stringify(sampleRate)}`,
    );
  }
  const args: TranscribeArgs = {
    input: positional[0] ?? '',
    json: on.has('--json'),
    speed,
    burstSeconds: speed > 1 ? FAST_BURST_SECONDS : 0,
    interim: on.has('--interim') || demo,
    progress: on.has('--progress') ? true : on.has('--no-progress') ? false : undefined,
    rate: v('--rate') !== undefined ? number('--rate', v('--rate')!, 8000, 192_000, true) : undefined,
    channels: channels === undefined ? undefined : channels === '1' ? 1 : 2,
    format: v('--format') !== undefined ? sampleFormat(v('--format')!) : undefined,
    emulator,
    script: v('--script'),
    region: v('--region'),
    endpoint: v('--endpoint'),
    language: v('--language') !== undefined ? language('--language', v('--language')!) : undefined,
    identifyLanguage,
    identifyMultipleLanguages,
    languageOptions,
    preferredLanguage:
      v('--preferred-language') !== undefined
        ? language('--preferred-language', v('--preferred-language')!)
        : undefined,
    vocabulary: v('--vocabulary'),
    vocabularyFilter: v('--vocabulary-filter'),
    vocabularyFilterMethod: method,
    speakerLabels: on.has('--speaker-labels'),
    channelIdentification: on.has('--channel-identification'),
    outputs,
    sampleRate: sampleRate === undefined ? undefined : sampleRate === '8000' ? 8000 : 16000,
  };
  return demo ? { kind: 'demo', aws: on.has('--aws'), args } : { kind: 'transcribe', args };
}

const FORMATS: Record<string, OutputFormat> = { '.srt': 'srt', '.vtt': 'vtt', '.txt': 'txt', '.json': 'json' };

/** An --output file: its format from its extension; the same file twice is a mistake. */
function outputSpec(path: string, earlier: readonly OutputSpec[]): OutputSpec {
  const dot = path.lastIndexOf('.');
  const format = dot > 0 && !/[\\/]/.test(path.slice(dot)) ? FORMATS[path.slice(dot).toLowerCase()] : undefined;
  if (format === undefined) {
    throw new CliError(
      `--output ${path}: the extension names the format: .srt or .vtt (subtitles), .txt (the transcript) or .json ` +
        `(segments with word times)`,
    );
  }
  if (earlier.some((o) => o.path === path)) throw new CliError(`--output ${path} is given twice`);
  return { path, format };
}

function number(flag: string, value: string, min: number, max: number, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new CliError(
      `${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** The AWS code for a language argument, or a CliError that suggests the closest supported one. */
function language(flag: string, value: string): string {
  const code = languageToAws(value);
  if (code !== undefined) return code;
  const hint = suggestLanguage(value);
  throw new CliError(
    `${flag}: "${value}" is not an Amazon Transcribe streaming language` +
      (hint ? `; did you mean ${hint}?` : '; use a code such as en-US, en-GB, es-US, fr-FR, de-DE'),
  );
}

function sampleFormat(value: string): SampleFormat {
  const v = value === 'mulaw' ? 'ulaw' : value;
  if ((SAMPLE_FORMATS as readonly string[]).includes(v)) return v as SampleFormat;
  throw new CliError(`--format must be one of ${SAMPLE_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
}

/** The known flag nearest to a typo (edit distance at most 3), if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
