/**
 * One run: open the audio, start the emulator if asked, stream the audio through the Node
 * service at the chosen pace, print what comes back, stop cleanly and summarise. Failures end as
 * one line on stderr and an exit code (see cli-error.ts).
 */

import { AWSTranscribeSTTService, TranscribeError, transcribeUrl } from '../node.js';
import type { AWSTranscribeSTTServiceOptions, StreamingLanguageCode } from '../node.js';
import type { TranscribeArgs } from './args.js';
import { openAudioInput } from './audio-input.js';
import type { AudioInput } from './audio-input.js';
import { CliError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, oneLine } from './cli-error.js';
import { Display } from './display.js';
import type { OutStream } from './display.js';
import { startBundledEmulator } from './emulator-start.js';
import type { BundledEmulator } from './emulator-start.js';
import { explainFailure } from './explain.js';
import { Pacer } from './pacer.js';
import { bytesPerSample, PcmDecoder } from './pcm-decode.js';
import { countWords } from './summary.js';

export interface RunIo {
  out: OutStream;
  err: OutStream;
  stdin: AsyncIterable<Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  /** Calls `fn` on each Ctrl-C; returns the unsubscribe function. */
  onInterrupt(fn: () => void): () => void;
}

export interface RunExtras {
  /** A line to print once the input is open (the demo says what it is doing). */
  banner?: (input: AudioInput, target: string) => string;
  /** How to run without AWS, for the no-credentials message (default: add --emulator). */
  offline?: string;
}

/** Files at least this long show progress unless --no-progress. */
const PROGRESS_FROM_SECONDS = 30;

export async function runTranscribe(args: TranscribeArgs, io: RunIo, extras: RunExtras = {}): Promise<number> {
  const streamOptions = serviceOptions(args);
  precheck(streamOptions, args);
  const input = await openAudioInput(args.input, { rate: args.rate, channels: args.channels, format: args.format }, io.stdin);
  let bundled: BundledEmulator | undefined;
  let interrupted = 0;
  let wake: () => void = () => undefined;
  // Resolves on Ctrl-C, so a read parked on an idle stdin does not hold the run.
  const interruption = new Promise<undefined>((resolve) => (wake = () => resolve(undefined)));
  const unsubscribe = io.onInterrupt(() => {
    interrupted++;
    input.close();
    wake();
  });
  try {
    if (args.emulator) bundled = await startBundledEmulator({ input: args.input, script: args.script });
    return await stream(args, io, input, streamOptions, bundled, extras, () => interrupted, interruption);
  } finally {
    unsubscribe();
    input.close();
    await bundled?.emulator.close();
  }
}

