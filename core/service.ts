/**
 * AWSTranscribeSTTService: Pipecat's service of the same name, transport-agnostic. Audio in at any
 * rate, Int16 or Float32, mono or interleaved stereo; interim and final transcripts out as events
 * and as an async iterator of frames. The socket, credentials, DSP and clock come from the adapter.
 *
 * Audio path (nothing allocated per frame): input -> pipeline (downmix, resample, Int16 LE) ->
 * framer (steady 50–200 ms frames) -> the open stream, or the backlog while none is open.
 *
 * Streams: the first connect, reconnects with backoff and a quick-failure guard, keep-alive
 * silence, and make-before-break switches (settings changes, credential refresh, 4-hour rotation)
 * taken at a pause in speech. One class on purpose: the state is shared by all of it, and private
 * fields keep it out of the public surface.
 */

import { AudioBacklog, AudioFramer } from './audio-framer.js';
import { audioEventLength } from './audio-event.js';
import { CredentialCache } from './credentials.js';
import { ServiceEmitter } from './emitter.js';
import { TranscribeError } from './errors.js';
import type { Frame, ServiceEvents } from './frames.js';
import type { StreamingLanguageCode } from './language-codes.js';
import { AudioClock, LatencyStats } from './metrics.js';
import { isQuiet, PAUSE_FRAMES } from './pause-detector.js';
import { shiftTimes } from './result-delivery.js';
import type { AudioPipeline, AWSTranscribeSettings, AWSTranscribeSTTServiceOptions, Logger, ServiceRuntime, StreamParameters } from './service-options.js';
import {
  DEFAULT_TTFS_P99,
  MAX_STREAM_MS,
  resolveCredentials,
  resolveLanguageCode,
  resolveRegion,
  streamParameters,
  validateServiceOptions,
} from './service-options.js';
import { redactUrl } from './sigv4.js';
import type { Credentials } from './sigv4.js';
import type { SocketCloseInfo } from './socket.js';
import { StereoPipeline } from './stereo-pipeline.js';
import { lostError, TranscribeStream } from './stream.js';
import type { StreamHandlers } from './stream.js';
import { transcribeUrl } from './transcribe-url.js';
import type { TranscriptEvent } from './transcript.js';
import { randomUuid } from './uuid.js';

export type ServiceState = 'idle' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface PushAudioOptions {
  /** Rate of this chunk (default: the rate given to `start`). */
  sampleRate?: number;
  /** 1 (default) or 2 (interleaved stereo, downmixed). */
  channels?: 1 | 2;
}

export interface ServiceCounters {
  /** Streams opened after the first one: reconnects, settings changes and rotations. */
  reconnects: number;
  /** Seconds of audio held in the backlog while no stream was open. */
  bufferedSeconds: number;
  /** Seconds of audio dropped because the backlog was full or the service had failed. */
  droppedSeconds: number;
  /** Seconds of silence sent by keep-alive. */
  keepAliveSeconds: number;
  /** Seconds of audio sent to the service in all. */
  sentSeconds: number;
}

type SwitchReason = 'settings' | 'rotation' | 'credentials';

/** A stream that dies this soon after opening, this many times in a row, is fatal (Pipecat's guard). */
const QUICK_FAILURE_MS = 2000;
const QUICK_FAILURE_LIMIT = 3;
/** Indexes into the timer handles. */
const RETRY = 0;
const KEEP_ALIVE = 1;
const ROTATE = 2;
const SWITCH_BY = 3;
/** Only signs, to check stream parameters before anything is sent. */
const VALIDATION_KEY: Credentials = { accessKeyId: 'AKIDVALIDATION', secretAccessKey: 'validation-only' };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const quiet: Logger = { warn: (m) => console.warn(`[transcribe-stream] ${m}`) };

declare const console: { warn(message: string): void };

export class AWSTranscribeSTTService {
  readonly options: Readonly<AWSTranscribeSTTServiceOptions>;
  readonly runtime: ServiceRuntime;
  readonly log: Logger;
  readonly region: string;
  readonly counters: ServiceCounters = { reconnects: 0, bufferedSeconds: 0, droppedSeconds: 0, keepAliveSeconds: 0, sentSeconds: 0 };
  wireRate: 8000 | 16000 = 16000;

