// A SessionRouter on its own: a RouterContext that records what the router asks of its service
// (errors, the fatal one, delivered results, events, log lines), fake sockets, and virtual time.
// The service's tests reach the router through pushAudio/stop/updateSettings; these reach it directly.
import type { TranscribeError } from '../../dist/core/errors.js';
import { CredentialCache } from '../../dist/core/service/credentials.js';
import type { CredentialProvider } from '../../dist/core/service/credentials.js';
import { serviceDefaults } from '../../dist/core/service/defaults.js';
import { ServiceEmitter } from '../../dist/core/service/emitter.js';
import type { ServiceEvents } from '../../dist/core/service/frames.js';
import { AudioClock } from '../../dist/core/service/metrics.js';
import type { AWSTranscribeSTTServiceOptions, StreamParameters } from '../../dist/core/service/options.js';
import type { ConnectRequest, ConnectTarget } from '../../dist/core/service/streams/connect-target.js';
import { SessionRouter } from '../../dist/core/service/streams/router.js';
import type { RouterContext } from '../../dist/core/service/streams/router-context.js';
import type { Credentials } from '../../dist/core/sigv4/credentials.js';
import type { TranscriptEvent } from '../../dist/core/transcribe/transcript.js';
import { FakeServer } from './fake-socket.ts';
import type { FakeSocket } from './fake-socket.ts';
import { VirtualTime } from './virtual-time.ts';

/** 16 kHz mono, 100 ms frames: the service's default wire format. */
export const BPS = 32_000;
export const FRAME_BYTES = 3200;

export const KEYS: Credentials = { accessKeyId: 'AKIDROUTERTEST', secretAccessKey: 'router-test-secret' };

/** `seconds` of 16-bit PCM: a loud square wave (speech, for the pause detector) or silence. */
export function pcm(seconds: number, loud = true, start = 0): Uint8Array {
  const bytes = new Uint8Array(Math.round(seconds * BPS));
  if (loud) {
    const v = new DataView(bytes.buffer);
    // Sample i has a value that depends on `start + i`, so audio from different pushes can be told apart.
    for (let i = 0; i < bytes.length / 2; i++)
      v.setInt16(i * 2, ((start + i) % 2 ? 8000 : -8000) + (((start + i) >> 1) % 97), true);
  }
  return bytes;
}

export interface RouterHarnessOptions {
  options?: AWSTranscribeSTTServiceOptions;
  params?: StreamParameters;
  provider?: CredentialProvider;
  /** Open sockets by hand (socket.open()) instead of on the next microtask. */
  manualOpen?: boolean;
  /** Sockets deliver their close event inside close(). */
  closeInline?: boolean;
}

export class RouterHarness {
  readonly vt = new VirtualTime();
  readonly server = new FakeServer();
  readonly errors: { error: TranscribeError; fatal: boolean }[] = [];
  readonly fatal: TranscribeError[] = [];
  readonly delivered: { event: TranscriptEvent; offset: number }[] = [];
  readonly events: { name: keyof ServiceEvents; payload: unknown }[] = [];
  readonly logs: string[] = [];
  readonly urls: { credentials: Credentials; sessionId: string | undefined }[] = [];
  /** What the router asked its target for, in order. */
  readonly requests: ConnectRequest[] = [];
  /** How the target makes a URL from credentials; a test may replace it (e.g. to throw an OptionError). */
  makeUrl = (credentials: Credentials, sessionId: string | undefined): string => {
    this.urls.push({ credentials, sessionId });
    return `wss://transcribe.test/stream?n=${this.urls.length}${sessionId ? `&session-id=${sessionId}` : ''}`;
  };
  readonly target: ConnectTarget;
  readonly counters = { reconnects: 0, bufferedSeconds: 0, droppedSeconds: 0, keepAliveSeconds: 0, sentSeconds: 0 };
  params: StreamParameters;
  live = true;
  readonly ctx: RouterContext;
  readonly router: SessionRouter;

  constructor(o: RouterHarnessOptions = {}) {
    this.server.autoOpen = !o.manualOpen;
    this.server.closeInline = o.closeInline ?? false;
    this.params = o.params ?? {};
    const emitter = new ServiceEmitter((err) => {
      throw err;
    });
    for (const name of ['connected', 'disconnected', 'connectionError'] as const) {
      emitter.on(name, (payload: unknown) => this.events.push({ name, payload }));
    }
    const vt = this.vt;
    const log = (level: string) => (m: string) => void this.logs.push(`${level}: ${m}`);
    this.ctx = {
      options: serviceDefaults(o.options ?? {}),
      runtime: {
        socketFactory: this.server.factory,
        ...vt.runtime,
        random: () => 0.5,
        randomUUID: () => `uuid-${this.urls.length}`,
      },
      log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
      counters: this.counters,
      emitter,
      clock: new AudioClock(),
      now: () => vt.now,
      params: () => this.params,
      // Marks what went through it, so a test can see that server text was cleaned.
      clean: (text) => text.replace(/SECRET\w*/g, '[redacted]'),
      live: () => this.live,
      fail: (error) => {
        this.fatal.push(error);
        this.live = false;
      },
      error: (error, fatal) => void this.errors.push({ error, fatal }),
      deliver: (event, offset) => {
        this.delivered.push({ event, offset });
        return event.Transcript.Results;
      },
    };
    this.router = new SessionRouter(this.ctx);
    const creds = new CredentialCache(o.provider ?? (() => KEYS), () => vt.now);
    // The credential path's shape (signed-target.ts), with a readable URL instead of a signed one.
    this.target = {
      msUntilRefresh: () => creds.msUntilRefresh(),
      resolve: async (request, ms, timer) => {
        this.requests.push(request);
        return { url: this.makeUrl(await creds.getWithin(ms, timer), request.sessionId), where: 'transcribe.test' };
      },
    };
    this.router.reset(this.target, BPS, FRAME_BYTES, 1);
  }

  get sockets(): FakeSocket[] {
    return this.server.sockets;
  }

  socket(i: number): FakeSocket {
    const s = this.server.sockets[i];
    if (!s) throw new Error(`no socket ${i} (${this.server.sockets.length} made)`);
    return s;
  }

  push(bytes: Uint8Array): void {
    this.router.push(bytes, this.vt.now);
  }

  named(name: keyof ServiceEvents): unknown[] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload);
  }

  /** Codes of the errors reported so far, `!` after a fatal one. */
  errorCodes(): string[] {
    return this.errors.map((e) => `${e.error.code}${e.fatal ? '!' : ''}`);
  }
}

/** PCM of the AudioEvents a socket got, in order, and whether the last message was the empty AudioEvent. */
export function received(s: FakeSocket): { audio: Uint8Array; frames: number; ended: boolean } {
  return { audio: s.audio(), frames: s.sent.filter((m) => m.body.length > 0).length, ended: s.gotEndOfStream() };
}
