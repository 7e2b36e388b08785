/**
 * The framework's SpeechStream over one AWSTranscribeSTTService. The base class queues the frames
 * (`pushFrame`, or the input stream the agent attaches) and runs `run()` with its retry loop; this
 * class feeds the frames to the service as they come, at their own rate (the base's resampler is
 * left off: the service's resampler takes any rate), and turns the service's transcripts into
 * SpeechEvents.
 *
 * Endings: `endInput()` stops the service (flush, end of stream, the last finals), reports usage
 * and ends the iteration; `close()` cancels the service at once; a failure the service gave up on
 * ends the stream with a non-retryable APIError (errors.ts says why the service does the retrying).
 */

import type { APIConnectOptions, stt } from '@livekit/agents';
import { AWSTranscribeSTTService, OptionError } from '../node.js';
import type { Logger } from '../node.js';
import { FramePusher } from './audio.js';
import { checkOptions } from './check-options.js';
import { stopFailure, toAPIError } from './errors.js';
import type { STTOptions, STTUpdate } from './options.js';
import { serviceOptions, wireRate, withUpdate } from './options.js';
import { agents } from './peers.js';
import { SpeechEvents } from './speech-events.js';

export class SpeechStream extends agents.stt.SpeechStream {
  label: string = 'transcribe-stream.SpeechStream';

  /** What the service is built with when run() starts, and kept up to date after. */
  #opts: STTOptions;
  readonly #conn: APIConnectOptions | undefined;
  readonly #done: (stream: SpeechStream) => void;
  #service: AWSTranscribeSTTService | undefined;

  /** `done` runs when the stream has ended, however it ended. */
  constructor(
    stt: stt.STT,
    opts: STTOptions,
    connOptions: APIConnectOptions | undefined,
    done: (stream: SpeechStream) => void,
  ) {
    // No sample rate: the base would resample with rtc-node first; the service does it better.
    super(stt, undefined, connOptions);
    this.#opts = opts;
    this.#conn = connOptions;
    this.#done = done;
  }

  /**
   * Change language or stream parameters mid-stream: the service switches streams without losing
   * audio. Before run() has started (the framework starts it on a timer), the stream opens with them.
   * Options the stream would be refused with reject with an OptionError, and it keeps its own.
   */
  async updateOptions(update: STTUpdate): Promise<void> {
    const before = this.#opts;
    const next = withUpdate(before, update);
    checkOptions(next, this.label);
    this.#opts = next;
    try {
      await this.#service?.updateSettings(update);
    } catch (err) {
      if (err instanceof OptionError && this.#opts === next) this.#opts = before;
      throw err;
    }
  }

  protected async run(): Promise<void> {
    const opts = this.#opts;
    const svcOptions = serviceOptions(opts, this.label, this.#conn);
    const log: Logger = svcOptions.logger ?? {};
    const svc = (this.#service = new AWSTranscribeSTTService(svcOptions));
    const events = new SpeechEvents({
      put: (e) => this.#put(e),
      interimResults: opts.interimResults ?? true,
      offset: () => this.startTimeOffset,
    });
    let failure: unknown;
    let interrupt!: () => void;
    // Resolves when the run must end before its input does: the service gave up, or close().
    const interrupted = new Promise<undefined>((resolve) => (interrupt = () => resolve(undefined)));
    const fail = (error: unknown): void => {
      failure ??= error;
      interrupt();
    };
    const signal = this.abortSignal;
    // close(): end now, also while stop() waits for the last finals.
    const onAbort = (): void => {
      interrupt();
      svc.cancel();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const offs = [
      svc.on('interimTranscription', (f) => events.interim(f)),
      svc.on('transcription', (f) => events.final(f)),
      svc.on('connected', (c) => (events.requestId = c.sessionId ?? '')),
      // Errors the service goes on after (it reconnects, or skips a bad result) are only logged.
      svc.on('error', (f) =>
        f.fatal ? fail(f.error) : log.warn?.(`${f.error.toString()} (not fatal: the service goes on)`),
      ),
    ];
    try {
      // Frames are taken while it connects: they wait in the service's backlog.
      svc.start({ sampleRate: wireRate(opts) }).catch(fail);
      const ended = await this.#pump(svc, events, interrupted, fail);
      if (signal.aborted) return;
      if (!ended) throw toAPIError(failure);
      // The input is over: a stream that fails while ending costs at most its last transcripts, a warning.
      const stopped = stopFailure(await svc.stop()) ?? failure;
      if (signal.aborted) return;
      events.end();
      if (stopped !== undefined)
        log.warn?.(`the stream did not end cleanly; its last transcripts may be missing: ${String(stopped)}`);
    } finally {
      signal.removeEventListener('abort', onAbort);
      for (const off of offs) off();
      svc.cancel();
      this.#service = undefined;
      this.#done(this);
    }
  }

  /** Frames into the service until the input ends (true) or the run is interrupted (false). */
  async #pump(
    svc: AWSTranscribeSTTService,
    events: SpeechEvents,
    interrupted: Promise<undefined>,
    fail: (e: unknown) => void,
  ): Promise<boolean> {
    const pusher = new FramePusher();
    for (;;) {
      const next = await Promise.race([this.input.next(), interrupted]);
      if (next === undefined) return false;
      if (next.done) return true;
      const frame = next.value;
      if (frame === SpeechStream.FLUSH_SENTINEL) {
        // Transcribe has no "finalize now": it closes segments on its own pauses. Usage is reported.
        events.usage();
        continue;
      }
      try {
        events.audio(pusher.push(svc, frame));
      } catch (err) {
        fail(err);
        return false;
      }
    }
  }

  #put(event: stt.SpeechEvent): void {
    if (!this.queue.closed) this.queue.put(event);
  }
}