  readonly #em: ServiceEmitter;
  readonly #ttfs = new LatencyStats();
  readonly #clock = new AudioClock();
  #settings: AWSTranscribeSettings;
  #params: StreamParameters;
  #lang: string | undefined;
  /** 2 with channel identification (interleaved stereo on the wire), else 1. */
  #channels: 1 | 2 = 1;
  /** Wire bytes per second. */
  #bps = 32000;
  #userId = '';
  #creds: CredentialCache | undefined;
  #framer: AudioFramer | undefined;
  #backlog: AudioBacklog | undefined;
  #state: ServiceState = 'idle';
  #inputRate = 16000;
  #muted = false;
  #pipeline: AudioPipeline | undefined;
  /** rate * 4 + channels of the current pipeline (a number: no string per chunk). */
  #pipelineKey = 0;
  #carry = -1;
  #int16Scratch = new Int16Array(0);
  #zeros: ArrayBuffer = new ArrayBuffer(0);

  // Per start(): the streams and what happens between them.
  /** Bumped by start(): work of an earlier run (a pending connect) sees it and stops. */
  #run = 0;
  // Set by start(), before anything uses them.
  #scratch!: Uint8Array;
  #drainBuf!: Uint8Array;
  #silence!: Uint8Array;
  #set!: (fn: () => void, ms: number) => unknown;
  #clear!: (handle: unknown) => void;
  #cur: TranscribeStream | undefined;
  #next: TranscribeStream | undefined;
  #nextReason: SwitchReason = 'settings';
  readonly #draining = new Set<TranscribeStream>();
  #streams = 0;
  #sentBytes = 0;
  #attempt = 0;
  #quickFailures = 0;
  #quietFrames = 0;
  #lastPushAt = 0;
  #stopping = false;
  #droppedWarned = false;
  #timers!: unknown[];
  #startWaiter: (() => void) | undefined;
  #switchWaiters: (() => void)[] = [];
  #stopWaiter: (() => void) | undefined;
  // Results: consecutive identical interims are dropped per channel; TTFS as Pipecat measures it.
  #interims!: Map<string, string>;
  #speechStoppedAt: number | undefined;
  #utteranceStartAt: number | undefined;

  readonly #now = (): number => (this.runtime.now ?? Date.now)();

