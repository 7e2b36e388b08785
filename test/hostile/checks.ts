// The runner's assertions over one scenario's outcome. Failures are collected (not thrown at the
// first) so a failing scenario lists everything that went wrong in one go.
import type { ErrInfo, Report } from './report.ts';
import { leakKinds } from './secrets.ts';
import type { Secret } from './secrets.ts';

export interface Outcome {
  report: Report | undefined;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  secrets: Secret[];
  ms: number;
}

export interface FrameExpectation {
  fatal?: boolean;
  retryable?: boolean;
  /** Exactly this many frames with the code (default: at least one). */
  count?: number;
}

export class Checks {
  readonly failures: string[] = [];
  readonly o: Outcome;
  readonly r: Report;

  constructor(o: Outcome, r: Report) {
    this.o = o;
    this.r = r;
  }

  ok(cond: unknown, message: string): boolean {
    if (!cond) this.failures.push(message);
    return !!cond;
  }

  /** Every error frame the application got, from listeners and from frames(). */
  get frames(): ErrInfo[] {
    return [...this.r.errors, ...this.r.frameErrors];
  }

  #listFrames(): string {
    const all = this.frames;
    return all.length ? all.map((e) => `${e.code}${e.fatal ? '(fatal)' : ''}`).join(', ') : 'none';
  }

  /** An error frame with `code` (per source that listens: events and/or frames()). */
  errorFrame(code: string, x: FrameExpectation = {}): void {
    for (const [source, list] of [
      ['on(error)', this.r.errors],
      ['frames()', this.r.frameErrors],
    ] as const) {
      if (list === this.r.errors && !this.#listens('events')) continue;
      if (list === this.r.frameErrors && !this.#listens('frames')) continue;
      const hits = list.filter(
        (e) =>
          e.code === code &&
          (x.fatal === undefined || e.fatal === x.fatal) &&
          (x.retryable === undefined || e.retryable === x.retryable),
      );
      const fatal = x.fatal !== undefined ? ` fatal=${x.fatal}` : '';
      const want = `${code}${fatal}${x.retryable !== undefined ? ` retryable=${x.retryable}` : ''}`;
      if (x.count !== undefined)
        this.ok(
          hits.length === x.count,
          `${source}: expected exactly ${x.count} error frame(s) ${want}, got ${hits.length} (frames: ` +
            `${this.#listFrames()})`,
        );
      else this.ok(hits.length > 0, `${source}: expected an error frame ${want} (frames: ${this.#listFrames()})`);
    }
  }

  #listens(kind: 'events' | 'frames'): boolean {
    const l = this.r.facts.listen;
    return l === undefined || l === kind || l === 'both';
  }

  noErrorFrames(): void {
    this.ok(this.frames.length === 0, `expected no error frame, got: ${this.#listFrames()}`);
  }

  noFatalFrame(): void {
    this.ok(!this.frames.some((e) => e.fatal), `expected no fatal error frame, got: ${this.#listFrames()}`);
  }

  startResolved(boundMs: number): void {
    const s = this.r.start;
    if (!this.ok(s, 'start() was never called')) return;
    this.ok(
      s!.state === 'resolved',
      `start() should resolve, it is ` +
        `${s!.state}${s!.error ? ` (${s!.error.code}: ${s!.error.message.slice(0, 160)})` : ''}`,
    );
    this.ok(s!.ms <= boundMs, `start() took ${s!.ms} ms (bound ${boundMs} ms)`);
  }

  startRejected(code: string, boundMs: number): void {
    const s = this.r.start;
    if (!this.ok(s, 'start() was never called')) return;
    const got = s!.state === 'rejected' ? `rejected with ${s!.error?.code}` : `${s!.state} after ${s!.ms} ms`;
    this.ok(
      s!.state === 'rejected' && s!.error?.code === code && s!.error.isTranscribeError,
      `start() should reject with TranscribeError ${code}, it ${got}`,
    );
    this.ok(s!.ms <= boundMs, `start() took ${s!.ms} ms to settle (bound ${boundMs} ms)`);
  }

  startSettled(boundMs: number): void {
    const s = this.r.start;
    if (!this.ok(s, 'start() was never called')) return;
    this.ok(
      s!.state !== 'pending' && s!.ms <= boundMs,
      `start() should settle within ${boundMs} ms, it is ${s!.state} after ${s!.ms} ms`,
    );
  }

  /** stop() settled in time with a StopResult; with `complete`, also what it says. */
  stopResult(boundMs: number, complete?: boolean, code?: string): void {
    const s = this.r.stop;
    if (!this.ok(s, 'stop() was never called')) return;
    this.ok(
      s!.state === 'resolved',
      `stop() should resolve (never reject), it is ${s!.state}${s!.error ? ` (${s!.error.code})` : ''}`,
    );
    this.ok(s!.ms <= boundMs, `stop() took ${s!.ms} ms (bound ${boundMs} ms)`);
    if (s!.state !== 'resolved') return;
    const v = s!.value as { type: string; complete: unknown; error: ErrInfo | null | undefined } | undefined;
    const isResult = v?.type === 'object' && typeof v.complete === 'boolean';
    if (!this.ok(isResult, `stop() should resolve with a StopResult { complete, error }, got ${v?.type ?? 'nothing'}`))
      return;
    if (complete === undefined) return;
    this.ok(v!.complete === complete, `StopResult.complete should be ${complete}, got ${String(v!.complete)}`);
    if (complete) this.ok(v!.error === undefined, `a complete stop carries no error, got ${v!.error?.code}`);
    else if (code)
      this.ok(
        v!.error?.code === code && v!.error.isTranscribeError,
        `StopResult.error should be TranscribeError ${code}, got ${v!.error?.code ?? 'none'}`,
      );
  }

  /** A call that must have thrown a TranscribeError with `code` (and `option`, for OptionError). */
  threw(call: string, code: string, option?: string): void {
    const t = this.r.thrown.find((x) => x.call === call);
    const got = t ? `${t.name} code=${t.code ?? 'none'}${t.option ? ` option=${t.option}` : ''}` : 'nothing';
    this.ok(
      t?.isTranscribeError && t.code === code && (option === undefined || t.option === option),
      `${call} should throw TranscribeError ${code}${option ? ` (option ${option})` : ''}, threw ${got}`,
    );
  }

  /** Messages capped and free of control characters (ANSI escapes, CR/LF, NUL). */
  sanitised(maxLength: number): void {
    for (const e of [...this.frames, ...(this.r.start?.error ? [this.r.start.error] : [])]) {
      this.ok(
        e.messageLength <= maxLength,
        `${e.code} message is ${e.messageLength} characters (cap about ${maxLength})`,
      );
      this.ok(e.controlChars === 0, `${e.code} message carries ${e.controlChars} control character(s)`);
    }
    this.ok(!/\u001b/.test(this.o.stderr), 'stderr carries a raw ESC (ANSI escape from the server)');
  }

  fact<T>(name: string): T | undefined {
    return this.r.facts[name] as T | undefined;
  }

  /** What every scenario must show: survived, no crash handler fired, no secret anywhere. */
  common(): void {
    const o = this.o;
    const r = this.r;
    this.ok(o.exitCode === 0 && !o.signal, `the child exited with ${o.signal ?? o.exitCode}`);
    this.ok(!r.watchdog, 'the scenario hit its deadline (something never settled)');
    this.ok(!r.harnessError, `the scenario threw: ${r.harnessError?.split('\n')[0]}`);
    this.ok(!r.uncaught.length, `uncaught exception(s): ${r.uncaught.map((u) => u.split('\n')[0]).join(' | ')}`);
    this.ok(!r.unhandled.length, `unhandled rejection(s): ${r.unhandled.map((u) => u.split('\n')[0]).join(' | ')}`);
    const leaks = [...new Set(r.leaks.map((l) => `${l.where}: ${l.kind}`))];
    this.ok(
      !leaks.length,
      `secret(s) in what the library handed out: ` +
        `${leaks.slice(0, 8).join('; ')}${leaks.length > 8 ? ` (+${leaks.length - 8})` : ''}`,
    );
    const out = leakKinds(o.stdout, o.secrets);
    const err = leakKinds(o.stderr, o.secrets);
    this.ok(!out.length, `secret(s) on the child's stdout: ${out.join(', ')}`);
    this.ok(!err.length, `secret(s) on the child's stderr: ${err.join(', ')}`);
    for (const e of this.frames)
      this.ok(
        e.isTranscribeError && typeof e.code === 'string',
        `an error frame carries a ${e.name} without a TranscribeError code`,
      );
  }
}
