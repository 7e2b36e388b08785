/**
 * One Transcribe stream: one presigned WebSocket from handshake to close. It encodes AudioEvents
 * into a reused buffer, decodes what comes back, and turns every way a stream can end into either
 * a normal end or a classified `TranscribeError`. The router decides what happens next.
 *
 * Everything that arrives from outside (socket events, the connect timer) goes through a guard:
 * whatever goes wrong while handling it ends this stream with a typed error, never the process.
 */

import { encodeAudioEventInto, endOfStream } from '../../transcribe/audio-event.js';
import { TranscribeError } from '../../errors.js';
import { EventStreamError, MessageDecoder } from '../../eventstream/index.js';
import type { Message } from '../../eventstream/index.js';
import { handshakeError, lostError } from './handshake-error.js';
import { parseServerMessage } from '../../transcribe/server-message.js';
import { DIAGNOSIS_MS } from './socket.js';
import type { SocketCloseInfo, SocketFactory, TranscribeSocket } from './socket.js';
import type { TranscriptEvent } from '../../transcribe/transcript.js';

export type StreamState = 'connecting' | 'open' | 'ending' | 'closed';

/** AWS's idle-timeout message: "Your request timed out because no new audio was received for 15 seconds." */
const IDLE_TEXT = /no new audio was received/i;

export interface StreamHandlers {
  open(stream: TranscribeStream): void;
  transcript(stream: TranscribeStream, event: TranscriptEvent): void;
  /** Something the server sent could not be used; the stream goes on. Called once per stream at most. */
  problem(stream: TranscribeStream, error: TranscribeError): void;
  /** The stream is closed; `error` is undefined when it ended normally after `end()`. */
  closed(stream: TranscribeStream, error: TranscribeError | undefined, info: SocketCloseInfo): void;
}

export interface StreamSetup {
  number: number;
  sessionId: string | undefined;
  url: string;
  /** Host and region for messages (never the URL: it carries the signature). */
  where: string;
  factory: SocketFactory;
  handlers: StreamHandlers;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  /** The service's no-audio limit (AWS: 15 s); a BadRequestException after that long is an idle timeout. */
  idleMs: number;
  /** How long the handshake may take. */
  connectTimeoutMs: number;
  /** Redaction and sanitising of any text that came from the server. */
  clean: (text: string) => string;
}

export class TranscribeStream {
  readonly number: number;
  readonly sessionId: string | undefined;
  /** Seconds of audio sent on earlier streams, set when this stream starts taking audio: added to its result times. */
  offset = 0;
  state: StreamState = 'connecting';
  openedAt = 0;
  /** It ended with AWS's idle-timeout exception although audio was being sent. */
  unexplainedIdle = false;

  readonly #setup: StreamSetup;
  readonly #socket: TranscribeSocket;
  readonly #decoder = new MessageDecoder();
  #connectTimer: unknown;
  #lastAudioAt = 0;
  #endSent = false;
  #problemReported = false;

