// The child side of the hostile-server suite: one scenario per process. It records everything the
// application could see (error frames from listeners and from frames(), thrown and rejected errors,
// log lines, how start()/stop() settled, crashes caught by process handlers), finds secrets in it,
// and prints one JSON line. The secrets themselves go to fd 3 (when the runner opened it), so the
// runner can search the child's stdout and stderr too without a secret ever reaching stdout.
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { AWSTranscribeSTTService, TranscribeError } from '../../dist/adapters/node.js';
import type { AWSTranscribeSTTServiceOptions, Frame, Logger } from '../../dist/adapters/node.js';
import type { ErrInfo, Report, Settled, StopShape } from './report.ts';
import { KEYS, keySecrets, leakKinds, scrub, secretForms } from './secrets.ts';
import type { Secret } from './secrets.ts';
import { startServer, startSilentServer } from './server.ts';
import type { Behaviour, HostileServer, ServerContext } from './server.ts';

/** The options of the contract that today's type may not have yet (kept assignable either way). */
export type HostileOptions = AWSTranscribeSTTServiceOptions & {
  connectTimeoutMs?: number;
  credentialsTimeoutMs?: number;
};

export interface ServiceHow {
  /** Who hears errors: listeners, a frames() iterator, both, or nobody (the default logger's case). */
  listen?: 'events' | 'frames' | 'both' | 'none';
  /** A capturing logger, or none given (the library's default logs to the console: stderr). */
  logger?: 'capture' | 'default';
}

