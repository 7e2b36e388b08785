/**
 * Checks the emulator's options and fills in the defaults. A bad option is an OptionError that
 * names it and says what would be right, before anything listens.
 */
import { randomBytes } from 'node:crypto';
import { OptionError } from '../core/errors.js';
import { DEFAULT_VAD } from './recognizer.js';
import { DEFAULT_RETAIN } from './retention.js';
import { scriptProblem } from './script.js';
import type {
  EmulatorCredentials,
  EmulatorOptions,
  RecognizerFactory,
  RetainOptions,
  ScriptEntry,
  SessionInfo,
  VadOptions,
} from './types.js';

export const DEFAULT_SCRIPT: readonly ScriptEntry[] = [
  'Hello from the Amazon Transcribe emulator.',
  'This is the second utterance.',
  'And this is the third one.',
];

export interface ResolvedOptions {
  host: string;
  port: number;
  credentials: EmulatorCredentials;
  script: (session: SessionInfo) => readonly ScriptEntry[];
  recognizer: RecognizerFactory | undefined;
  vad: Required<VadOptions>;
  idleTimeoutMs: number;
  maxDurationMs: number;
  clockSkewMs: number;
  region: string | undefined;
  finalDelayMs: number;
  retain: Required<RetainOptions>;
}

const KNOWN = new Set([
  'host',
  'port',
  'credentials',
  'script',
  'recognizer',
  'vad',
  'idleTimeoutMs',
  'maxDurationMs',
  'clockSkewMs',
  'region',
  'finalDelayMs',
  'retain',
]);
const VAD_KNOWN = new Set(Object.keys(DEFAULT_VAD));
const RETAIN_KNOWN = new Set(Object.keys(DEFAULT_RETAIN));
const TIMER_LIMIT = 2 ** 31 - 1;

function resolveRetain(given: unknown): Required<RetainOptions> {
  const retain = { ...DEFAULT_RETAIN };
  if (given === undefined) return retain;
  if (given === null || typeof given !== 'object')
    throw new OptionError('retain', 'must be an object such as { sessions: 100, audioBytes: 0, events: 1000 }');
  for (const [key, value] of Object.entries(given)) {
    if (!RETAIN_KNOWN.has(key))
      throw new OptionError(`retain.${key}`, `is not a retention option (known: ${[...RETAIN_KNOWN].join(', ')})`);
    if (value === undefined) continue;
    if (
      typeof value !== 'number' ||
      Number.isNaN(value) ||
      value < 0 ||
      (value !== Infinity && !Number.isInteger(value))
    ) {
      throw new OptionError(`retain.${key}`, `must be an integer >= 0 or Infinity, got ${String(value)}`);
    }
    retain[key as keyof RetainOptions] = value;
  }
  return retain;
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new OptionError(name, `must be a finite number of milliseconds > 0, got ${String(value)}`);
  }
  return value;
}