  constructor(setup: StreamSetup) {
    this.#setup = setup;
    this.number = setup.number;
    this.sessionId = setup.sessionId;
    this.#connectTimer = setup.setTimer(() => this.#guard(() => this.#connectTimedOut()), setup.connectTimeoutMs);
    this.#socket = setup.factory(setup.url, {
      open: () => this.#guard(() => this.#opened()),
      message: (data) => this.#guard(() => this.#onMessage(data)),
      close: (info) => this.#guard(() => this.#onClose(info)),
      diagnosing: (info) => this.#guard(() => this.#diagnosing(info)),
    });
  }

  /** Bytes the socket has queued but not yet written to the network. */
  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  /**
   * Encode `pcm` as an AudioEvent into `scratch` (large enough) and send it. False when the stream
   * no longer takes audio (ending, failed, or its socket is closing): the caller keeps the audio.
   */
  sendAudio(pcm: Uint8Array, scratch: Uint8Array): boolean {
    if (this.state !== 'open') return false;
    if (pcm.length === 0) return true;
    if (!this.#socket.send(scratch.subarray(0, encodeAudioEventInto(pcm, scratch, 0)))) return false;
    this.#lastAudioAt = this.#setup.now();
    return true;
  }

  /** Send the empty AudioEvent: the service finishes its results and closes with 1000. */
  end(): void {
    if (this.#endSent || this.state === 'closed') return;
    this.#endSent = true;
    if (this.state === 'open') this.#socket.send(endOfStream());
    this.state = 'ending';
  }

  /** Close the socket; its close event ends the stream as usual. */
  close(reason: string): void {
    if (this.state !== 'closed') this.#socket.close(1000, reason);
  }

  /**
   * End the stream now with `error`, then close the socket without waiting for the server. In
   * that order: a runtime may deliver the socket's close event inside `close()`, and by then the
   * stream is closed already, so that event cannot be taken for a failed handshake.
   */
  fail(error: TranscribeError, reason: string): void {
    if (this.state === 'closed') return;
    try {
      this.#finish(error, { code: 1000, reason, opened: this.state !== 'connecting' });
    } finally {
      // Closed even if a handler of the end threw: a socket is never left open behind a closed stream.
      this.#socket.close(1000, reason);
    }
  }

  #opened(): void {
    if (this.state !== 'connecting') return;
    this.#setup.clearTimer(this.#connectTimer);
    this.state = 'open';
    this.openedAt = this.#lastAudioAt = this.#setup.now();
    this.#setup.handlers.open(this);
  }

  #connectTimedOut(): void {
    if (this.state !== 'connecting') return;
    const s = this.#setup;
    const error = new TranscribeError(
      'CONNECT_TIMEOUT',
      `${s.where} did not complete the WebSocket handshake within connectTimeoutMs (${s.connectTimeoutMs} ms): check ` +
        `the network, ` +
        'the endpoint and any proxy in between; retrying',
      { retryable: true },
    );
    this.fail(error, 'connect timeout');
  }

  /**
   * The handshake was refused and the socket is asking why. That is no timeout any more: the connect
   * timer gives way to a bound on the diagnosis, past which the failure is reported without a status.
   */
  #diagnosing(info: SocketCloseInfo): void {
    if (this.state !== 'connecting') return;
    const s = this.#setup;
    s.clearTimer(this.#connectTimer);
    // Then it ends as if the socket had closed without a diagnosis (a diagnosis that answers later finds it closed).
    this.#connectTimer = s.setTimer(() => this.#guard(() => this.#onClose(info)), DIAGNOSIS_MS);
  }

  #onMessage(data: Uint8Array): void {
    if (this.state === 'closed') return;
    let messages: Message[];
    try {
      messages = this.#decoder.push(data);
    } catch (err) {
      const detail = err instanceof EventStreamError ? err.code : 'unreadable bytes';
      const error = new TranscribeError(
        'PROTOCOL',
        `${this.#setup.where} sent a frame that is not an event-stream message (${detail}); reconnecting`,
        {
          retryable: true,
        },
      );
      return this.fail(error, 'bad frame');
    }
    const handlers = this.#setup.handlers;
    for (const msg of messages) {
      // A handler may have ended the stream.
      if (this.#isClosed()) return;
      const parsed = parseServerMessage(msg, this.#setup.clean);
      if (parsed.kind === 'error') return this.fail(this.#classify(parsed.error), 'exception');
      // Events of other types (AWS adds some over time, e.g. for call analytics) carry nothing for us.
      if (parsed.kind === 'other') continue;
      if (parsed.kind === 'invalid') this.#problem(parsed.error);
      else {
        if (parsed.invalid) this.#problem(parsed.invalid);
        if (parsed.event.Transcript.Results.length > 0) handlers.transcript(this, parsed.event);
      }
    }
  }

  /**
   * A BadRequestException is an idle timeout when our own clock agrees: no audio sent for the
   * service's limit. When only the service says so (AWS's text, while audio was being sent), it is
   * still treated as one, so the call is not lost, but marked `unexplainedIdle`: the router retries
   * that once, since a second one means audio is not reaching the service.
   */
  #classify(err: TranscribeError): TranscribeError {
    if (err.exceptionType !== 'BadRequestException') return err;
    const idleMs = this.#setup.idleMs;
    const quietMs = this.#setup.now() - this.#lastAudioAt;
    const init = { retryable: true, exceptionType: err.exceptionType } as const;
    if (quietMs >= idleMs * 0.95) {
      return new TranscribeError(
        'IDLE_TIMEOUT',
        `${err.message} (no audio reached the service for ${idleMs / 1000} s; keep-alive sends silence to ` +
          `prevent this)`,
        init,
      );
    }
    if (!IDLE_TEXT.test(err.message)) return err;
    this.unexplainedIdle = true;
    return new TranscribeError(
      'IDLE_TIMEOUT',
      `${err.message} (audio was sent ${Math.round(quietMs)} ms before: reconnecting once; if it happens again, ` +
        `audio is not reaching the service)`,
      init,
    );
  }

  #isClosed(): boolean {
    return this.state === 'closed';
  }

  #problem(error: TranscribeError): void {
    if (this.#problemReported) return;
    this.#problemReported = true;
    this.#setup.handlers.problem(this, error);
  }

  #onClose(raw: SocketCloseInfo): void {
    if (this.state === 'closed') return;
    const clean = this.#setup.clean;
    const info: SocketCloseInfo = { ...raw, reason: raw.reason ? clean(raw.reason) : '' };
    const wasOpen = this.state !== 'connecting';
    let error: TranscribeError | undefined;
    if (!wasOpen) error = handshakeError(info, this.#setup.where, clean);
    else if (!(this.#endSent && info.code === 1000))
      error = lostError(`the stream to ${this.#setup.where} closed unexpectedly`, info);
    this.#finish(error, info);
  }

  #finish(error: TranscribeError | undefined, info: SocketCloseInfo): void {
    this.state = 'closed';
    this.#setup.clearTimer(this.#connectTimer);
    this.#decoder.reset();
    this.#setup.handlers.closed(this, error, info);
  }

  /**
   * Run a handler of something that came from outside. A throw here is a bug of ours; it ends this
   * stream with a typed, retryable error instead of reaching the runtime's event loop.
   */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.state === 'closed') return;
      const what = err instanceof Error ? err.name : typeof err;
      try {
        this.fail(
          new TranscribeError(
            'INTERNAL',
            `internal error while handling the stream to ${this.#setup.where} (${what}; please report it); ` +
              `reconnecting`,
            {
              retryable: true,
              cause: err,
            },
          ),
          'internal error',
        );
      } catch {
        // the router's own handlers failed too: the stream is closed, nothing more can be done here
      }
    }
  }
}
