/**
 * Faults on demand: what can go wrong with a real Transcribe stream, injected with one call.
 * Handshake faults (refuse) apply to the next upgrades; stream faults apply to the streams open now,
 * or, when none is open (or `target` says so), to the next stream(s).
 */
import { OptionError } from '../core/errors.js';

/** Which streams a stream fault hits. Default: 'current' when a stream is open, else 'next'. */
export type FaultTarget = 'current' | 'next' | 'all';

/** When a triggered fault fires: after a time (from when it reaches the stream) and/or after N more frames. */
export interface FaultTrigger {
  afterMs?: number;
  afterFrames?: number;
  target?: FaultTarget;
}

export type MidStreamException =
  | 'InternalFailureException'
  | 'ServiceUnavailableException'
  | 'LimitExceededException'
  | 'BadRequestException'
  | 'ConflictException';

export type FaultSpec =
  /** Refuse the next `times` (default 1) upgrades with this HTTP status and AWS's error body. */
  | { type: 'refuse'; status: 400 | 403 | 429 | 500 | 503; message?: string; times?: number }
  /** Drop the TCP connection without a close frame (the client sees 1006). */
  | ({ type: 'drop' } & FaultTrigger)
  /** Close the WebSocket with `code` (default 1011, internal error). */
  | ({ type: 'close'; code?: number; reason?: string } & FaultTrigger)
  /** Send an exception message mid-stream, then close (as the service does). */
  | ({ type: 'exception'; exceptionType: MidStreamException; message?: string } & FaultTrigger)
  /**
   * End the stream exactly as the emulator's idle timeout does, even while audio flows (AWS has
   * been seen to): BadRequestException with IDLE_TIMEOUT_MESSAGE, then close 1000.
   */
  | ({ type: 'idle-timeout' } & FaultTrigger)
  /** Delay every response (upgrade, events, close) by `ms`. */
  | { type: 'delay'; ms: number; target?: FaultTarget }
  /** Stop reading from the socket (TCP backpressure), for `forMs` or for good. */
  | ({ type: 'stop-reading'; forMs?: number } & FaultTrigger);

export type StreamFaultSpec = Exclude<FaultSpec, { type: 'refuse' }>;
export type RefuseFaultSpec = Extract<FaultSpec, { type: 'refuse' }>;

export interface FaultHandle {
  /** Withdraws the fault from pending upgrades, future streams and streams it has not fired on yet. */
  clear(): void;
}

/** The part of a live stream the fault book talks to. */
export interface FaultableSession {
  applyFault(fault: ActiveFault): void;
  removeFault(fault: ActiveFault): void;
}

/** A fault as the book tracks it; the same object is handed to each stream it reaches. */
export interface ActiveFault {
  readonly spec: StreamFaultSpec;
  readonly id: number;
}

const REFUSE_STATUSES = new Set([400, 403, 429, 500, 503]);
const TYPES = new Set(['refuse', 'drop', 'close', 'exception', 'idle-timeout', 'delay', 'stop-reading']);
const EXCEPTIONS = new Set([
  'InternalFailureException',
  'ServiceUnavailableException',
  'LimitExceededException',
  'BadRequestException',
  'ConflictException',
]);

function nonNegative(value: unknown, field: string, integer: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new OptionError(
      `fault.${field}`,
      `must be a finite ${integer ? 'integer' : 'number'} >= 0, got ${String(value)}`,
    );
  }
}

