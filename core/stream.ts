/**
 * One Transcribe stream: one presigned WebSocket from handshake to close. It encodes AudioEvents
 * into a reused buffer, decodes what comes back, and turns every way a stream can end into either
 * a normal end or a classified `TranscribeError`. The service decides what happens next.
 */

import { encodeAudioEventInto, endOfStream } from './audio-event.js';
import { TranscribeError } from './errors.js';
import { EventStreamError, MessageDecoder } from './eventstream.js';
import { parseServerMessage } from './server-message.js';
import type { SocketCloseInfo, SocketFactory, TranscribeSocket } from './socket.js';
import type { TranscriptEvent } from './transcript.js';

export type StreamState = 'connecting' | 'open' | 'ending' | 'closed';

export interface StreamHandlers {
  open(stream: TranscribeStream): void;
  transcript(stream: TranscribeStream, event: TranscriptEvent): void;
  /** The stream is closed; `error` is undefined when it ended normally after `end()`. */
  closed(stream: TranscribeStream, error: TranscribeError | undefined, info: SocketCloseInfo): void;
}


export class TranscribeStream {
  readonly number: number;
  /** Seconds of audio sent on earlier streams, set when this stream starts taking audio: added to its result times. */
  offsetSeconds: number;
  readonly sessionId: string | undefined;
  state: StreamState = 'connecting';
  bytesSent = 0;
  openedAt = 0;
  lastAudioAt = 0;
  /** The exception the service sent, if any; it decides how the close is classified. */
  exception: TranscribeError | undefined;

  readonly #socket: TranscribeSocket;
  readonly #decoder = new MessageDecoder();
  readonly #handlers: StreamHandlers;
  readonly #now: () => number;
  readonly #describe: string;
  readonly #idleLimitMs: number;
  #endSent = false;

  constructor(init: {
    number: number;
    offsetSeconds: number;
    sessionId: string | undefined;
    url: string;
    /** Host and region for messages (never the URL: it carries the signature). */
    describe: string;
    factory: SocketFactory;
    handlers: StreamHandlers;
    now: () => number;
    /** The service's no-audio limit (AWS: 15 s): a BadRequestException after that long is an idle timeout. */
    idleLimitMs: number;
  }) {
    this.number = init.number;
    this.offsetSeconds = init.offsetSeconds;
    this.sessionId = init.sessionId;
    this.#handlers = init.handlers;
    this.#now = init.now;
    this.#describe = init.describe;
    this.#idleLimitMs = init.idleLimitMs;
    this.#socket = init.factory(init.url, {
      open: () => this.#onOpen(),
      message: (data) => this.#onMessage(data),
      close: (info) => this.#onClose(info),
    });
  }

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
    const n = encodeAudioEventInto(pcm, scratch, 0);
    if (!this.#socket.send(scratch.subarray(0, n))) return false;
    this.bytesSent += pcm.length;
    this.lastAudioAt = this.#now();
    return true;
  }

  /** Send the empty AudioEvent: the service finishes its results and closes with 1000. */
  end(): void {
    if (this.#endSent || this.state === 'closed') return;
    this.#endSent = true;
    if (this.state === 'open') this.#socket.send(endOfStream());
    this.state = 'ending';
  }

  close(code = 1000, reason = ''): void {
    if (this.state === 'closed') return;
    this.#socket.close(code, reason);
  }

  #onOpen(): void {
    if (this.state !== 'connecting') return;
    this.state = 'open';
    this.openedAt = this.lastAudioAt = this.#now();
    this.#handlers.open(this);
  }

  #onMessage(data: Uint8Array): void {
    let messages;
    try {
      messages = this.#decoder.push(data);
    } catch (err) {
      const detail = err instanceof EventStreamError ? err.code : String(err);
      this.exception = new TranscribeError('PROTOCOL', `undecodable frame from ${this.#describe} (${detail})`, {
        retryable: true,
        cause: err,
      });
      this.close(1002, 'bad frame');
      return;
    }
    for (const msg of messages) {
      const parsed = parseServerMessage(msg);
      if (parsed.kind === 'transcript') {
        this.#handlers.transcript(this, parsed.event);
      } else {
        this.exception ??= this.#classifyException(parsed.error);
        // The service closes after an exception: audio sent from now on would be lost.
        if (this.state === 'open') this.state = 'ending';
      }
    }
  }

  #classifyException(err: TranscribeError): TranscribeError {
    // Classified by our own clock, not by the message text: no audio sent for the service's limit.
    if (err.exceptionType === 'BadRequestException' && this.#now() - this.lastAudioAt >= this.#idleLimitMs * 0.95) {
      return new TranscribeError(
        'IDLE_TIMEOUT',
        `${err.message} (no audio reached the service for ${this.#idleLimitMs / 1000} s; keep-alive sends silence to prevent this)`,
        { retryable: true, exceptionType: err.exceptionType, cause: err },
      );
    }
    return err;
  }

  #onClose(info: SocketCloseInfo): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state !== 'connecting';
    this.state = 'closed';
    this.#handlers.closed(this, this.#closeError(info, wasOpen), info);
  }

  #closeError(info: SocketCloseInfo, wasOpen: boolean): TranscribeError | undefined {
    if (this.exception) return this.exception;
    if (!wasOpen) return handshakeError(info, this.#describe);
    if (this.#endSent && info.code === 1000) return undefined;
    return new TranscribeError(
      'CONNECTION_LOST',
      `the stream to ${this.#describe} closed unexpectedly (code ${info.code}${info.reason ? `: ${info.reason}` : ''})`,
      { retryable: true },
    );
  }
}

