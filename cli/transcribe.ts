/**
 * One run: open the audio, start the emulator if asked, stream the audio through the Node
 * service at the chosen pace, print what comes back (and write the --output files), stop cleanly
 * and summarise. A signal stops the run within a bounded time (see signals.ts); failures end as
 * one line on stderr and an exit code (see cli-error.ts).
 */

import { resolve } from 'node:path';
import { AWSTranscribeSTTService, Pacer, TranscribeError } from '../adapters/node.js';
import type { AWSTranscribeSTTServiceOptions } from '../adapters/node.js';
import type { TranscribeArgs } from './args.js';
import { openAudioInput } from './audio-input.js';
import type { AudioInput } from './audio-input.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';
import { Display, NOTE_MAX } from './display.js';
import type { OutStream } from './display.js';
import { besideScript, startBundledEmulator } from './emulator-start.js';
import type { BundledEmulator } from './emulator-start.js';
import { explainFailure } from './explain.js';
import { IncidentReport } from './incidents.js';
import { TranscriptFiles } from './output-files.js';
import { bytesPerSample, PcmDecoder } from './pcm-decode.js';
import { cleanMessage } from './sanitize.js';
import { precheck, serviceOptions } from './service-flags.js';
import { GRACE_MS, Interruption, SIGNAL_EXIT_CODE } from './signals.js';
import type { InterruptHandlers } from './signals.js';
import { countWords } from './summary.js';

export interface RunIo {
  out: OutStream;
  err: OutStream;
  stdin: AsyncIterable<Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Calls `h.stop` on the first SIGINT/SIGTERM and `h.abort` before a forced exit; returns the unsubscribe
   * function.
   */
  onInterrupt(h: InterruptHandlers): () => void;
}

export interface RunExtras {
  /** A line to print once the input is open (the demo says what it is doing). */
  banner?: (input: AudioInput, target: string) => string;
  /** How to run without AWS, for the no-credentials message (default: add --emulator). */
  offline?: string;
  /** Audio from elsewhere than `args.input` (the demo's synthesised sample). */
  openInput?: () => Promise<AudioInput>;
  /** The emulator's script, instead of the transcript beside the input. */
  script?: { lines: string[]; source: string };
}

/** Files at least this long show progress unless --no-progress. */
const PROGRESS_FROM_SECONDS = 30;

export async function runTranscribe(args: TranscribeArgs, io: RunIo, extras: RunExtras = {}): Promise<number> {
  const base = serviceOptions(args);
  precheck(base, args);
  const input = await (extras.openInput?.() ??
    openAudioInput(args.input, { rate: args.rate, channels: args.channels, format: args.format }, io.stdin));
  const interruption = new Interruption();
  let display: Display | undefined;
  let files: TranscriptFiles | undefined;
  const unsubscribe = io.onInterrupt({
    stop: (signal) => {
      interruption.trigger(signal);
      // Unblocks a read parked on an idle stdin.
      input.close();
    },
    abort: () => {
      display?.close();
      files?.saveNow();
    },
  });
  let bundled: BundledEmulator | undefined;
  try {
    if (args.channelIdentification && input.channels !== 2) {
      throw new CliError(
        `--channel-identification needs stereo audio with one speaker per channel (a call recording); ${input.name} ` +
          `is mono` +
          (input.container === 'raw' ? ' (for raw PCM add --channels 2)' : ''),
      );
    }
    const labels = {
      speakers: args.speakerLabels,
      channels: args.channelIdentification,
      languages: args.identifyLanguage || args.identifyMultipleLanguages,
    };
    if (args.outputs.length > 0) {
      checkOverwrites(args, extras);
      files = TranscriptFiles.open(args.outputs, { labels, audio: input.name });
    }
    const duration = input.durationSeconds;
    display = new Display({
      out: io.out,
      err: io.err,
      json: args.json,
      interimLines: args.interim,
      progress: args.progress ?? (duration !== undefined && duration >= PROGRESS_FROM_SECONDS),
      color: io.out.isTTY === true && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb',
      ...labels,
    });
    if (args.emulator)
      bundled = await startBundledEmulator({ input: args.input, script: args.script, lines: extras.script });
    return await stream({ args, io, input, base, bundled, extras, interruption, display, files });
  } finally {
    unsubscribe();
    interruption.dispose();
    // Every return path saved already; this covers an unexpected throw.
    files?.saveNow();
    input.close();
    await bundled?.emulator.close();
  }
}

interface Run {
  args: TranscribeArgs;
  io: RunIo;
  input: AudioInput;
  base: AWSTranscribeSTTServiceOptions;
  bundled: BundledEmulator | undefined;
  extras: RunExtras;
  interruption: Interruption;
  display: Display;
  files: TranscriptFiles | undefined;
}

