/**
 * One Transcribe stream: one presigned WebSocket from handshake to close. It encodes AudioEvents
 * into a reused buffer, decodes what comes back, and turns every way a stream can end into either
 * a normal end or a classified `TranscribeError`. The service decides what happens next.
 */

import { encodeAudioEventInto, endOfStream } from './audio-event.js';
import { TranscribeError } from './errors.js';
import type { TranscribeErrorCode, TranscribeExceptionType } from './errors.js';
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
  readonly sessionId: string | undefined;
  /** Seconds of audio sent on earlier streams, set when this stream starts taking audio: added to its result times. */
  offset = 0;
  state: StreamState = 'connecting';
  openedAt = 0;

  /** The exception the service sent, if any; it decides how the close is classified. */
  #exception: TranscribeError | undefined;
  readonly #socket: TranscribeSocket;
  readonly #decoder = new MessageDecoder();
  readonly #handlers: StreamHandlers;
  readonly #now: () => number;
  readonly #where: string;
  readonly #idleMs: number;
  #lastAudioAt = 0;
  #endSent = false;

  /**
   * `where`: host and region for messages (never the URL: it carries the signature). `idleMs`: the
   * service's no-audio limit (AWS: 15 s); a BadRequestException after that long is an idle timeout.
   */
  constructor(
    number: number,
    sessionId: string | undefined,
    url: string,
    where: string,
    factory: SocketFactory,
    handlers: StreamHandlers,
    now: () => number,
    idleMs: number,
  ) {
    this.number = number;
    this.sessionId = sessionId;
    this.#handlers = handlers;
    this.#now = now;
    this.#where = where;
    this.#idleMs = idleMs;
    this.#socket = factory(url, {
      open: () => {
        if (this.state !== 'connecting') return;
        this.state = 'open';
        this.openedAt = this.#lastAudioAt = now();
        handlers.open(this);
      },
      message: (data) => this.#onMessage(data),
      close: (info) => {
        if (this.state === 'closed') return;
        const wasOpen = this.state !== 'connecting';
        this.state = 'closed';
        handlers.closed(this, this.#closeError(info, wasOpen), info);
      },
    });
  }

  /**
   * Encode `pcm` as an AudioEvent into `scratch` (large enough) and send it. False when the stream
   * no longer takes audio (ending, failed, or its socket is closing): the caller keeps the audio.
   */
  sendAudio(pcm: Uint8Array, scratch: Uint8Array): boolean {
    if (this.state !== 'open') return false;
    if (pcm.length === 0) return true;
    if (!this.#socket.send(scratch.subarray(0, encodeAudioEventInto(pcm, scratch, 0)))) return false;
    this.#lastAudioAt = this.#now();
    return true;
  }

  /** Send the empty AudioEvent: the service finishes its results and closes with 1000. */
  end(): void {
    if (this.#endSent || this.state === 'closed') return;
    this.#endSent = true;
    if (this.state === 'open') this.#socket.send(endOfStream());
    this.state = 'ending';
  }

  close(reason: string, code = 1000): void {
    if (this.state !== 'closed') this.#socket.close(code, reason);
  }

  #onMessage(data: Uint8Array): void {
    let messages;
    try {
      messages = this.#decoder.push(data);
    } catch (err) {
      const detail = err instanceof EventStreamError ? err.code : String(err);
      this.#exception = new TranscribeError('PROTOCOL', `undecodable frame from ${this.#where} (${detail})`, { retryable: true, cause: err });
      this.close('bad frame', 1002);
      return;
    }
    for (const msg of messages) {
      const parsed = parseServerMessage(msg);
      if (parsed.kind === 'transcript') {
        this.#handlers.transcript(this, parsed.event);
      } else {
        let err = parsed.error;
        // Classified by our own clock, not by the message text: no audio sent for the service's limit.
        if (err.exceptionType === 'BadRequestException' && this.#now() - this.#lastAudioAt >= this.#idleMs * 0.95) {
          err = new TranscribeError('IDLE_TIMEOUT', `${err.message} (no audio reached the service for ${this.#idleMs / 1000} s; keep-alive sends silence to prevent this)`, {
            retryable: true,
            exceptionType: err.exceptionType,
            cause: err,
          });
        }
        this.#exception ??= err;
        // The service closes after an exception: audio sent from now on would be lost.
        if (this.state === 'open') this.state = 'ending';
      }
    }
  }

  #closeError(info: SocketCloseInfo, wasOpen: boolean): TranscribeError | undefined {
    if (this.#exception) return this.#exception;
    if (!wasOpen) return handshakeError(info, this.#where);
    if (this.#endSent && info.code === 1000) return undefined;
    return lostError(`the stream to ${this.#where} closed unexpectedly`, info);
  }
}

/** A stream that ended without an exception or an end we asked for: always worth a retry. */
export function lostError(what: string, info: SocketCloseInfo): TranscribeError {
  return new TranscribeError('CONNECTION_LOST', `${what} (code ${info.code}${info.reason ? `: ${info.reason}` : ''})`, { retryable: true });
}

const IAM_HINT =
  'check that the credentials allow transcribe:StartStreamTranscriptionWebSocket in this region, the session token is current ' +
  'and the clock is right (presigned URLs live 5 minutes)';

/** Handshake statuses with their own code: [code, what happened, AWS exception name]. */
const REFUSED: Record<number, [TranscribeErrorCode, string, TranscribeExceptionType?]> = {
  400: ['BAD_REQUEST', 'rejected the stream parameters', 'BadRequestException'],
  403: ['AUTH_FAILED', 'refused the signed request'],
  429: ['LIMIT_EXCEEDED', 'is over the concurrent-stream limit; backing off', 'LimitExceededException'],
  500: ['INTERNAL_FAILURE', 'failed internally', 'InternalFailureException'],
  503: ['SERVICE_UNAVAILABLE', 'is unavailable', 'ServiceUnavailableException'],
};

/** A refused or failed handshake, by HTTP status when the runtime could see it. */
export function handshakeError(info: SocketCloseInfo, where: string): TranscribeError {
  const status = info.status;
  if (status === undefined) {
    return new TranscribeError(
      'CONNECTION_FAILED',
      `could not open a WebSocket to ${where} (close code ${info.code}): check the network, endpoint and region; ` +
        `browsers report a refused signature this way too: ${IAM_HINT}`,
      { retryable: true },
    );
  }
  const [code, what, exceptionType] = REFUSED[status === 401 ? 403 : status] ?? ['CONNECTION_FAILED', 'refused the WebSocket upgrade'];
  const auth = code === 'AUTH_FAILED' ? `; ${IAM_HINT}` : '';
  const body = info.body ? ` AWS said: ${bodyMessage(info.body)}` : '';
  return new TranscribeError(code, `${where} ${what} (HTTP ${status})${auth}.${body}`, {
    status,
    retryable: status === 429 || status >= 500,
    ...(exceptionType ? { exceptionType } : {}),
  });
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
  return text.replace(/(X-Amz-(?:Signature|Security-Token|Credential)=)[^&\s"']*/gi, '$1[redacted]').replace(/\b[0-9a-f]{64}\b/gi, '[redacted]');
}
