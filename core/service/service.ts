/**
 * The body of AWSTranscribeSTTService (aws-service.ts), Pipecat's service of the same name,
 * transport-agnostic. Audio in at any rate, Int16 or Float32, mono or interleaved stereo; interim
 * and final transcripts out as events and as an async iterator of frames. The socket, credentials,
 * DSP and clock come from the adapter; where each stream connects (URLs signed here, or from a
 * `url` provider) from the TargetSource the subclass chooses, so a URL-only service
 * (presigned-service.ts) carries no signing code.
 *
 * Audio path (nothing allocated per frame): input -> AudioInput (bytes, carry of partial frames,
 * downmix, resample, Int16 LE) -> SessionRouter -> AudioOutlet (framer, then the open stream, or the
 * backlog while none can take it).
 *
 * This class is the public surface: state, settings, frames and events, and result delivery. The
 * streams (connect, reconnect, keep-alive, switches) are the SessionRouter's; it reaches the
 * service through the RouterContext built here, so none of it is public.
 */

import { AudioInput } from './audio/input.js';
import { checkAudioType, pushShape, startRate } from './audio/push-arguments.js';
import type { PushAudioOptions } from './audio/push-arguments.js';
import { ServiceEmitter } from './emitter.js';
import { TranscribeError } from '../errors.js';
import type { Frame, ServiceEvents } from './frames.js';
import { AudioClock, LatencyStats } from './metrics.js';
import { safeText } from '../sigv4/redact.js';
import { ResultDelivery } from './result-delivery.js';
import { zeroCounters } from './streams/router-context.js';
import type { ServiceCounters, StopResult } from './streams/router-context.js';
import { SecretSet } from './secret-set.js';
import { consoleLogger, serviceDefaults } from './defaults.js';
import type { ServiceDefaults } from './defaults.js';
import type {
  AWSTranscribeSettings,
  AWSTranscribeSTTServiceOptions,
  Logger,
  ServiceRuntime,
  StreamParameters,
} from './options.js';
import { resolveLanguageCode, streamParameters, validateServiceOptions } from './options.js';
import type { TargetSource, TargetSourceFactory } from './streams/connect-target.js';
import { SessionRouter } from './streams/router.js';
import { clearGlobalTimer, setGlobalTimer, Timer } from './timer.js';
import { TtfsMeter } from './ttfs-meter.js';

export type ServiceState = 'idle' | 'running' | 'stopping' | 'stopped' | 'failed';

/** The service without a way to connect: AWSTranscribeSTTService and PresignedTranscribeSTTService each give theirs. */
export class TranscribeSTTServiceBase {
  readonly options: Readonly<AWSTranscribeSTTServiceOptions>;
  readonly runtime: ServiceRuntime;
  readonly log: Logger;
  /** The signing region; '' with a `url` provider (the backend that signs chooses it). */
  readonly region: string;
  readonly counters: ServiceCounters = zeroCounters();
  wireRate: 8000 | 16000 = 16000;

  readonly #em: ServiceEmitter;
  readonly #ttfs = new LatencyStats();
  readonly #clock = new AudioClock();
  readonly #o: ServiceDefaults;
  /** The secrets this service signed with, scrubbed from any text the server sends back. */
  readonly #secrets = new SecretSet();
  #settings: AWSTranscribeSettings;
  #params: StreamParameters;
  #lang: string | undefined;
  /** 2 with channel identification (interleaved stereo on the wire), else 1. */
  #channels: 1 | 2 = 1;
  /** The user of `start()`, and of the last push (results carry it, as Pipecat takes it from each audio frame). */
  #startUserId = '';
  #userId = '';
  #state: ServiceState = 'idle';
  #inputRate = 16000;
  #muted = false;
  /** Set by start(), before anything uses it. */
  #in!: AudioInput;
  readonly #router: SessionRouter;
  /** Why the service gave up, while it stays failed. */
  #fatal: TranscribeError | undefined;
  readonly #results: ResultDelivery;
  readonly #ttfsMeter: TtfsMeter;
  readonly #target: TargetSource;