  readonly #handlers: StreamHandlers = {
    open: (s) => this.#opened(s),
    transcript: (s, event) => this.#deliver(event, s.offset),
    closed: (s, error, info) => this.#closed(s, error, info),
  };

  constructor(options: AWSTranscribeSTTServiceOptions, runtime: ServiceRuntime) {
    validateServiceOptions(options);
    this.options = options;
    this.runtime = runtime;
    const log = (this.log = options.logger ?? quiet);
    this.#em = new ServiceEmitter((err) => log.error?.(`a listener threw: ${String(err)}`));
    this.#settings = { ...options.settings };
    this.#params = streamParameters(options);
    this.region = resolveRegion(options, runtime.env);
    if (options.language !== undefined) log.warn?.('the `language` option is deprecated: use `settings: { language }`');
    this.#lang = this.#languageFor(this.#settings, this.#params);
  }

  get state(): ServiceState {
    return this.#state;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** Running TTFS percentiles in seconds (undefined before the first final). */
  get ttfsP50(): number | undefined {
    return this.#ttfs.percentile(50);
  }

  get ttfsP99(): number | undefined {
    return this.#ttfs.percentile(99);
  }

  on<K extends keyof ServiceEvents>(name: K, fn: (payload: ServiceEvents[K]) => void): () => void {
    return this.#em.on(name, fn);
  }

  /** Every frame from now on, until `stop()`/`cancel()` or a fatal error ends the iteration. */
  frames(): AsyncIterableIterator<Frame> {
    return this.#em.frames();
  }

  /**
   * Connect. `sampleRate` is the rate of the audio you will push (the pipeline's rate). Resolves
   * once the first stream is open or the service gave up (an `error` frame says why); rejects only
   * on misuse or bad configuration.
   */
  async start(o: { sampleRate: number; userId?: string }): Promise<void> {
    if (this.#live()) throw new TranscribeError('ALREADY_STARTED', 'start() while running: call stop() first');
    checkRate(o?.sampleRate, 'start({ sampleRate })');
    const options = this.options;
    const rt = this.runtime;
    this.#inputRate = o.sampleRate;
    this.#userId = o.userId ?? '';
    const requested = options.sampleRate ?? o.sampleRate;
    // Only 8000 and 16000 go on the wire (Pipecat's rule); anything else becomes 16000.
    const rate = (this.wireRate = requested === 8000 ? 8000 : 16000);
    if (requested !== rate) this.log.warn?.(`Transcribe takes 8000 or 16000 Hz: ${requested} Hz audio is resampled to 16000 Hz`);
    this.#creds = new CredentialCache(resolveCredentials(options, rt), this.#now);
    const channels = (this.#channels = this.#params.enableChannelIdentification && this.#params.numberOfChannels === 2 ? 2 : 1);
    const bps = (this.#bps = rate * 2 * channels);
    const frameBytes = (bps * (options.frameMs ?? 100)) / 1000;
    this.#framer = new AudioFramer(frameBytes);
    this.#backlog = new AudioBacklog((options.bufferSeconds ?? 15) * bps);
    this.#checkStreamParameters(this.#params, this.#lang);
    this.#pipeline = undefined;
    this.#pipelineKey = 0;
    this.#carry = -1;
    this.#state = 'running';
    // A fresh run: nothing of the last one carries over.
    this.#run++;
    this.#scratch = new Uint8Array(audioEventLength(frameBytes));
    this.#drainBuf = new Uint8Array(frameBytes);
    this.#silence = new Uint8Array(frameBytes);
    this.#set = rt.setTimeout ?? setTimer;
    this.#clear = rt.clearTimeout ?? clearTimer;
    this.#streams = this.#sentBytes = this.#attempt = this.#quickFailures = this.#quietFrames = 0;
    this.#stopping = this.#droppedWarned = false;
    this.#timers = [];
    this.#interims = new Map();
    this.#speechStoppedAt = this.#utteranceStartAt = undefined;
    this.#lastPushAt = this.#now();
    this.#emit({
      type: 'metadata',
      serviceName: 'AWSTranscribeSTTService',
      ttfsP99Latency: options.ttfsP99Latency ?? DEFAULT_TTFS_P99,
      model: this.#settings.model,
      language: this.#lang,
      sampleRate: rate,
      timestamp: this.#stamp(),
    });
    const started = new Promise<void>((resolve) => (this.#startWaiter = resolve));
    void this.#connect();
    this.#keepAliveLoop();
    await started;
  }

  /**
   * Send audio: `Int16Array`, `Float32Array` (-1..1) or `Uint8Array` (16-bit LE bytes; an odd
   * trailing byte waits for the next call). Never throws for network trouble: audio is buffered
   * while reconnecting.
   */
  pushAudio(audio: Int16Array | Float32Array | Uint8Array, o: PushAudioOptions = {}): void {
    if (!(audio instanceof Int16Array || audio instanceof Float32Array || audio instanceof Uint8Array)) {
      throw new TypeError(`pushAudio: expected an Int16Array, a Float32Array or a Uint8Array (16-bit LE PCM), got ${describe(audio)}`);
    }
    const state = this.#state;
    if (state === 'idle') throw new TranscribeError('NOT_STARTED', 'pushAudio() before start(): `await stt.start({ sampleRate })` first');
    if (state === 'stopping' || state === 'stopped') {
      throw new TranscribeError('STOPPED', 'pushAudio() after stop()/cancel(): call start() again');
    }
    const rate = o.sampleRate ?? this.#inputRate;
    const channels = o.channels ?? 1;
    if (o.sampleRate !== undefined) checkRate(rate, 'pushAudio({ sampleRate })');
    if (channels !== 1 && channels !== 2) throw new TypeError(`pushAudio: channels must be 1 or 2, got ${String(channels)}`);
    if (this.#channels === 2 && channels !== 2) {
      throw new TypeError('pushAudio: channel identification needs interleaved stereo: pass { channels: 2 }');
    }
    let input: Int16Array | Float32Array | undefined = audio instanceof Uint8Array ? this.#fromBytes(audio) : audio;
    if (!input || input.length === 0) return;
    if (state === 'failed') {
      this.counters.droppedSeconds += input.length / channels / rate;
      return;
    }
    const now = (this.#lastPushAt = this.#now());
    this.#utteranceStartAt ??= now;
    if (this.#muted) input = this.#zerosLike(input);
    const bytes =
      rate === this.wireRate && channels === this.#channels && input instanceof Int16Array && LITTLE_ENDIAN
        ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
        : this.#pipelineFor(rate, channels).process(input);
    this.#framer!.push(bytes, this.#onFrame);
  }

  /** Apply a settings delta; reconnects (without losing audio) only if something changed. */
  async updateSettings(delta: AWSTranscribeSettings & StreamParameters): Promise<boolean> {
    const { model, language, ...params } = delta;
    const settings: AWSTranscribeSettings = { ...this.#settings };
    if (model !== undefined) settings.model = model;
    if (language !== undefined) settings.language = language;
    const old = this.#params as Record<string, unknown>;
    const nextParams: StreamParameters = { ...old, ...params };
    const nextLanguage = this.#languageFor(settings, nextParams);
    // Only the keys of the delta can differ from the current parameters.
    const changed = nextLanguage !== this.#lang || Object.entries(params).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(old[k]));
    if (changed) this.#checkStreamParameters(nextParams, nextLanguage);
    this.#settings = settings;
    if (!changed) return false;
    this.#params = nextParams;
    this.#lang = nextLanguage;
    if (this.#state === 'running') await this.#switch('settings');
    return true;
  }

  /** While muted the service hears silence: the stream and its timing go on. */
  mute(): void {
    this.#muted = true;
  }

  unmute(): void {
    this.#muted = false;
  }

  /** Tell the service the user stopped speaking (from a VAD): TTFS is measured from here. */
  userStoppedSpeaking(): void {
    this.#speechStoppedAt = this.#now();
  }

  /** Flush, send the empty AudioEvent, wait (bounded) for the last finals, close. */
  async stop(): Promise<void> {
    const failed = this.#state === 'failed';
    if (this.#state !== 'running' && !failed) return;
    this.#state = 'stopping';
    if (!failed) {
      if (this.#pipeline) this.#framer!.push(this.#pipeline.flush(), this.#onFrame);
      this.#framer!.flush(this.#onFrame);
      await this.#endStreams(this.options.stopTimeoutMs ?? 5000);
    }
    this.#finish();
  }

  /** Close now, dropping unsent audio and pending results. */
  cancel(): void {
    if (this.#state === 'idle' || this.#state === 'stopped') return;
    this.#cancelStreams();
    this.#finish();
  }

  // ---- frames and events ------------------------------------------------------------------------------

  #emit(frame: Frame): void {
    // An error nobody listens to or iterates for still gets seen, in the log.
    if (!this.#em.frame(frame) && frame.type === 'error') this.log.error?.(frame.error.toString());
  }

  #error(error: TranscribeError, fatal: boolean): void {
    this.#emit({ type: 'error', error, fatal, timestamp: this.#stamp() });
  }

  #stamp(): string {
    return new Date(this.#now()).toISOString();
  }

  /** Turn one TranscriptEvent of a stream whose audio starts at `offset` seconds into frames. */
  #deliver(event: TranscriptEvent, offset: number): void {
    for (const r of event.Transcript.Results) {
      shiftTimes(r, offset);
      const text = r.Alternatives[0]?.Transcript ?? '';
      if (!text.trim()) continue;
      const key = r.ChannelId ?? '';
      const now = this.#now();
      const base = { text, userId: this.#userId, timestamp: new Date(now).toISOString(), language: r.LanguageCode ?? this.#lang, result: r };
      if (r.IsPartial) {
        if (this.#interims.get(key) === text) continue;
        this.#interims.set(key, text);
        this.#emit({ type: 'interimTranscription', ...base });
        continue;
      }
      this.#interims.delete(key);
      // TTFS from the end of speech (VAD), else from when the audio at the result's end was pushed.
      const from = this.#speechStoppedAt ?? this.#clock.wallTimeAt(r.EndTime);
      const startedAt = this.#utteranceStartAt;
      this.#speechStoppedAt = this.#utteranceStartAt = undefined;
      if (from !== undefined && from <= now) {
        const ttfs = (now - from) / 1000;
        this.#ttfs.add(ttfs);
        this.#em.emit('metrics', { ttfs, processing: startedAt === undefined ? ttfs : (now - startedAt) / 1000 });
      }
      this.#emit({ type: 'transcription', ...base });
    }
  }

  // ---- the audio path ---------------------------------------------------------------------------------

  /** One wire frame from the framer: send it, or keep it until a stream is open. */
  readonly #onFrame = (frame: Uint8Array): void => {
    this.#quietFrames = isQuiet(frame) ? this.#quietFrames + 1 : 0;
    const s = this.#cur;
    if (!(s && this.#backlog!.size === 0 && this.#send(s, frame))) this.#buffer(frame);
    if (this.#next?.state === 'open' && this.#paused()) this.#switchNow();
  };

  #paused(): boolean {
    return this.#quietFrames >= PAUSE_FRAMES;
  }

  /** Send on `s`; false (nothing counted) when it no longer takes audio. */
  #send(s: TranscribeStream, pcm: Uint8Array): boolean {
    if (!s.sendAudio(pcm, this.#scratch)) return false;
    this.#sentBytes += pcm.length;
    const seconds = (this.counters.sentSeconds = this.#sentBytes / this.#bps);
    this.#clock.mark(seconds, this.#now());
    return true;
  }

  #buffer(frame: Uint8Array): void {
    const bps = this.#bps;
    const dropped = this.#backlog!.push(frame);
    const c = this.counters;
    c.bufferedSeconds += frame.length / bps;
    if (dropped > 0) {
      c.droppedSeconds += dropped / bps;
      if (!this.#droppedWarned) {
        this.#droppedWarned = true;
        this.log.warn?.(`no stream for over bufferSeconds (${this.options.bufferSeconds ?? 15} s): dropping the oldest audio`);
      }
    }
  }

  #pipelineFor(rate: number, channels: 1 | 2): AudioPipeline {
    const key = rate * 4 + channels;
    if (this.#pipeline && this.#pipelineKey === key) return this.#pipeline;
    const create = this.runtime.createAudioPipeline;
    if (!create) {
      throw new TranscribeError(
        'INVALID_AUDIO',
        `no DSP to convert ${rate} Hz ${channels}-channel audio to ${this.wireRate} Hz ${this.#channels}-channel 16-bit: push that, or use your runtime's package entry point`,
      );
    }
    // The previous pipeline's held-back samples belong before the new audio.
    if (this.#pipeline) this.#framer!.push(this.#pipeline.flush(), this.#onFrame);
    this.#pipeline = this.#channels === 2 ? new StereoPipeline(create, rate, this.wireRate) : create({ from: rate, to: this.wireRate, channels });
    this.#pipelineKey = key;
    return this.#pipeline;
  }

  /** 16-bit LE bytes -> Int16Array, carrying an odd byte to the next call. */
  #fromBytes(bytes: Uint8Array): Int16Array | undefined {
    const carry = this.#carry;
    const held = carry >= 0 ? 1 : 0;
    const total = bytes.length + held;
    const samples = total >> 1;
    this.#carry = total & 1 ? (bytes.length ? bytes[bytes.length - 1]! : carry) : -1;
    if (samples === 0) return undefined;
    if (!held && LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
    if (this.#int16Scratch.length < samples) this.#int16Scratch = new Int16Array(Math.max(samples, 4096));
    const out = this.#int16Scratch.subarray(0, samples);
    // Byte k of the input is byte k + held of the stream; the held byte is the first low byte.
    for (let i = 0, k = -held; i < samples; i++, k += 2) out[i] = ((bytes[k + 1]! << 24) >> 16) | (k < 0 ? carry : bytes[k]!);
    return out;
  }

  /** Zeros of the same type and length as `like` (a shared buffer of zero bytes, never written). */
  #zerosLike(like: Int16Array | Float32Array): Int16Array | Float32Array {
    const bytes = like.length * 4;
    if (this.#zeros.byteLength < bytes) this.#zeros = new ArrayBuffer(Math.max(bytes, 16384));
    return like instanceof Int16Array ? new Int16Array(this.#zeros, 0, like.length) : new Float32Array(this.#zeros, 0, like.length);
  }

  // ---- streams ----------------------------------------------------------------------------------------

  async #connect(reason?: SwitchReason): Promise<void> {
    const run = this.#run;
    this.#clearTimer(RETRY);
    let credentials: Credentials;
    try {
      credentials = await this.#creds!.get();
    } catch (err) {
      if (run === this.#run) this.#fatal(new TranscribeError('NO_CREDENTIALS', `could not get AWS credentials: ${messageOf(err)}`, { cause: err }));
      return;
    }
    if (run !== this.#run || !this.#live() || (this.#stopping && !this.#backlog!.size)) return;
    const number = ++this.#streams;
    // A user-given session id is reused on a plain reconnect, never while another stream holds it
    // (AWS would end that stream with ConflictException); switches get a fresh one.
    const given = this.#params.sessionId;
    const live = this.#cur !== undefined || this.#draining.size > 0;
    const sessionId = given !== undefined && !live ? given : given !== undefined || reason ? this.#uuid() : undefined;
    let url: string;
    try {
      url = this.#url(credentials, sessionId, this.#params, this.#lang);
    } catch (err) {
      return this.#fatal(err instanceof TranscribeError ? err : new TranscribeError('INVALID_OPTION', messageOf(err), { cause: err }));
    }
    this.log.debug?.(`stream ${number}: connecting to ${redactUrl(url)}`);
    if (number > 1) this.counters.reconnects++;
    const stream = new TranscribeStream(
      number,
      sessionId,
      url,
      this.#where(),
      this.runtime.socketFactory,
      this.#handlers,
      this.#now,
      this.options.idleTimeoutMs ?? 15_000,
    );
    if (reason) this.#next = stream;
    else this.#cur = stream;
  }

  #opened(s: TranscribeStream): void {
    if (s === this.#next) {
      // A switch waits this long for a pause before it moves the audio anyway.
      this.#timers[SWITCH_BY] = this.#set(() => this.#switchNow(), this.#nextReason === 'settings' ? 2000 : 10_000);
      if (this.#paused()) this.#switchNow();
      return;
    }
    if (s !== this.#cur) return s.close('stale');
    this.#attempt = 0;
    this.#becameCurrent(s);
    this.#started();
  }

  #closed(s: TranscribeStream, error: TranscribeError | undefined, info: SocketCloseInfo): void {
    if (this.#draining.delete(s)) {
      if (error) this.#error(error, false);
    } else if (s === this.#next) {
      this.#next = undefined;
      this.#clearTimer(SWITCH_BY);
      if (error && !this.#stopping) this.#retryOrFail(error, () => this.#switch(this.#nextReason));
    } else if (s === this.#cur) {
      this.#cur = undefined;
      this.#clearTimer(ROTATE);
      const lived = s.openedAt > 0 ? this.#now() - s.openedAt : -1;
      if (lived >= QUICK_FAILURE_MS) this.#quickFailures = 0;
      else if (lived >= 0) this.#quickFailures++;
      // A close we did not ask for is a failure too, unless stopping with nothing left to send.
      const retry = !this.#stopping || this.#backlog!.size > 0;
      const failure = error ?? (retry ? lostError('the service closed the stream', info) : undefined);
      const willReconnect = retry && failure !== undefined && this.#canRetry(failure);
      if (s.openedAt > 0) this.#em.emit('disconnected', { code: info.code, reason: info.reason, willReconnect });
      if (failure && retry) this.#retryOrFail(failure, () => this.#connect());
    }
    if (this.#stopping && this.#idle()) this.#stopWaiter?.();
  }

  /**
   * Make-before-break: open a new stream now, move the audio over at the next pause (bounded
   * wait). Resolves once the new stream carries the audio, or the attempt ended.
   */
  #switch(reason: SwitchReason): Promise<void> {
    const done = new Promise<void>((resolve) => this.#switchWaiters.push(resolve));
    const cur = this.#cur;
    if (!cur || cur.state !== 'open') {
      // Nothing live to keep: reconnect at once (audio waits in the backlog meanwhile).
      if (cur?.state === 'connecting') cur.close('settings changed');
      else if (this.#timers[RETRY] === undefined) void this.#connect();
      return done;
    }
    this.#next?.close('superseded');
    this.#nextReason = reason;
    void this.#connect(reason);
    return done;
  }

  #switchNow(): void {
    const next = this.#next;
    if (!next || next.state !== 'open') return;
    this.#clearTimer(SWITCH_BY);
    this.#clearTimer(ROTATE);
    this.#next = undefined;
    const old = this.#cur;
    this.#cur = next;
    if (old) {
      // Its pending results still arrive and are delivered; it gets no more audio.
      this.#draining.add(old);
      old.end();
    }
    this.#becameCurrent(next);
  }

  #becameCurrent(s: TranscribeStream): void {
    this.#releaseSwitchWaiters();
    s.offset = this.#sentBytes / this.#bps;
    this.#em.emit('connected', { streamNumber: s.number, sessionId: s.sessionId, requestId: undefined });
    const backlog = this.#backlog!;
    const buf = this.#drainBuf;
    while (backlog.size > 0) {
      const n = backlog.peekInto(buf);
      if (!this.#send(s, buf.subarray(0, n))) break;
      backlog.discard(n);
    }
    this.#droppedWarned = false;
    if (this.#stopping) return s.end();
    const refreshIn = this.#creds!.msUntilRefresh();
    const maxMs = this.options.maxStreamDurationMs ?? MAX_STREAM_MS - 60_000;
    this.#timers[ROTATE] = this.#set(
      () => {
        this.#timers[ROTATE] = undefined;
        void this.#switch(refreshIn < maxMs ? 'credentials' : 'rotation');
      },
      Math.max(1000, Math.min(maxMs, refreshIn)),
    );
  }

  /** Keep the stream from AWS's 15-second idle timeout by sending silence when no audio comes. */
  #keepAliveLoop(): void {
    const idleMs = this.options.keepAliveMs ?? 10_000;
    if (idleMs <= 0) return;
    this.#timers[KEEP_ALIVE] = this.#set(() => {
      this.#timers[KEEP_ALIVE] = undefined;
      if (this.#stopping || !this.#live()) return;
      const s = this.#cur;
      if (s?.state === 'open' && this.#now() - this.#lastPushAt >= idleMs && this.#backlog!.size === 0) {
        this.#framer!.flush(this.#onFrame);
        const frames = Math.ceil(1000 / (this.options.frameMs ?? 100));
        for (let i = 0; i < frames; i++) this.#send(s, this.#silence);
        this.counters.keepAliveSeconds += (frames * this.#silence.length) / this.#bps;
      }
      this.#keepAliveLoop();
    }, 1000);
  }

  #canRetry(error: TranscribeError): boolean {
    const o = this.options;
    return error.retryable && (o.reconnectOnError ?? true) && this.#attempt < (o.maxReconnectAttempts ?? 3) && this.#quickFailures < QUICK_FAILURE_LIMIT;
  }

  #retryOrFail(error: TranscribeError, retry: () => Promise<void>): void {
    const em = this.#em;
    if (!this.#canRetry(error)) {
      const n = this.#quickFailures;
      const why =
        n >= QUICK_FAILURE_LIMIT
          ? new TranscribeError(error.code, `${error.message} (failed right after opening ${n} times in a row; giving up)`, {
              ...(error.exceptionType ? { exceptionType: error.exceptionType } : {}),
              cause: error,
            })
          : error;
      em.emit('connectionError', { error: why, attempt: this.#attempt, willRetry: false });
      return this.#fatal(why);
    }
    const attempt = ++this.#attempt;
    em.emit('connectionError', { error, attempt, willRetry: true });
    this.#error(error, false);
    // Exponential backoff from 250 ms up to 5 s, with jitter (half to all of it).
    const delay = Math.min(250 * 2 ** (attempt - 1), 5000) * (0.5 + 0.5 * (this.runtime.random ?? Math.random)());
    this.#timers[RETRY] = this.#set(() => {
      this.#timers[RETRY] = undefined;
      void retry();
    }, delay);
  }

  /** The service gave up: report once, stop accepting audio, end the iterators, close everything. */
  #fatal(error: TranscribeError): void {
    if (this.#live()) {
      if (this.#state === 'running') this.#state = 'failed';
      this.#error(error, true);
      this.#em.end();
    }
    this.#cancelStreams();
  }

  /**
   * End every stream: send the empty AudioEvent and wait (bounded) for the last results. Audio
   * still in the backlog (a drop just before stop) is delivered first, on a new stream if needed.
   */
  #endStreams(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    this.#clearTimer(KEEP_ALIVE);
    this.#clearTimer(ROTATE);
    this.#next?.close('stopping');
    const cur = this.#cur;
    if (cur?.state === 'open') cur.end();
    if (!this.#backlog!.size) this.#clearTimer(RETRY);
    if (this.#idle()) return Promise.resolve(this.#cleanup());
    return new Promise<void>((resolve) => {
      const timer = this.#set(() => {
        this.log.warn?.(`stop(): not done after stopTimeoutMs (${timeoutMs} ms); closing`);
        this.#cancelStreams();
      }, timeoutMs);
      this.#stopWaiter = () => {
        this.#stopWaiter = undefined;
        this.#clear(timer);
        this.#cleanup();
        resolve();
      };
    });
  }

  #cancelStreams(): void {
    this.#stopping = true;
    for (const s of [this.#cur, this.#next, ...this.#draining]) s?.close('cancelled');
    this.#cur = this.#next = undefined;
    this.#draining.clear();
    this.#cleanup();
    this.#stopWaiter?.();
  }

  #cleanup(): void {
    for (let k = RETRY; k <= SWITCH_BY; k++) this.#clearTimer(k);
    this.#releaseSwitchWaiters();
    this.#started();
  }

  #started(): void {
    this.#startWaiter?.();
    this.#startWaiter = undefined;
  }

  #releaseSwitchWaiters(): void {
    const waiters = this.#switchWaiters;
    this.#switchWaiters = [];
    for (const w of waiters) w();
  }

  #clearTimer(k: number): void {
    const h = this.#timers[k];
    if (h !== undefined) this.#clear(h);
    this.#timers[k] = undefined;
  }

  #idle(): boolean {
    return !this.#cur && !this.#next && !this.#draining.size && this.#timers[RETRY] === undefined;
  }

  #live(): boolean {
    return this.#state === 'running' || this.#state === 'stopping';
  }

  #finish(): void {
    this.#state = 'stopped';
    this.#em.end();
  }

  // ---- settings ---------------------------------------------------------------------------------------

  /** The presigned URL of a stream with these parameters (throws `OptionError` for bad ones). */
  #url(credentials: Credentials, sessionId: string | undefined, params: StreamParameters, lang: string | undefined): string {
    return transcribeUrl({
      // Pipecat's defaults, which the user's parameters may override.
      enablePartialResultsStabilization: true,
      partialResultsStability: 'high',
      ...params,
      ...(sessionId !== undefined ? { sessionId } : {}),
      ...(lang !== undefined ? { languageCode: lang as StreamingLanguageCode } : {}),
      region: this.region,
      credentials,
      sampleRate: this.wireRate,
      mediaEncoding: 'pcm',
      date: new Date(this.#now()),
    });
  }

  /**
   * Bad stream parameters are configuration errors: an `OptionError` now (start() or
   * updateSettings() rejects), not a fatal error frame at the next connect. Signs with a
   * throwaway key; nothing is sent.
   */
  #checkStreamParameters(params: StreamParameters, lang: string | undefined): void {
    this.#url(VALIDATION_KEY, params.sessionId, params, lang);
  }

  #languageFor(settings: AWSTranscribeSettings, params: StreamParameters): string | undefined {
    if (params.identifyLanguage || params.identifyMultipleLanguages) return undefined;
    return resolveLanguageCode(this.options, settings);
  }

  /** Host and region for messages (never the URL: it carries the signature). */
  #where(): string {
    const e = this.#params.endpoint;
    if (!e) return `Amazon Transcribe (${this.region})`;
    try {
      return new URL(e).host;
    } catch {
      return 'the custom endpoint';
    }
  }

  #uuid(): string {
    const rt = this.runtime;
    return rt.randomUUID ? rt.randomUUID() : randomUuid(rt.random ?? Math.random);
  }
}

function setTimer(fn: () => void, ms: number): unknown {
  return globalThis.setTimeout(fn, ms);
}

function clearTimer(handle: unknown): void {
  globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
}

function checkRate(rate: unknown, where: string): void {
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 8000 || rate > 192_000) {
    throw new TypeError(`${where}: sample rate must be an integer from 8000 to 192000, got ${String(rate)}`);
  }
}

/** The type of a wrong argument, for the message: `Array`, `ArrayBuffer`, `String`, `Null`... */
function describe(v: unknown): string {
  return Object.prototype.toString.call(v).slice(8, -1);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