/** Credentials shaped like real ones (AKIA… / 40 characters), fresh per emulator. */
export function generateCredentials(): EmulatorCredentials {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = Array.from(randomBytes(16), (b) => alphabet[b & 31]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

export function resolveOptions(opts: EmulatorOptions | undefined): ResolvedOptions {
  if (opts === undefined) opts = {};
  if (opts === null || typeof opts !== 'object') throw new OptionError('options', 'must be an object or undefined');
  for (const key of Object.keys(opts)) {
    if (!KNOWN.has(key)) throw new OptionError(key, `is not an emulator option (known: ${[...KNOWN].join(', ')})`);
  }
  const host = opts.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '' || /[\s/]/.test(host))
    throw new OptionError('host', `must be a host name or IP address, got ${JSON.stringify(host)}`);
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new OptionError('port', `must be an integer 0..65535 (0 = any free port), got ${String(port)}`);

  let credentials = opts.credentials;
  if (credentials === undefined) credentials = generateCredentials();
  else {
    if (credentials === null || typeof credentials !== 'object')
      throw new OptionError('credentials', 'must be { accessKeyId, secretAccessKey, sessionToken? }');
    for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
      const v = credentials[field];
      if (typeof v !== 'string' || v === '')
        throw new OptionError(`credentials.${field}`, 'must be a non-empty string');
    }
    if (!/^[A-Za-z0-9]+$/.test(credentials.accessKeyId))
      throw new OptionError('credentials.accessKeyId', 'must be letters and digits only, like AKIAIOSFODNN7EXAMPLE');
    if (
      credentials.sessionToken !== undefined &&
      (typeof credentials.sessionToken !== 'string' || credentials.sessionToken === '')
    ) {
      throw new OptionError('credentials.sessionToken', 'must be a non-empty string when given');
    }
    credentials = { ...credentials };
  }

  let script: ResolvedOptions['script'];
  const given = opts.script;
  if (given === undefined) script = () => DEFAULT_SCRIPT;
  else if (typeof given === 'function') {
    script = (session) => {
      const list = given(session);
      const problem = Array.isArray(list) ? scriptProblem(list) : 'the script function must return an array';
      if (problem !== undefined) throw new OptionError('script', problem);
      return list;
    };
  } else if (Array.isArray(given)) {
    const problem = scriptProblem(given);
    if (problem !== undefined) throw new OptionError('script', problem);
    const list = given.slice();
    script = () => list;
  } else throw new OptionError('script', 'must be an array of utterances or a function of the session returning one');

  if (opts.recognizer !== undefined && typeof opts.recognizer !== 'function') {
    throw new OptionError('recognizer', 'must be a function (context) => { push(audio), flush() }');
  }

  const vad: Required<VadOptions> = { ...DEFAULT_VAD };
  if (opts.vad !== undefined) {
    if (opts.vad === null || typeof opts.vad !== 'object') throw new OptionError('vad', 'must be an object');
    for (const [key, value] of Object.entries(opts.vad)) {
      if (!VAD_KNOWN.has(key))
        throw new OptionError(`vad.${key}`, `is not a VAD option (known: ${[...VAD_KNOWN].join(', ')})`);
      if (value === undefined) continue;
      if (key === 'thresholdDbfs') {
        if (typeof value !== 'number' || !Number.isFinite(value) || value > 0)
          throw new OptionError('vad.thresholdDbfs', `must be a level in dBFS <= 0, got ${String(value)}`);
        vad.thresholdDbfs = value;
      } else if (key === 'minSpeechMs' || key === 'endSilenceMs') {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
          throw new OptionError(`vad.${key}`, `must be milliseconds >= 0, got ${String(value)}`);
        vad[key] = value;
      } else {
        vad[key as 'frameMs' | 'msPerWord'] = positive(value, `vad.${key}`);
      }
    }
  }

  const idleTimeoutMs = opts.idleTimeoutMs === undefined ? 15_000 : positive(opts.idleTimeoutMs, 'idleTimeoutMs');
  const maxDurationMs =
    opts.maxDurationMs === undefined ? 4 * 3_600_000 : positive(opts.maxDurationMs, 'maxDurationMs');
  if (idleTimeoutMs > TIMER_LIMIT || maxDurationMs > TIMER_LIMIT) {
    throw new OptionError(
      idleTimeoutMs > TIMER_LIMIT ? 'idleTimeoutMs' : 'maxDurationMs',
      'must be at most 2147483647 ms (about 24.8 days, the timer limit)',
    );
  }
  const finalDelayMs = opts.finalDelayMs ?? 0;
  if (
    typeof finalDelayMs !== 'number' ||
    !Number.isFinite(finalDelayMs) ||
    finalDelayMs < 0 ||
    finalDelayMs > TIMER_LIMIT
  ) {
    throw new OptionError(
      'finalDelayMs',
      `must be milliseconds >= 0 (at most 2147483647), got ${String(finalDelayMs)}`,
    );
  }
  const clockSkewMs = opts.clockSkewMs ?? 0;
  if (typeof clockSkewMs !== 'number' || !Number.isFinite(clockSkewMs))
    throw new OptionError('clockSkewMs', `must be a finite number of milliseconds, got ${String(clockSkewMs)}`);
  const region = opts.region;
  if (region !== undefined && (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))) {
    throw new OptionError('region', `must be an AWS region such as us-east-1, got ${JSON.stringify(region)}`);
  }
  return {
    host,
    port,
    credentials,
    script,
    recognizer: opts.recognizer,
    vad,
    idleTimeoutMs,
    maxDurationMs,
    clockSkewMs,
    region,
    finalDelayMs,
    retain: resolveRetain(opts.retain),
  };
}
