// Runs one fuzzed service session: an AWSTranscribeSTTService (core, fake clock, fake server with
// WHATWG close rules) receives the steps, and after each step every invariant is checked. What the
// service must do is derived from what it was actually sent: a shadow MessageDecoder per stream sees
// the same chunks, so the runner knows which messages reached the service and whether a frame was
// undecodable, whatever the step meant to send.
import { AWSTranscribeSTTService, EventStreamError, MessageDecoder } from '../../dist/core/index.js';
import type { Frame, Message } from '../../dist/core/index.js';
import { FakeServer } from '../helpers/fake-socket.ts';
import { FakeClock } from './fake-clock.ts';
import { thrownKind, thrownText, whereThrown } from './findings.ts';
import { frameProblems, isDeliverable, timesOf } from './frame-checks.ts';
import type { Secret } from './frame-checks.ts';
import type { ProcessGuard } from './process-guard.ts';
import { Rng } from './rng.ts';
import { classify, describeFrame, isMs, resultsOf } from './session-messages.ts';
import type { Class } from './session-messages.ts';
import { encodeStep } from './session-steps.ts';
import type { Step } from './session-steps.ts';
import { liveSocket, strictFactory } from './strict-socket.ts';
import type { Tracked } from './strict-socket.ts';

export const KEY = {
  awsAccessKeyId: 'AKIDFUZZEXAMPLE',
  apiKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYFUZZKEY',
  awsSessionToken: 'FwoGZXIvYXdzEFUaDFUZZTOKEN+abc/def==',
};

export interface Violation {
  kind: string;
  /** Index of the step after which it was seen (steps.length: while stopping). */
  step: number;
  detail: string;
}

export interface SessionStats {
  messages: number;
  frames: number;
  errors: number;
  streams: number;
}

export interface SessionOutcome {
  violation: Violation | undefined;
  stats: SessionStats;
}

const WIRE_BPS = 32_000; // 16 kHz mono 16-bit
const FRAME_SAMPLES = 1600; // 100 ms

const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
};

export class Session {
  readonly #steps: readonly Step[];
  readonly #guard: ProcessGuard;
  readonly #rng: Rng;
  readonly #clock: FakeClock;
  readonly #server = new FakeServer();
  readonly #tracked: Tracked[] = [];
  readonly #aged = new Set<Tracked>();
  readonly #shadows = new Map<Tracked, { decoder: MessageDecoder; failed: boolean }>();
  readonly #reports = new Map<Tracked, number>();
  readonly #signatures = new Map<Tracked, string>();
  readonly #frames: Frame[] = [];
  readonly #logs: string[] = [];
  readonly #stt: AWSTranscribeSTTService;
  #checkedFrames = 0;
  #checkedLogs = 0;
  #legitFatal = false;
  #stopping = false;
  #pushed = 0;
  #step = -1;
  #violation: Violation | undefined;
  readonly #stats: SessionStats = { messages: 0, frames: 0, errors: 0, streams: 0 };