async function stream(run: Run): Promise<number> {
  const { args, io, input, bundled, extras, interruption, display, files } = run;
  const duration = input.durationSeconds;
  const emu = bundled?.emulator;
  const options: AWSTranscribeSTTServiceOptions = {
    ...run.base,
    // Resampling is the point here: say nothing about it.
    sampleRate: args.sampleRate ?? (input.sampleRate === 8000 ? 8000 : 16000),
    logger: { warn: (m) => display.note(`transcribe-stream: warning: ${m}`) },
    ...(emu
      ? { endpoint: emu.endpoint, awsAccessKeyId: emu.credentials.accessKeyId, apiKey: emu.credentials.secretAccessKey }
      : {}),
  };
  const region = options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const target = emu
    ? `the bundled emulator at ${emu.endpoint} (script: ${bundled!.scriptSource})`
    : options.endpoint
      ? String(options.endpoint)
      : `Amazon Transcribe in ${region}`;
  if (extras.banner) display.note(extras.banner(input, target));

  const stt = new AWSTranscribeSTTService(options);
  const incidents = new IncidentReport({
    note: (t) => display.note(t),
    maxAttempts: options.maxReconnectAttempts ?? 3,
  });
  let fatal: TranscribeError | undefined;
  let utterances = 0;
  let words = 0;
  stt.on('metadata', (f) => display.frame(f));
  stt.on('interimTranscription', (f) => display.frame(f));
  stt.on('transcription', (f) => {
    utterances++;
    words += countWords(f);
    display.frame(f);
    files?.add(f);
  });
  stt.on('error', (f) => {
    if (f.fatal) fatal ??= f.error;
    if (args.json) display.frame(f);
    else if (!f.fatal) incidents.warning(f.error);
  });
  stt.on('connectionError', (e) => {
    if (!args.json) incidents.connectionError(e);
  });
  stt.on('connected', (e) => {
    incidents.connected();
    display.record({ type: 'connected', ...e });
  });
  stt.on('disconnected', (e) => display.record({ type: 'disconnected', ...e }));

  /** The failure as the run's one line on stderr. */
  const tell = (err: unknown): void => {
    display.close();
    const why = explainFailure(err, {
      endpoint: options.endpoint?.toString(),
      region,
      emulator: !!emu,
      env: io.env,
      offline: extras.offline,
    });
    io.err.write(`transcribe-stream: ${cleanMessage(why, NOTE_MAX)}\n`);
  };
  const failed = (err: unknown): number => {
    tell(err);
    return err instanceof TranscribeError &&
      err.code === 'INVALID_OPTION' &&
      (err as { option?: string }).option !== 'credentials'
      ? EXIT_USAGE
      : EXIT_FAILURE;
  };
  const finishFiles = (code: number): number => {
    for (const problem of files?.close() ?? []) {
      display.note(`transcribe-stream: ${problem}`);
      if (code === 0) code = EXIT_FAILURE;
    }
    return code;
  };

  // A connect that hangs (a server that accepts TCP and never answers) must not outlive a signal.
  const starting = stt.start({ sampleRate: input.sampleRate });
  const started = await Promise.race([
    starting.then(
      () => undefined,
      (err: unknown) => ({ err }),
    ),
    interruption.happened.then(() => 'interrupted' as const),
  ]);
  if (started === 'interrupted') {
    stt.cancel();
    const signal = interruption.signal!;
    display.close();
    display.note(`transcribe-stream: ${signal}: stopped while connecting to ${target}; nothing was transcribed`);
    return finishFiles(SIGNAL_EXIT_CODE[signal]);
  }
  if (started !== undefined) return finishFiles(failed(started.err));

  const pacer = new Pacer({ speed: args.speed, burstSeconds: args.burstSeconds });
  const decoder = new PcmDecoder(input.format);
  const frameBytes = bytesPerSample(input.format) * input.channels;
  let frames = 0;
  pacer.start();
  const startedAt = Date.now();
  while (fatal === undefined && interruption.signal === undefined) {
    const block = await Promise.race([input.nextBlock(), interruption.happened.then(() => undefined)]);
    if (!block || interruption.signal !== undefined) break;
    stt.pushAudio(decoder.decode(block), { channels: input.channels });
    frames += block.length / frameBytes;
    const t = frames / input.sampleRate;
    if (duration !== undefined) display.progress(t, duration);
    await pacer.wait(t);
  }
  input.close();
  // An incomplete stop (the last results lost) reaches `fatal` through the error frame the service
  // emits for it, so it is told and exits 1 like any other failure.
  const complete = await stopWithin(stt, interruption);
  const signal = interruption.signal;
  if (fatal !== undefined && signal === undefined) return finishFiles(failed(fatal));
  // Interrupted: the signal decides the exit code; a failure on the way is still told.
  if (fatal !== undefined) tell(fatal);
  else if (!complete) {
    display.note(
      `transcribe-stream: ${signal}: no end of stream within ${GRACE_MS[signal!] / 1000} s; stopped without the last ` +
        `results`,
    );
  }
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
  return finishFiles(signal !== undefined ? SIGNAL_EXIT_CODE[signal] : 0);
}

/**
 * Ends the stream: end-of-stream, the last finals, the close. Without a signal the service's own
 * stopTimeoutMs bounds it; after one, the signal's grace period does, and what is still
 * outstanding then is cancelled. Resolves false when it had to cancel.
 */
async function stopWithin(stt: AWSTranscribeSTTService, interruption: Interruption): Promise<boolean> {
  const stopping = stt.stop();
  const done = await Promise.race([
    stopping.then(
      () => true,
      () => true,
    ),
    interruption.graceOver.then(() => false),
  ]);
  if (!done) stt.cancel();
  return done;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** An --output that would replace the input or the emulator's script is a mistake, not a transcript. */
function checkOverwrites(args: TranscribeArgs, extras: RunExtras): void {
  const script = args.script ?? (args.emulator && !extras.script ? besideScript(args.input) : undefined);
  for (const o of args.outputs) {
    const target = resolve(o.path);
    if (args.input !== '-' && !extras.openInput && target === resolve(args.input)) {
      throw new CliError(`--output ${o.path} is the input file; choose another name`);
    }
    if (script !== undefined && target === resolve(script)) {
      throw new CliError(
        `--output ${o.path} would overwrite the emulator's script (the transcript it "recognises"); choose ` +
          `another name`,
      );
    }
  }
}