/** Throws an OptionError naming the bad field; a fault that cannot fire is a test bug. */
export function validateFault(spec: FaultSpec): void {
  if (spec === null || typeof spec !== 'object' || !TYPES.has((spec as { type?: unknown }).type as string)) {
    throw new OptionError('fault.type', `must be one of ${[...TYPES].join(', ')}`);
  }
  switch (spec.type) {
    case 'refuse':
      if (!REFUSE_STATUSES.has(spec.status)) {
        throw new OptionError(
          'fault.status',
          `must be one of ${[...REFUSE_STATUSES].join(', ')}, got ${String(spec.status)}`,
        );
      }
      if (spec.times !== undefined && spec.times !== Infinity) nonNegative(spec.times, 'times', true);
      return;
    case 'delay':
      if (typeof spec.ms !== 'number')
        throw new OptionError('fault.ms', 'is required (milliseconds to delay every response)');
      nonNegative(spec.ms, 'ms', false);
      break;
    case 'close':
      if (
        spec.code !== undefined &&
        (!Number.isInteger(spec.code) ||
          spec.code < 1000 ||
          spec.code > 4999 ||
          spec.code === 1005 ||
          spec.code === 1006)
      ) {
        throw new OptionError(
          'fault.code',
          `must be a WebSocket close code a server may send (1000..4999, not 1005/1006), got ${String(spec.code)}`,
        );
      }
      break;
    case 'exception':
      if (!EXCEPTIONS.has(spec.exceptionType)) {
        throw new OptionError(
          'fault.exceptionType',
          `must be one of ${[...EXCEPTIONS].join(', ')}, got ${String(spec.exceptionType)}`,
        );
      }
      break;
    case 'stop-reading':
      nonNegative(spec.forMs, 'forMs', false);
      break;
    default:
      break;
  }
  if (spec.type !== 'delay') {
    nonNegative(spec.afterMs, 'afterMs', false);
    nonNegative(spec.afterFrames, 'afterFrames', true);
  }
  if (spec.target !== undefined && spec.target !== 'current' && spec.target !== 'next' && spec.target !== 'all') {
    throw new OptionError('fault.target', `must be 'current', 'next' or 'all', got ${String(spec.target)}`);
  }
}

/** Pending faults of one emulator. */
export class FaultBook {
  private readonly refusals: { spec: RefuseFaultSpec; remaining: number }[] = [];
  /** Faults waiting for streams that have not started: `once` ones reach exactly one. */
  private readonly future: { fault: ActiveFault; once: boolean }[] = [];
  private readonly reached = new Map<ActiveFault, Set<FaultableSession>>();
  private nextId = 1;

  add(spec: FaultSpec, open: readonly FaultableSession[]): FaultHandle {
    validateFault(spec);
    if (spec.type === 'refuse') {
      const entry = { spec, remaining: spec.times ?? 1 };
      this.refusals.push(entry);
      return { clear: () => remove(this.refusals, entry) };
    }
    const fault: ActiveFault = { spec, id: this.nextId++ };
    const target = spec.target ?? (open.length > 0 ? 'current' : 'next');
    const hit = new Set<FaultableSession>();
    this.reached.set(fault, hit);
    if (target === 'current' || target === 'all') {
      for (const s of open) {
        hit.add(s);
        s.applyFault(fault);
      }
    }
    let futureEntry: { fault: ActiveFault; once: boolean } | undefined;
    if (target === 'next' || target === 'all') {
      futureEntry = { fault, once: target === 'next' };
      this.future.push(futureEntry);
    }
    return {
      clear: () => {
        if (futureEntry) remove(this.future, futureEntry);
        for (const s of hit) s.removeFault(fault);
        this.reached.delete(fault);
      },
    };
  }

  /** The refusal for the next upgrade, if any (consumes one of its `times`). */
  takeRefusal(): RefuseFaultSpec | undefined {
    const entry = this.refusals[0];
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.refusals.shift();
    return entry.spec;
  }

  /** Extra delay for the next upgrade's response (delay faults waiting for future streams). */
  upgradeDelayMs(): number {
    let ms = 0;
    for (const { fault } of this.future) if (fault.spec.type === 'delay') ms = Math.max(ms, fault.spec.ms);
    return ms;
  }

  /** Hands the faults waiting for future streams to a stream that just started. */
  attach(session: FaultableSession): void {
    for (let i = 0; i < this.future.length; ) {
      const entry = this.future[i]!;
      this.reached.get(entry.fault)?.add(session);
      session.applyFault(entry.fault);
      if (entry.once) this.future.splice(i, 1);
      else i++;
    }
  }

  /** Forgets a stream that ended. */
  detach(session: FaultableSession): void {
    for (const [fault, sessions] of this.reached) {
      sessions.delete(session);
      if (sessions.size === 0 && !this.future.some((e) => e.fault === fault)) this.reached.delete(fault);
    }
  }

  clear(): void {
    this.refusals.length = 0;
    this.future.length = 0;
    for (const [fault, sessions] of this.reached) for (const s of sessions) s.removeFault(fault);
    this.reached.clear();
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
