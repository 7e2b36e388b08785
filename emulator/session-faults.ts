/**
 * The faults armed on one live stream: when each fires (at once, after a time, after N frames)
 * and what it does to the stream, through the small FaultHost interface the stream implements.
 */
import type { ActiveFault } from './faults.js';

/** What a fault may do to a stream. */
export interface FaultHost {
  readonly open: boolean;
  setDelay(ms: number): void;
  drop(): void;
  closeWith(code: number, reason: string): void;
  fail(exceptionType: string, message: string): void;
  idleTimeout(): void;
  /** Stop reading the socket (TCP backpressure) and the idle clock with it. */
  pauseReading(): void;
  resumeReading(): void;
}

interface Armed {
  fault: ActiveFault;
  timer: ReturnType<typeof setTimeout> | undefined;
  framesLeft: number | undefined;
}

export class StreamFaults {
  private readonly host: FaultHost;
  private readonly armed: Armed[] = [];
  private stalled = false;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: FaultHost) {
    this.host = host;
  }

  apply(fault: ActiveFault): void {
    if (!this.host.open) return;
    const spec = fault.spec;
    if (spec.type === 'delay') {
      this.armed.push({ fault, timer: undefined, framesLeft: undefined });
      this.host.setDelay(this.delayMs());
      return;
    }
    const armed: Armed = { fault, timer: undefined, framesLeft: spec.afterFrames };
    this.armed.push(armed);
    if (spec.afterMs !== undefined) armed.timer = setTimeout(() => this.fire(armed), spec.afterMs);
    else if (spec.afterFrames === undefined) this.fire(armed);
  }

  remove(fault: ActiveFault): void {
    for (let i = this.armed.length - 1; i >= 0; i--) {
      const a = this.armed[i]!;
      if (a.fault !== fault) continue;
      clearTimeout(a.timer);
      this.armed.splice(i, 1);
    }
    if (fault.spec.type === 'delay') this.host.setDelay(this.delayMs());
    if (fault.spec.type === 'stop-reading' && this.stalled) this.resume();
  }

  /** One more frame was read. */
  countFrame(): void {
    for (const a of this.armed.slice()) {
      if (a.framesLeft === undefined) continue;
      a.framesLeft--;
      // With both triggers set, whichever comes first fires.
      if (a.framesLeft <= 0) this.fire(a);
    }
  }

  /** The stream closed: nothing armed may fire or hold it any more. */
  dispose(): void {
    for (const a of this.armed) clearTimeout(a.timer);
    this.armed.length = 0;
    clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.stalled = false;
  }

  private delayMs(): number {
    let ms = 0;
    for (const a of this.armed) if (a.fault.spec.type === 'delay') ms = Math.max(ms, a.fault.spec.ms);
    return ms;
  }

  private fire(a: Armed): void {
    const i = this.armed.indexOf(a);
    if (i < 0 || !this.host.open) return;
    clearTimeout(a.timer);
    const spec = a.fault.spec;
    if (spec.type !== 'stop-reading') this.armed.splice(i, 1);
    switch (spec.type) {
      case 'drop':
        this.host.drop();
        break;
      case 'close':
        this.host.closeWith(spec.code ?? 1011, spec.reason ?? '');
        break;
      case 'exception':
        this.host.fail(spec.exceptionType, spec.message ?? defaultMessage(spec.exceptionType));
        break;
      case 'idle-timeout':
        this.host.idleTimeout();
        break;
      case 'stop-reading':
        a.framesLeft = undefined;
        this.stall(spec.forMs);
        break;
      default:
        break;
    }
  }

  private stall(forMs: number | undefined): void {
    this.stalled = true;
    this.host.pauseReading();
    if (forMs !== undefined) this.resumeTimer = setTimeout(() => this.resume(), forMs);
  }

  private resume(): void {
    if (!this.stalled) return;
    this.stalled = false;
    clearTimeout(this.resumeTimer);
    for (let i = this.armed.length - 1; i >= 0; i--)
      if (this.armed[i]!.fault.spec.type === 'stop-reading') this.armed.splice(i, 1);
    if (this.host.open) this.host.resumeReading();
  }
}

function defaultMessage(exceptionType: string): string {
  switch (exceptionType) {
    case 'InternalFailureException':
      return 'An internal error occurred while processing the audio. Try your request again.';
    case 'ServiceUnavailableException':
      return 'The service is currently unavailable. Try your request again later.';
    case 'LimitExceededException':
      return (
        'You have exceeded the maximum number of concurrent transcription streams. Wait, then try your request ' +
        'again.'
      );
    case 'ConflictException':
      return 'A new stream started with the same session ID. The current stream has been terminated.';
    default:
      return 'The request was not valid. Check the request and try again.';
  }
}