async function stream(
  args: TranscribeArgs,
  io: RunIo,
  input: AudioInput,
  base: AWSTranscribeSTTServiceOptions,
  bundled: BundledEmulator | undefined,
  extras: RunExtras,
  interrupted: () => number,
  interruption: Promise<undefined>,
): Promise<number> {
  const duration = input.durationSeconds;
  const display = new Display({
    out: io.out,
    err: io.err,
    json: args.json,
    interimLines: args.interim,
    progress: args.progress ?? (duration !== undefined && duration >= PROGRESS_FROM_SECONDS),
    color: io.out.isTTY === true && io.env['NO_COLOR'] === undefined && io.env['TERM'] !== 'dumb',
    speakers: args.speakerLabels,
    languages: args.identifyLanguage || args.identifyMultipleLanguages,
  });
  const emu = bundled?.emulator;
  const options: AWSTranscribeSTTServiceOptions = {
    ...base,
    // Resampling is the point here: say nothing about it.
    sampleRate: args.sampleRate ?? (input.sampleRate === 8000 ? 8000 : 16000),
    logger: { warn: (m) => display.note(`transcribe-stream: warning: ${m}`) },
    ...(emu ? { endpoint: emu.endpoint, awsAccessKeyId: emu.credentials.accessKeyId, apiKey: emu.credentials.secretAccessKey } : {}),
  };
  const region = options.region ?? io.env['AWS_REGION'] ?? io.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const target = emu
    ? `the bundled emulator at ${emu.endpoint} (script: ${bundled!.scriptSource})`
    : options.endpoint
      ? String(options.endpoint)
      : `Amazon Transcribe in ${region}`;
  if (extras.banner) display.note(extras.banner(input, target));

  const stt = new AWSTranscribeSTTService(options);
  let fatal: TranscribeError | undefined;
  let connected = false;
  let utterances = 0;
  let words = 0;
  stt.on('metadata', (f) => display.frame(f));
  stt.on('interimTranscription', (f) => display.frame(f));
  stt.on('transcription', (f) => {
    utterances++;
    words += countWords(f);
    display.frame(f);
  });
  stt.on('error', (f) => {
    if (f.fatal) fatal ??= f.error;
    if (args.json) display.frame(f);
    // Before the first stream opens, retries are quiet: if they all fail, the last line says why.
    else if (!f.fatal && connected) display.note(`transcribe-stream: warning: ${f.error.message}; reconnecting`);
  });
  stt.on('connected', (e) => {
    connected = true;
    display.record({ type: 'connected', ...e });
  });
  stt.on('disconnected', (e) => display.record({ type: 'disconnected', ...e }));

  const failed = (err: unknown): number => {
    display.close();
    io.err.write(`transcribe-stream: ${oneLine(explainFailure(err, { endpoint: options.endpoint?.toString(), region, emulator: !!emu, env: io.env, offline: extras.offline }))}\n`);
    return err instanceof TranscribeError && err.code === 'INVALID_OPTION' && (err as { option?: string }).option !== 'credentials'
      ? EXIT_USAGE
      : EXIT_FAILURE;
  };

  const pacer = new Pacer({ speed: args.speed, burstSeconds: args.burstSeconds });
  const decoder = new PcmDecoder(input.format);
  const frameBytes = bytesPerSample(input.format) * input.channels;
  let frames = 0;
  try {
    await stt.start({ sampleRate: input.sampleRate });
  } catch (err) {
    return failed(err);
  }
  pacer.start();
  const startedAt = Date.now();
  while (fatal === undefined && interrupted() === 0) {
    const block = await Promise.race([input.nextBlock(), interruption]);
    if (!block || interrupted() > 0) break;
    stt.pushAudio(decoder.decode(block), { channels: input.channels });
    frames += block.length / frameBytes;
    const t = frames / input.sampleRate;
    if (duration !== undefined) display.progress(t, duration);
    await pacer.wait(t);
  }
  input.close();
  await stt.stop();
  if (fatal !== undefined) return failed(fatal);
  display.summary({
    type: 'summary',
    utterances,
    words,
    audioSeconds: round(frames / input.sampleRate),
    wallSeconds: round((Date.now() - startedAt) / 1000),
    ttfsP50: stt.ttfsP50 === undefined ? null : round(stt.ttfsP50),
    ttfsP99: stt.ttfsP99 === undefined ? null : round(stt.ttfsP99),
    reconnects: stt.counters.reconnects,
    droppedSeconds: round(stt.counters.droppedSeconds),
  });
  return interrupted() > 0 ? EXIT_INTERRUPTED : 0;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The service options the flags stand for (credentials and endpoint are added per run). */
export function serviceOptions(a: TranscribeArgs): AWSTranscribeSTTServiceOptions {
  const o: AWSTranscribeSTTServiceOptions = {};
  if (a.region !== undefined) o.region = a.region;
  if (a.endpoint !== undefined) o.endpoint = a.endpoint;
  if (a.language !== undefined) o.settings = { language: a.language };
  if (a.identifyLanguage) o.identifyLanguage = true;
  if (a.identifyMultipleLanguages) o.identifyMultipleLanguages = true;
  if (a.languageOptions) o.languageOptions = a.languageOptions as StreamingLanguageCode[];
  if (a.preferredLanguage !== undefined) o.preferredLanguage = a.preferredLanguage as StreamingLanguageCode;
  const identify = a.identifyLanguage || a.identifyMultipleLanguages;
  if (a.vocabulary !== undefined) {
    if (identify) o.vocabularyNames = a.vocabulary;
    else o.vocabularyName = a.vocabulary;
  }
  if (a.vocabularyFilter !== undefined) {
    if (identify) o.vocabularyFilterNames = a.vocabularyFilter;
    else o.vocabularyFilterName = a.vocabularyFilter;
  }
  if (a.vocabularyFilterMethod !== undefined) o.vocabularyFilterMethod = a.vocabularyFilterMethod;
  if (a.speakerLabels) o.showSpeakerLabel = true;
  return o;
}

/** Service option -> the flag that set it, for messages. */
const FLAG_OF: Record<string, string> = {
  region: '--region',
  endpoint: '--endpoint',
  languageCode: '--language',
  languageOptions: '--language-options',
  preferredLanguage: '--preferred-language',
  identifyLanguage: '--identify-language',
  identifyMultipleLanguages: '--identify-multiple-languages',
  vocabularyName: '--vocabulary',
  vocabularyNames: '--vocabulary',
  vocabularyFilterName: '--vocabulary-filter',
  vocabularyFilterNames: '--vocabulary-filter',
  vocabularyFilterMethod: '--vocabulary-filter-method',
  showSpeakerLabel: '--speaker-labels',
};

/**
 * Signs a throwaway URL with the same parameters (and placeholder keys) so a bad combination is
 * reported against its flag now, not after the audio was opened and credentials were fetched.
 */
function precheck(o: AWSTranscribeSTTServiceOptions, a: TranscribeArgs): void {
  try {
    const { settings: _s, ...params } = o;
    transcribeUrl({
      ...params,
      ...(a.language !== undefined ? { languageCode: a.language as StreamingLanguageCode } : !(a.identifyLanguage || a.identifyMultipleLanguages) ? { languageCode: 'en-US' } : {}),
      region: o.region ?? 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'placeholder' },
      sampleRate: 16000,
      mediaEncoding: 'pcm',
    });
  } catch (err) {
    if (!(err instanceof TranscribeError)) throw err;
    const option = (err as { option?: string }).option;
    const flag = option !== undefined ? FLAG_OF[option] : undefined;
    throw new CliError(flag ? err.message.replace(new RegExp(`^${option}:`), `${flag}:`) : err.message, EXIT_USAGE);
  }
}