  readonly #now = (): number => (this.runtime.now ?? Date.now)();

  constructor(options: AWSTranscribeSTTServiceOptions, runtime: ServiceRuntime, target: TargetSourceFactory) {
    validateServiceOptions(options);
    this.options = options;
    this.runtime = runtime;
    this.#o = serviceDefaults(options);
    const log = (this.log = options.logger ?? consoleLogger);
    this.#em = new ServiceEmitter(
      (err) => log.error?.(`a listener threw: ${String(err)}`),
      (m) => log.warn?.(m),
    );
    this.#settings = { ...options.settings };
    this.#params = streamParameters(options);
    this.#secrets.add(options.apiKey);
    this.#secrets.add(options.awsSessionToken);
    if (options.language !== undefined) log.warn?.('the `language` option is deprecated: use `settings: { language }`');
    this.#lang = this.#languageFor(this.#settings, this.#params);
    this.#target = target({
      options,
      runtime,
      log,
      wireRate: () => this.wireRate,
      params: () => this.#params,
      language: () => this.#lang,
      now: this.#now,
      secret: (value) => this.#secrets.add(value),
      clean: (text) => this.#clean(text),
    });
    this.region = this.#target.region;
    const timer = new Timer(runtime.setTimeout ?? setGlobalTimer, runtime.clearTimeout ?? clearGlobalTimer, (err) =>
      log.error?.(`internal error in the TTFS window (please report it): ${String(err)}`),
    );
    this.#ttfsMeter = new TtfsMeter(timer, this.#o.ttfsWindowMs, (ttfs) => {
      this.#ttfs.add(ttfs);
      this.#em.emit('metrics', { ttfs });
    });
    this.#results = new ResultDelivery({
      emitter: this.#em,
      clock: this.#clock,
      meter: this.#ttfsMeter,
      counters: this.counters,
      now: this.#now,
      emit: (frame) => this.#emit(frame),
      userId: () => this.#userId,
      language: () => this.#lang,
    });
    this.#router = new SessionRouter({
      options: this.#o,
      runtime,
      log,
      counters: this.counters,
      emitter: this.#em,
      clock: this.#clock,
      now: this.#now,
      params: () => this.#params,
      clean: (text) => this.#clean(text),
      live: () => this.#live(),
      fail: (error) => {
        if (!this.#live()) return;
        if (this.#state === 'running') this.#state = 'failed';
        this.#fatal = error;
        this.#error(error, true);
        this.#em.end();
      },
      error: (error, fatal) => this.#error(error, fatal),
      deliver: (event, offset) => this.#results.deliver(event, offset),
    });
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

  /**
   * Every frame from now on, until `stop()`/`cancel()` or a fatal error ends the run. Taken while
   * no run is going on (before `start()`, or after a run ended), it yields the next run's frames.
   * A reader that falls 1000 frames behind loses the oldest (interims first), with a warning.
   */
  frames(): AsyncIterableIterator<Frame> {
    return this.#em.frames();
  }

  /**
   * Connect. `sampleRate` is the rate of the audio you will push (the pipeline's rate). Resolves
   * once the first stream is open; rejects on misuse, bad configuration, or when the service gave
   * up before any stream opened (the error is also an `error` frame with `fatal: true`).
   */
  async start(o: { sampleRate: number; userId?: string }): Promise<void> {
    if (this.#live()) throw new TranscribeError('ALREADY_STARTED', 'start() while running: call stop() first');
    const inputRate = startRate(o?.sampleRate);
    const rt = this.runtime;
    this.#inputRate = inputRate;
    this.#startUserId = this.#userId = o.userId ?? '';
    const requested = this.options.sampleRate ?? inputRate;
    // Only 8000 and 16000 go on the wire (Pipecat's rule); anything else becomes 16000.
    const rate = (this.wireRate = requested === 8000 ? 8000 : 16000);
    if (requested !== rate)
      this.log.info?.(`Transcribe takes 8000 or 16000 Hz: ${requested} Hz audio is resampled to 16000 Hz`);
    const target = this.#target.start();
    const channels = (this.#channels =
      this.#params.enableChannelIdentification && this.#params.numberOfChannels === 2 ? 2 : 1);
    const bps = rate * 2 * channels;
    const frameBytes = (bps * this.#o.frameMs) / 1000;
    this.#target.check(this.#params, this.#lang);
    const router = this.#router;
    this.#in = new AudioInput(rt.createAudioPipeline, rate, channels, router, this.counters);
    // A fresh run: nothing of the last one carries over.
    router.reset(target, bps, frameBytes, channels);
    this.#state = 'running';
    this.#fatal = undefined;
    this.#results.reset();
    this.#ttfsMeter.finish();
    this.#emit({
      type: 'metadata',
      serviceName: 'AWSTranscribeSTTService',
      ttfsP99Latency: this.#o.ttfsP99Latency,
      model: this.#settings.model,
      language: this.#lang,
      sampleRate: rate,
      timestamp: this.#stamp(),
    });
    const failed = await router.start();
    if (failed) throw failed;
  }

  /**
   * Send audio: `Int16Array`, `Float32Array` (-1..1) or `Uint8Array` (16-bit LE bytes). A push need
   * not hold whole frames: an odd trailing byte, or half a stereo frame, waits for the next call.
   * Never throws for network trouble: audio is buffered while reconnecting. Throws INVALID_AUDIO
   * for input it cannot take (wrong type, rate or channels, more than `bufferSeconds` at once).
   */
  pushAudio(audio: Int16Array | Float32Array | Uint8Array, o: PushAudioOptions = {}): void {
    checkAudioType(audio);
    const state = this.#state;
    if (state === 'idle')
      throw new TranscribeError('NOT_STARTED', 'pushAudio() before start(): `await stt.start({ sampleRate })` first');
    if (state === 'stopping' || state === 'stopped') {
      throw new TranscribeError('STOPPED', 'pushAudio() after stop()/cancel(): call start() again');
    }
    const { rate, channels, seconds } = pushShape(audio, o.sampleRate ?? this.#inputRate, o.channels ?? 1, {
      channels: this.#channels,
      bufferSeconds: this.#o.bufferSeconds,
    });
    if (state === 'failed') {
      this.counters.droppedSeconds += seconds;
      return;
    }
    this.#userId = o.userId ?? this.#startUserId;
    this.#in.push(audio, rate, channels, this.#muted, this.#now());
  }

  /**
   * Apply a settings delta; reconnects (without losing audio) only if something changed. Rejects
   * with an `OptionError` for a bad value (nothing changes), with the fatal error if the service
   * gave up meanwhile, or with the error of a new stream that could not be opened (the current one
   * goes on with the previous settings; the new ones apply from the next stream).
   */
  async updateSettings(delta: AWSTranscribeSettings & StreamParameters): Promise<boolean> {
    const { settings, params, lang, changed } = this.#withDelta(delta);
    if (changed) this.#target.check(params, lang);
    this.#settings = settings;
    if (!changed) return false;
    this.#params = params;
    this.#lang = lang;
    const failed = this.#state === 'running' ? await this.#router.switch('settings') : undefined;
    // The service gave up while switching, or the new stream could not be opened (the current one
    // goes on with the previous settings): what the application awaits says so.
    if (this.#fatal) throw this.#fatal;
    if (failed) throw failed;
    return true;
  }

  /**
   * Throws the OptionError that start(), or updateSettings(delta), would reject with, without
   * connecting or changing anything (for a framework that checks options when they are given).
   */
  checkSettings(delta: AWSTranscribeSettings & StreamParameters = {}): void {
    const { params, lang } = this.#withDelta(delta);
    const wireRate = this.wireRate;
    // Before start(), the wire rate the options decide (start() may still take 8000 from the audio).
    if (!this.#live()) this.wireRate = this.options.sampleRate === 8000 ? 8000 : 16000;
    try {
      this.#target.check(params, lang);
    } finally {
      this.wireRate = wireRate;
    }
  }

  /** The settings, parameters and language `delta` would make, and whether they differ from today's. */
  #withDelta(delta: AWSTranscribeSettings & StreamParameters) {
    const { model, language, ...given } = delta;
    const settings: AWSTranscribeSettings = { ...this.#settings };
    if (model !== undefined) settings.model = model;
    if (language !== undefined) settings.language = language;
    const old = this.#params as Record<string, unknown>;
    const params: StreamParameters = { ...old, ...given };
    const lang = this.#languageFor(settings, params);
    // Only the keys of the delta can differ from the current parameters.
    const changed =
      lang !== this.#lang || Object.entries(given).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(old[k]));
    return { settings, params, lang, changed };
  }

  /** While muted the service hears silence: the stream and its timing go on. */
  mute(): void {
    this.#muted = true;
  }

  unmute(): void {
    this.#muted = false;
  }

  /** The user started speaking (from a VAD): a TTFS measurement in progress is dropped. */
  userStartedSpeaking(): void {
    this.#ttfsMeter.speechStarted();
  }

  /**
   * The user stopped speaking (from a VAD): TTFS is measured from here, less `stopSecs` (the
   * silence your VAD waited for before it decided, as Pipecat's VADUserStoppedSpeakingFrame says).
   */
  userStoppedSpeaking(stopSecs = 0): void {
    this.#ttfsMeter.speechStopped(this.#now() - Math.max(0, stopSecs) * 1000);
  }

  /** The conversation was interrupted (Pipecat's InterruptionFrame): a TTFS measurement in progress is dropped. */
  interrupted(): void {
    this.#ttfsMeter.interrupted();
  }

  /**
   * Flush, send the empty AudioEvent, wait (bounded by stopTimeoutMs plus the time queued audio
   * takes) for the last finals, close. Resolves with `complete: true` when every stream ended as
   * asked; otherwise with the error that cut it short (also sent as an `error` frame). Never
   * rejects for network trouble.
   */
  async stop(): Promise<StopResult> {
    const state = this.#state;
    if (state === 'failed') {
      this.#finish();
      return { complete: false, error: this.#fatal };
    }
    if (state !== 'running') return { complete: state === 'stopped' || state === 'idle', error: undefined };
    this.#state = 'stopping';
    this.#in.flush(this.#now());
    this.#router.flush();
    const result = await this.#router.end();
    this.#finish();
    return result;
  }

  /** Close now, dropping unsent audio and pending results. */
  cancel(): void {
    if (this.#state === 'idle' || this.#state === 'stopped') return;
    this.#router.cancel();
    this.#finish();
  }

  // ---- frames and events ------------------------------------------------------------------------------

  #emit(frame: Frame): void {
    // An error nobody listens to or iterates for still gets seen, in the log.
    if (!this.#em.frame(frame) && frame.type === 'error') this.log.error?.(frame.error.toString());
  }

  /** Text from the server, fit for a message: secrets scrubbed, control characters gone, length capped. */
  #clean(text: string): string {
    return safeText(text, this.#secrets.values);
  }

  #error(error: TranscribeError, fatal: boolean): void {
    this.#emit({ type: 'error', error, fatal, timestamp: this.#stamp() });
  }

  #stamp(): string {
    return new Date(this.#now()).toISOString();
  }

  #live(): boolean {
    return this.#state === 'running' || this.#state === 'stopping';
  }

  #finish(): void {
    this.#state = 'stopped';
    this.#ttfsMeter.finish();
    this.#results.reportUsage();
    this.#results.reset();
    this.#em.end();
  }

  // ---- settings ---------------------------------------------------------------------------------------

  #languageFor(settings: AWSTranscribeSettings, params: StreamParameters): string | undefined {
    if (params.identifyLanguage || params.identifyMultipleLanguages) return undefined;
    return resolveLanguageCode(this.options, settings);
  }
}