export interface Scenario {
  name: string;
  /** The child reports and exits after this long whatever happens (default 15 s, as the runner expects). */
  deadlineMs?: number;
  run(h: Harness, args: string[]): Promise<void>;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

let current: Harness | undefined;
const orphanCrashes: string[] = [];
process.on('uncaughtException', (err) => (current ? current.crash('uncaught', err) : orphanCrashes.push(String(err))));
process.on('unhandledRejection', (err) =>
  current ? current.crash('unhandled', err) : orphanCrashes.push(String(err)),
);

/**
 * At most `n` characters, as a new string: a plain slice of a huge server message or partial
 * would keep the whole of it alive (V8 sliced strings), and the memory checks would blame the
 * library for what the harness holds.
 */
function cut(s: string, n: number): string {
  return s.length > n ? Buffer.from(`${s.slice(0, n)}…`).toString() : s;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Harness {
  readonly name: string;
  readonly t0: number = performance.now();
  readonly report: Report;
  #secrets: Secret[] = keySecrets();
  readonly #seen = new Set<string>();
  /** Raw texts the library handed out, scanned for secrets once every signature is known. */
  readonly #texts: { where: string; text: string }[] = [];
  readonly #services: AWSTranscribeSTTService[] = [];
  readonly #servers: HostileServer[] = [];

  constructor(name: string) {
    this.name = name;
    this.report = {
      scenario: name,
      watchdog: false,
      uncaught: [],
      unhandled: [],
      errors: [],
      frameErrors: [],
      events: {},
      thrown: [],
      logs: [],
      leaks: [],
      servers: [],
      transcripts: [],
      facts: {},
      ms: 0,
    };
    current = this;
  }

  get secrets(): readonly Secret[] {
    return this.#secrets;
  }

  since(): number {
    return Math.round(performance.now() - this.t0);
  }

  /** A value that must never leave the library, in all its encodings (a new array: leak lookups cache by list). */
  addSecret(kind: string, value: string): void {
    if (this.#seen.has(value)) return;
    this.#seen.add(value);
    this.#secrets = [...this.#secrets, ...secretForms(kind, value)];
  }

  readonly #ctx: ServerContext = { since: () => this.since(), signature: (v) => this.addSecret('signature', v) };

  async server(b: Behaviour): Promise<HostileServer> {
    const s = await startServer(b, this.#ctx);
    this.#servers.push(s);
    this.report.servers.push(s.record);
    return s;
  }

  async silentServer(): Promise<HostileServer> {
    const s = await startSilentServer(this.#ctx);
    this.#servers.push(s);
    this.report.servers.push(s.record);
    return s;
  }

  crash(kind: 'uncaught' | 'unhandled', err: unknown): void {
    const text =
      err instanceof Error
        ? `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`
        : String(err);
    (kind === 'uncaught' ? this.report.uncaught : this.report.unhandled).push(text);
    this.text(kind, inspect(err, { depth: 6 }));
  }

  /** Scan `text` for secrets at the end (something the library produced). */
  text(where: string, text: string): void {
    this.#texts.push({ where, text });
  }

  /** An error as the application sees it; every text form of it is scanned. */
  info(err: unknown, where: string, fatal?: boolean): ErrInfo {
    const e = err as Partial<TranscribeError> & { option?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(err);
    this.text(`${where}.message`, message);
    this.text(`${where}.toString`, String(err));
    this.text(`${where}.inspect`, inspect(err, { depth: 6 }));
    try {
      this.text(`${where}.json`, JSON.stringify(err) ?? '');
    } catch {
      // not serialisable: nothing to leak that way
    }
    return {
      name: typeof e?.name === 'string' ? e.name : typeof err,
      code: typeof e?.code === 'string' ? e.code : undefined,
      retryable: typeof e?.retryable === 'boolean' ? e.retryable : undefined,
      fatal,
      isTranscribeError: err instanceof TranscribeError,
      exceptionType: typeof e?.exceptionType === 'string' ? e.exceptionType : undefined,
      status: typeof e?.status === 'number' ? e.status : undefined,
      option: typeof e?.option === 'string' ? e.option : undefined,
      message: cut(message, 600),
      messageLength: message.length,
      controlChars: (message.match(CONTROL) ?? []).length,
      at: this.since(),
    };
  }

  readonly #logger: Logger = {
    debug: (m) => this.#log('debug', m),
    info: (m) => this.#log('info', m),
    warn: (m) => this.#log('warn', m),
    error: (m) => this.#log('error', m),
  };

  #log(level: string, message: string): void {
    this.report.logs.push({ level, message: cut(message, 600) });
    this.text(`log.${level}`, message);
  }

  /** The service under test, with the fake keys, short timeouts and the given options on top. */
  service(o: HostileOptions, how: ServiceHow = {}): AWSTranscribeSTTService {
    const options: HostileOptions = {
      region: 'us-east-1',
      awsAccessKeyId: KEYS.accessKeyId,
      apiKey: KEYS.secretAccessKey,
      awsSessionToken: KEYS.sessionToken,
      stopTimeoutMs: 1500,
      maxReconnectAttempts: 1,
      ...(how.logger === 'capture' ? { logger: this.#logger } : {}),
      ...o,
    };
    const stt = new AWSTranscribeSTTService(options);
    this.#services.push(stt);
    const listen = how.listen ?? 'events';
    this.fact('listen', listen);
    if (listen === 'events' || listen === 'both') {
      stt.on('error', (f) => this.report.errors.push(this.#frame(f, `errors[${this.report.errors.length}]`)));
      stt.on('transcription', (f) => this.#transcript(f));
      stt.on('interimTranscription', (f) => this.#transcript(f));
      for (const name of ['connected', 'disconnected', 'connectionError'] as const) {
        stt.on(name, () => (this.report.events[name] = (this.report.events[name] ?? 0) + 1));
      }
    }
    if (listen === 'frames' || listen === 'both') {
      void (async () => {
        for await (const f of stt.frames()) {
          if (f.type === 'error')
            this.report.frameErrors.push(this.#frame(f, `frameErrors[${this.report.frameErrors.length}]`));
          else if (listen === 'frames' && f.type !== 'metadata') this.#transcript(f);
        }
      })();
    }
    return stt;
  }

  #frame(f: Extract<Frame, { type: 'error' }>, where: string): ErrInfo {
    try {
      this.text(`${where}.frameJson`, JSON.stringify(f));
    } catch {
      // a frame that cannot be serialised is reported by its other forms
    }
    return this.info(f.error, where, f.fatal);
  }

  #transcript(f: Extract<Frame, { type: 'transcription' | 'interimTranscription' }>): void {
    const r = f.result as unknown as Record<string, unknown> | undefined;
    this.report.transcripts.push({
      type: f.type,
      text: cut(f.text, 60),
      length: f.text.length,
      start: r?.StartTime,
      end: r?.EndTime,
      channel: r?.ChannelId,
    });
  }

  /** Record how `p` settles; waits at most `boundMs` (a late settle still updates the record). */
  async settle(p: Promise<unknown>, boundMs: number, where: string): Promise<Settled> {
    const t = performance.now();
    const s: Settled = { state: 'pending', ms: boundMs };
    const done = p.then(
      (v) => {
        s.state = 'resolved';
        s.ms = Math.round(performance.now() - t);
        s.value = v;
      },
      (e: unknown) => {
        s.state = 'rejected';
        s.ms = Math.round(performance.now() - t);
        s.error = this.info(e, where);
      },
    );
    await Promise.race([done, sleep(boundMs)]);
    return s;
  }

  async start(stt: AWSTranscribeSTTService, boundMs: number, sampleRate = 16000): Promise<Settled> {
    let p: Promise<unknown>;
    try {
      p = stt.start({ sampleRate });
    } catch (e) {
      p = Promise.reject(e);
    }
    return (this.report.start = await this.settle(p, boundMs, 'start'));
  }

  /** stop(), with what it resolved with described as the contract's StopResult. */
  async stop(stt: AWSTranscribeSTTService, boundMs: number): Promise<Settled> {
    let p: Promise<unknown>;
    try {
      p = stt.stop();
    } catch (e) {
      p = Promise.reject(e);
    }
    const s = await this.settle(
      p.then((v) => this.#stopShape(v)),
      boundMs,
      'stop',
    );
    return (this.report.stop = s);
  }

  #stopShape(v: unknown): StopShape {
    const r = v as { complete?: unknown; error?: unknown } | undefined;
    const error = r?.error;
    return {
      type: v === null ? 'null' : typeof v,
      complete: r?.complete,
      error: error === undefined || error === null ? error : this.info(error, 'stop.result.error'),
    };
  }

  /** Run `fn`; a throw is recorded (and returned) rather than ending the scenario. */
  attempt(call: string, fn: () => unknown): unknown {
    try {
      fn();
      return undefined;
    } catch (e) {
      this.report.thrown.push({ call, ...this.info(e, `thrown.${call}`) });
      return e;
    }
  }

  fact(name: string, value: unknown): void {
    this.report.facts[name] = value;
  }

  async waitFor(pred: () => boolean, ms: number, stepMs = 10): Promise<boolean> {
    const until = performance.now() + ms;
    while (!pred()) {
      if (performance.now() > until) return false;
      await sleep(stepMs);
    }
    return true;
  }

  /** Memory after full collections (needs --expose-gc; the runner passes it). */
  memory(): { heapUsed: number; rss: number; arrayBuffers: number; external: number } {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss, arrayBuffers: m.arrayBuffers, external: m.external };
  }

  /** Cancel what is left, close the servers, give late callbacks a moment to fail. */
  async cleanup(): Promise<void> {
    for (const s of this.#services) this.attempt('cleanup.cancel', () => s.cancel());
    await sleep(100);
    for (const s of this.#servers) await s.close();
    // Their behaviours can hold megabytes (a huge refusal body): only the services stay referenced.
    this.#servers.length = 0;
    await sleep(50);
  }

  /** The report with every leak located and every text scrubbed. */
  finish(watchdog: boolean): Report {
    const r = this.report;
    r.watchdog = watchdog;
    r.ms = this.since();
    const secrets = this.#secrets;
    for (const { where, text } of this.#texts)
      for (const kind of leakKinds(text, secrets)) r.leaks.push({ where, kind });
    // Scanned: the raw texts (megabytes for a huge server message) are not kept.
    this.#texts.length = 0;
    if (current === this) current = undefined;
    return JSON.parse(scrub(JSON.stringify(r), secrets)) as Report;
  }
}

/** Run one scenario in this process; never throws (a throw is the report's harnessError). */
export async function runScenario(def: Scenario, args: string[]): Promise<Harness> {
  const h = new Harness([def.name, ...args].join(' '));
  try {
    await def.run(h, args);
  } catch (e) {
    h.report.harnessError = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}`.slice(0, 2000) : String(e);
    h.text('harnessError', String(e));
  }
  await h.cleanup();
  return h;
}

async function main(def: Scenario): Promise<void> {
  const args = process.argv.slice(2);
  let h: Harness | undefined;
  let printed = false;
  const print = (r: Report, secrets: readonly Secret[]): void => {
    if (printed) return;
    printed = true;
    try {
      writeSync(3, JSON.stringify(secrets));
    } catch {
      // run by hand: no fd 3
    }
    process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0));
  };
  const watchdog = setTimeout(() => {
    const w = current ?? new Harness([def.name, ...args].join(' '));
    print(w.finish(true), w.secrets);
  }, def.deadlineMs ?? 15_000);
  h = await runScenario(def, args);
  clearTimeout(watchdog);
  const r = h.finish(false);
  if (orphanCrashes.length) r.uncaught.push(...orphanCrashes.map((c) => scrub(c, h.secrets)));
  print(r, h.secrets);
}

/** Define a scenario; run it when its file is the process's entry point. */
export function scenario(def: Scenario, moduleUrl: string): Scenario {
  if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(moduleUrl)) void main(def);
  return def;
}