  constructor(steps: readonly Step[], seed: number, guard: ProcessGuard) {
    this.#steps = steps;
    this.#guard = guard;
    this.#rng = new Rng(seed);
    this.#clock = new FakeClock(1_750_000_000_000, (err) =>
      this.#fail(thrownKind('a timer callback', err), `${thrownText(err)} at ${whereThrown(err)}`),
    );
    const log = (level: string) => (m: string) => void this.#logs.push(`${level} ${m}`);
    const random = this.#rng.fork();
    this.#stt = new AWSTranscribeSTTService(
      {
        ...KEY,
        keepAliveMs: 0,
        logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
      },
      {
        socketFactory: strictFactory(this.#server, this.#tracked),
        now: this.#clock.now,
        setTimeout: this.#clock.setTimeout,
        clearTimeout: this.#clock.clearTimeout,
        random: () => random.next(),
        randomUUID: () => crypto.randomUUID(),
      },
    );
    for (const name of ['transcription', 'interimTranscription', 'error'] as const)
      this.#stt.on(name, (f) => void this.#frames.push(f));
  }

  async run(): Promise<SessionOutcome> {
    this.#guard.take();
    let started = false;
    this.#stt.start({ sampleRate: 16000 }).then(
      () => (started = true),
      (err: unknown) => this.#fail(thrownKind('start()', err), thrownText(err)),
    );
    await settle();
    if (!started) this.#fail('start() did not resolve with a server that opens at once', '');
    for (let i = 0; i < this.#steps.length && !this.#violation; i++) {
      this.#step = i;
      const step = this.#steps[i]!;
      if (step.t === 'send') await this.#send(step);
      else if (step.t === 'audio') await this.#audio(step.frames);
      else await this.#close(step.code, step.reason);
      this.#collect();
      if (this.#stt.state === 'failed' || this.#stt.state === 'stopped') break;
    }
    if (!this.#violation) {
      this.#step = this.#steps.length;
      await this.#stop();
    }
    this.#stats.streams = this.#tracked.length;
    return { violation: this.#violation, stats: this.#stats };
  }

  #fail(kind: string, detail: string): void {
    this.#violation ??= { kind, step: this.#step, detail };
  }

  #secrets(): Secret[] {
    const out: Secret[] = [
      { name: 'the secret key', value: KEY.apiKey },
      { name: 'the session token', value: KEY.awsSessionToken },
      { name: 'the URL-encoded session token', value: encodeURIComponent(KEY.awsSessionToken) },
    ];
    for (const t of this.#tracked) out.push({ name: 'a request signature', value: this.#signature(t) });
    return out;
  }

  #signature(t: Tracked): string {
    let sig = this.#signatures.get(t);
    if (sig === undefined)
      this.#signatures.set(t, (sig = new URL(t.fake.url).searchParams.get('X-Amz-Signature') ?? ''));
    return sig;
  }

  #fill(t: Tracked): (s: string) => string {
    const sig = this.#signature(t);
    return (s) =>
      s
        .replaceAll('@@SECRET@@', KEY.apiKey)
        .replaceAll('@@TOKEN_URL@@', encodeURIComponent(KEY.awsSessionToken))
        .replaceAll('@@TOKEN@@', KEY.awsSessionToken)
        .replaceAll('@@SIGNATURE@@', sig)
        .replaceAll('@@URL@@', t.fake.url);
  }

  /** Check the frames and logs since the last call, and anything that escaped to the process. */
  #collect(): void {
    for (const e of this.#guard.take())
      this.#fail(thrownKind(e.how, e.error), `${thrownText(e.error)} at ${whereThrown(e.error)}`);
    const secrets = this.#secrets();
    for (; this.#checkedFrames < this.#frames.length; this.#checkedFrames++) {
      const f = this.#frames[this.#checkedFrames]!;
      this.#stats.frames++;
      for (const p of frameProblems(f, secrets)) this.#fail(p.kind, p.detail);
      if (f.type === 'error') {
        this.#stats.errors++;
        if (f.fatal && !this.#legitFatal && !this.#stopping) {
          this.#fail(
            `service gave up (fatal ${f.error.code}) although the server only sent retryable trouble`,
            f.error.message.slice(0, 300),
          );
        }
      }
    }
    for (; this.#checkedLogs < this.#logs.length; this.#checkedLogs++) {
      const line = this.#logs[this.#checkedLogs]!;
      for (const s of secrets) if (line.includes(s.value)) this.#fail(`a log line leaks ${s.name}`, line.slice(0, 300));
    }
  }

  /** The stream the server talks on: waits (in fake time) for a reconnect; undefined once the service is done. */
  async #live(): Promise<Tracked | undefined> {
    const since = this.#clock.now();
    for (let i = 0; i < 10_000; i++) {
      this.#collect();
      if (this.#violation) return undefined;
      const state = this.#stt.state;
      if (state === 'failed' || state === 'stopped') {
        if (!this.#legitFatal && !this.#frames.some((f) => f.type === 'error' && f.fatal))
          this.#fail(`service ${state} without a fatal error frame`, '');
        return undefined;
      }
      const s = liveSocket(this.#tracked);
      if (s) {
        if (this.#aged.has(s)) return s;
        // Each stream lives a minute before the next trouble: failures are separate incidents, never "quick".
        this.#aged.add(s);
        await this.#clock.advance(61_000, settle);
        continue;
      }
      const due = this.#clock.nextDue();
      if (due === undefined) {
        this.#fail(
          'stall: no stream open and no reconnect scheduled',
          `state ${state}, ${this.#tracked.length} streams so far`,
        );
        return undefined;
      }
      if (this.#clock.now() - since > 15 * 60_000) {
        this.#fail('no stream reopened within 15 minutes', `state ${state}`);
        return undefined;
      }
      await this.#clock.advanceTo(due, settle);
    }
    this.#fail('harness: no progress', '');
    return undefined;
  }

  async #send(step: Extract<Step, { t: 'send' }>): Promise<void> {
    const sock = await this.#live();
    if (!sock) return;
    const bytes = encodeStep(step, this.#fill(sock));
    const cuts = [...new Set(step.cuts.map((c) => Math.floor(c * bytes.length)))].filter(
      (c) => c > 0 && c < bytes.length,
    );
    let shadow = this.#shadows.get(sock);
    if (!shadow) this.#shadows.set(sock, (shadow = { decoder: new MessageDecoder(), failed: false }));
    const delivered: Message[] = [];
    let undecodable = false;
    const framesBefore = this.#frames.length;
    let from = 0;
    for (const to of [...cuts, bytes.length]) {
      const chunk = bytes.subarray(from, to);
      from = to;
      // A WebSocket the client closed delivers nothing more.
      if (sock.fake.closed) break;
      let messages: Message[] = [];
      if (!shadow.failed) {
        try {
          messages = shadow.decoder.push(chunk);
        } catch (err) {
          shadow.failed = true;
          undecodable = err instanceof EventStreamError;
        }
      }
      // Known before the service reacts: a fatal error frame for these is legitimate.
      for (const m of messages)
        if (classify(m) === 'fatalException' || classify(m) === 'unknown') this.#legitFatal = true;
      try {
        sock.fake.events.message(chunk);
      } catch (err) {
        if (sock.badClose)
          this.#fail(
            `the client called ${sock.badClose.replace(/\d+/g, 'N')}`,
            `inside events.message: ${thrownText(err)}`,
          );
        else this.#fail(thrownKind('socket events.message', err), `${thrownText(err)} at ${whereThrown(err)}`);
        return;
      }
      delivered.push(...messages);
    }
    this.#stats.messages += delivered.length;
    let serverClosed = false;
    if (step.serverClose && !sock.fake.closed) {
      serverClosed = true;
      try {
        sock.fake.serverClose(step.serverClose.code, step.serverClose.reason);
      } catch (err) {
        return this.#fail(thrownKind('socket events.close', err), `${thrownText(err)} at ${whereThrown(err)}`);
      }
    }
    await settle();
    this.#collect();
    if (sock.badClose) this.#fail(`the client called ${sock.badClose.replace(/\d+/g, 'N')}`, '');
    this.#judge(sock, delivered, undecodable, serverClosed, this.#frames.slice(framesBefore));
  }

  /** What the service had to do with what it was sent in one step. */
  #judge(sock: Tracked, delivered: Message[], undecodable: boolean, serverClosed: boolean, frames: Frame[]): void {
    const errors = frames.filter((f) => f.type === 'error');
    const seen = new Set<Class>();
    const finals: unknown[] = [];
    for (const m of delivered) {
      const c = classify(m);
      // After an exception or a message of unknown type in the same step, what comes next is not specified.
      const clean = !seen.has('exception') && !seen.has('fatalException') && !seen.has('unknown');
      seen.add(c);
      if (c === 'transcript' && clean)
        for (const r of resultsOf(m))
          if (isDeliverable(r) && (r as { IsPartial: boolean }).IsPartial === false) finals.push(r);
    }
    const used = new Set<Frame>();
    for (const r of finals) {
      const text = (r as { Alternatives: { Transcript: string }[] }).Alternatives[0]!.Transcript;
      const f = frames.find((x) => x.type === 'transcription' && x.text === text && !used.has(x));
      if (f?.type !== 'transcription') {
        this.#fail(
          'a valid final result was not delivered',
          `text ${JSON.stringify(text.slice(0, 60))}; frames this step: ` +
            `${frames.map(describeFrame).join(' | ') || 'none'}`,
        );
        continue;
      }
      used.add(f);
      const before = timesOf(r);
      const after = timesOf(f.result);
      const pushedSeconds = this.#pushed / WIRE_BPS;
      // Items and entities that could not be read are left out of a result: then only the result's
      // own two times line up.
      const compared = before.length === after.length ? before.length : 2;
      for (let i = 0; i < compared && i < after.length; i++) {
        const a = before[i]!;
        const b = after[i]!;
        if (isMs(a) && !isMs(b)) this.#fail('delivered times are not rounded to the millisecond', `${a} became ${b}`);
        if (!(b - a >= -0.0005 && b - a <= pushedSeconds + 0.0005))
          this.#fail(
            'delivered time shifted by more than the audio sent',
            `${a} became ${b} with ${pushedSeconds} s pushed`,
          );
      }
    }
    const exception = seen.has('exception') || seen.has('fatalException');
    if (exception && !serverClosed && !sock.clientClose) {
      this.#fail(
        'an exception is not followed by the client closing the stream (audio stalls)',
        `stream ${sock.number} left open; frames: ${frames.map(describeFrame).join(' | ') || 'none'}`,
      );
    }
    if (exception && errors.length === 0) this.#fail('an exception is not reported in an error frame', '');
    if (undecodable && !exception && !seen.has('unknown') && !serverClosed) {
      if (!sock.clientClose) this.#fail('an undecodable frame leaves the stream open', '');
      else if (sock.clientClose.code !== undefined && sock.clientClose.code !== 1000)
        this.#fail(`an undecodable frame closes the stream with code ${sock.clientClose.code}, not 1000`, '');
      if (!errors.some((f) => f.type === 'error' && f.error.code === 'PROTOCOL'))
        this.#fail('an undecodable frame is not reported as a PROTOCOL error', errors.map(describeFrame).join(' | '));
    }
    const wellFramedOnly =
      !exception &&
      !undecodable &&
      !seen.has('unknown') &&
      !serverClosed &&
      (seen.has('transcript') || seen.has('otherEvent'));
    if (wellFramedOnly) {
      const what = seen.has('transcript') ? 'a well-framed TranscriptEvent' : 'an event of another type';
      if (sock.clientClose)
        this.#fail(
          `the client closed the stream after ${what}`,
          `close(${sock.clientClose.code}, ${JSON.stringify(sock.clientClose.reason)})`,
        );
      if (!seen.has('transcript') && errors.length)
        this.#fail(
          'an event of an unknown type is reported as an error (it must be ignored)',
          errors.map(describeFrame).join(' | '),
        );
      if (errors.some((f) => f.type === 'error' && f.fatal))
        this.#fail(`a fatal error for ${what}`, errors.map(describeFrame).join(' | '));
      if (seen.has('transcript')) {
        const n =
          (this.#reports.get(sock) ?? 0) +
          errors.filter((f) => f.type === 'error' && f.error.code === 'PROTOCOL' && !f.fatal).length;
        this.#reports.set(sock, n);
        if (n > 1)
          this.#fail('wrong-shaped events are reported more than once on one stream', `${n} PROTOCOL error frames`);
      }
    }
  }

  #sentAudio(): number {
    let n = 0;
    for (const t of this.#tracked) for (const m of t.fake.sent) n += m.body.length;
    return n;
  }

  async #audio(frames: number): Promise<void> {
    if (this.#stt.state !== 'running') return;
    const pcm = new Int16Array(frames * FRAME_SAMPLES);
    for (let i = 0; i < pcm.length; i++) pcm[i] = ((i * 7919) % 4001) - 2000;
    try {
      this.#stt.pushAudio(pcm);
    } catch (err) {
      return this.#fail(thrownKind('pushAudio', err), thrownText(err));
    }
    this.#pushed += pcm.byteLength;
    await settle();
    if (!(await this.#live())) return;
    for (let i = 0; i < 300 && this.#sentAudio() < this.#pushed; i++) await this.#clock.advance(100, settle);
    const sent = this.#sentAudio();
    if (sent < this.#pushed && this.#stt.state === 'running')
      this.#fail(
        'pushed audio is never sent (the stream takes no audio)',
        `${this.#pushed - sent} of ${this.#pushed} bytes unsent after 30 s`,
      );
  }

  async #close(code: number, reason: string): Promise<void> {
    const sock = await this.#live();
    if (!sock) return;
    try {
      sock.fake.serverClose(code, this.#fill(sock)(reason));
    } catch (err) {
      return this.#fail(thrownKind('socket events.close', err), `${thrownText(err)} at ${whereThrown(err)}`);
    }
    await settle();
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    let settled = false;
    let rejected: unknown;
    this.#stt.stop().then(
      () => (settled = true),
      (err: unknown) => {
        rejected = err;
        settled = true;
      },
    );
    await settle();
    const last = this.#tracked[this.#tracked.length - 1];
    // Half the time the server answers the end of the stream as AWS does; else stop() must time out by itself.
    if (last && !last.fake.closed && last.fake.gotEndOfStream() && this.#rng.chance(0.5)) {
      try {
        last.fake.serverClose(1000, '');
      } catch (err) {
        this.#fail(thrownKind('socket events.close', err), thrownText(err));
      }
    }
    for (let i = 0; i < 200 && !settled; i++) await this.#clock.advance(100, settle);
    this.#collect();
    if (!settled)
      return this.#fail('stop() does not settle within 20 s (stopTimeoutMs is 5 s)', `state ${this.#stt.state}`);
    if (rejected !== undefined)
      return this.#fail(`stop() rejects: ${thrownKind('stop()', rejected)}`, thrownText(rejected));
    if (this.#stt.state !== 'stopped') this.#fail(`state is ${this.#stt.state} after stop() resolved`, '');
    const streams = this.#tracked.length;
    await this.#clock.advance(600_000, settle);
    this.#collect();
    if (this.#tracked.length > streams) this.#fail('a stream is opened after stop()', '');
    if (this.#clock.pending > 0)
      this.#fail('timers still pending 10 minutes after stop()', `${this.#clock.pending} timers`);
  }
}