const IAM_HINT =
  'check that the credentials allow the IAM action transcribe:StartStreamTranscriptionWebSocket in this region, ' +
  'that the session token is current, and that the clock is right (presigned URLs are valid for at most 5 minutes)';

/** A refused or failed handshake, by HTTP status when the runtime could see it. */
export function handshakeError(info: SocketCloseInfo, describe: string): TranscribeError {
  const body = info.body ? ` AWS said: ${bodyMessage(info.body)}` : '';
  switch (info.status) {
    case 403:
    case 401:
      return new TranscribeError('AUTH_FAILED', `${describe} refused the signed request (HTTP ${info.status}); ${IAM_HINT}.${body}`, {
        status: info.status,
      });
    case 400:
      return new TranscribeError('BAD_REQUEST', `${describe} rejected the stream parameters (HTTP 400).${body}`, {
        status: 400,
        exceptionType: 'BadRequestException',
      });
    case 429:
      return new TranscribeError('LIMIT_EXCEEDED', `${describe} is over the concurrent-stream limit (HTTP 429); backing off.${body}`, {
        status: 429,
        retryable: true,
        exceptionType: 'LimitExceededException',
      });
    case 500:
      return new TranscribeError('INTERNAL_FAILURE', `${describe} failed internally (HTTP 500).${body}`, {
        status: 500,
        retryable: true,
        exceptionType: 'InternalFailureException',
      });
    case 503:
      return new TranscribeError('SERVICE_UNAVAILABLE', `${describe} is unavailable (HTTP 503).${body}`, {
        status: 503,
        retryable: true,
        exceptionType: 'ServiceUnavailableException',
      });
    case undefined:
      return new TranscribeError(
        'CONNECTION_FAILED',
        `could not open a WebSocket to ${describe} (close code ${info.code}); check the network, endpoint and region. ` +
          `Browsers also report a refused signature this way: ${IAM_HINT}`,
        { retryable: true },
      );
    default:
      return new TranscribeError('CONNECTION_FAILED', `${describe} refused the WebSocket upgrade (HTTP ${info.status}).${body}`, {
        status: info.status,
        retryable: info.status >= 500,
      });
  }
}

function bodyMessage(body: string): string {
  let text = body;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const m = parsed.message ?? parsed.Message;
    if (typeof m === 'string') text = m;
  } catch {
    // not JSON: keep the text
  }
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  // Signature-mismatch bodies can quote the canonical request: never pass on signatures or tokens.
  return text
    .replace(/(X-Amz-(?:Signature|Security-Token|Credential)=)[^&\s"']*/gi, '$1[redacted]')
    .replace(/\b[0-9a-f]{64}\b/gi, '[redacted]');
}
