/**
 * The emulator's server: an HTTP server whose upgrade handler checks each handshake as AWS does
 * and either answers with AWS's error (never upgrading) or hands the socket to `ws` and starts a
 * Session. It keeps the live streams, what `retain` allows of the ended ones, the faults waiting
 * for them, and one stream per session-id.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { OptionError } from '../core/errors.js';
import { ChunkSignatureChain } from './chunk-signature.js';
import { FaultBook } from './faults.js';
import type { FaultHandle, FaultSpec, RefuseFaultSpec } from './faults.js';
import { checkHandshake } from './handshake.js';
import type { HandshakeAccepted, HandshakeRejection } from './handshake.js';
import { commonHeaders, errorBody, writeHttpError } from './http-response.js';
import { resolveOptions } from './options.js';
import type { ResolvedOptions } from './options.js';
import { scriptedRecognizer } from './recognizer.js';
import { Retention } from './retention.js';
import { Session } from './session.js';
import type {
  Emulator,
  EmulatorCredentials,
  EmulatorOptions,
  EmulatorSession,
  ScriptEntry,
  SessionInfo,
} from './types.js';
import { loadWs } from './ws-loader.js';
import type { WsModule } from './ws-loader.js';

/** What a refused-handshake fault answers, per status (messages approximate AWS's). */
function refusal(spec: RefuseFaultSpec): HandshakeRejection {
  const defaults: Record<number, [string, string]> = {
    400: ['BadRequestException', 'The request was refused by an injected fault.'],
    403: ['AccessDeniedException', 'User is not authorized to perform: transcribe:StartStreamTranscriptionWebSocket'],
    429: [
      'LimitExceededException',
      'You have exceeded the maximum number of concurrent transcription streams. Wait, then try your request again.',
    ],
    500: ['InternalFailureException', 'An internal error occurred. Try your request again.'],
    503: ['ServiceUnavailableException', 'The service is currently unavailable. Try your request again later.'],
  };
  const [exceptionType, message] = defaults[spec.status]!;
  return { status: spec.status, exceptionType, message: spec.message ?? message };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class EmulatorServer implements Emulator {
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly credentials: EmulatorCredentials;

  private readonly opts: ResolvedOptions;
  private readonly retention: Retention;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly faults = new FaultBook();
  private readonly open = new Set<Session>();
  private readonly byId = new Map<string, Session>();
  /** Response headers for upgrades in progress (ws's 'headers' event only gets the request). */
  private readonly upgradeHeaders = new WeakMap<IncomingMessage, string[]>();
  private readonly waiters: ((s: EmulatorSession) => void)[] = [];
  private readonly sockets = new Set<Duplex>();
  private closing: Promise<void> | undefined;

  constructor(opts: ResolvedOptions, http: Server, port: number, ws: WsModule) {
    this.opts = opts;
    this.retention = new Retention(opts.retain);
    this.http = http;
    this.host = opts.host;
    this.port = port;
    this.credentials = opts.credentials;
    this.endpoint = `ws://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
    // Transcribe payloads are at most a second of audio; 32 MiB leaves room for any sane client.
    this.wss = new ws.WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 32 * 1024 * 1024 });
    this.wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const extra = this.upgradeHeaders.get(req);
      if (extra) headers.push(...extra);
    });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.onUpgrade(req, socket, head).catch((err: unknown) => {
        writeHttpError(
          socket,
          {
            status: 500,
            exceptionType: 'InternalFailureException',
            message: `The emulator failed: ${(err as Error).message}`,
          },
          [],
        );
      });
    });
    http.on('request', (req, res) => {
      // A plain GET (curl, a browser) gets the same checks, then 426 instead of an upgrade.
      const requestId = randomUUID();
      const result = checkHandshake(req, this.context());
      const err: HandshakeRejection = result.ok
        ? {
            status: 426,
            exceptionType: 'BadRequestException',
            message: 'This endpoint only accepts WebSocket upgrades.',
          }
        : result.rejection;
      res.writeHead(err.status, {
        'content-type': 'application/json',
        'x-amzn-ErrorType': err.exceptionType,
        'x-amzn-RequestId': requestId,
        'x-amzn-request-id': requestId,
        date: new Date(this.now()).toUTCString(),
        ...(err.status === 426 ? { upgrade: 'websocket' } : {}),
      });
      res.end(errorBody(err));
    });
  }

  get sessions(): readonly EmulatorSession[] {
    return this.retention.records;
  }

  private now(): number {
    return Date.now() + this.opts.clockSkewMs;
  }

  private context(): { credentials: EmulatorCredentials; now: number; region: string | undefined } {
    return { credentials: this.opts.credentials, now: this.now(), region: this.opts.region };
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => {
      // A client that resets mid-handshake is not the emulator's problem.
    });
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.closing) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const delayMs = this.faults.upgradeDelayMs();
    const refused = this.faults.takeRefusal();
    const result = refused
      ? ({ ok: false, rejection: refusal(refused) } as const)
      : checkHandshake(req, this.context());
    if (delayMs > 0) await sleep(delayMs);
    if (!result.ok) {
      writeHttpError(socket, result.rejection, commonHeaders(requestId, this.now()));
      return;
    }
    const p = result.params;
    const info: SessionInfo = {
      id: p.sessionId ?? randomUUID(),
      query: result.query,
      medical: result.medical,
      sampleRate: p.sampleRate,
      channels: p.channels,
      mediaEncoding: p.mediaEncoding,
    };
    let script: readonly ScriptEntry[];
    try {
      script = this.opts.script(info);
    } catch (err) {
      const message = `The emulator's script function failed: ${(err as Error).message}`;
      writeHttpError(
        socket,
        { status: 500, exceptionType: 'InternalFailureException', message },
        commonHeaders(requestId, this.now()),
      );
      return;
    }
    // Like the HTTP/2 API, the 101 echoes the session id and the settings it applies.
    const headers = [...commonHeaders(requestId, this.now()), `x-amzn-transcribe-session-id: ${info.id}`];
    for (const [name, value] of Object.entries(info.query)) {
      if (name !== 'session-id' && /^[a-z-]+$/.test(name) && /^[\x20-\x7e]*$/.test(value))
        headers.push(`x-amzn-transcribe-${name}: ${value}`);
    }
    this.upgradeHeaders.set(req, headers);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.startSession(ws, socket, result, info, requestId, script));
  }

  private startSession(
    ws: WebSocket,
    socket: Duplex,
    hs: HandshakeAccepted,
    info: SessionInfo,
    requestId: string,
    script: readonly ScriptEntry[],
  ): void {
    const factory = this.opts.recognizer ?? scriptedRecognizer;
    const record = this.retention.create({ id: info.id, requestId, query: info.query, medical: info.medical });
    const session = new Session({
      ws,
      socket,
      record,
      bytesPerSecond: info.mediaEncoding === 'pcm' ? info.sampleRate * info.channels * 2 : 0,
      recognizer: factory({ ...info, script, vad: { ...this.opts.vad } }),
      chain: new ChunkSignatureChain(hs.signature, this.opts.credentials.secretAccessKey, hs.region),
      idleTimeoutMs: this.opts.idleTimeoutMs,
      maxDurationMs: this.opts.maxDurationMs,
      finalDelayMs: this.opts.finalDelayMs,
      onClosed: (s) => {
        this.open.delete(s);
        this.faults.detach(s);
        if (this.byId.get(s.id) === s) this.byId.delete(s.id);
      },
    });
    // One stream per session-id: the older stream ends with ConflictException (service model).
    const previous = this.byId.get(session.id);
    if (previous?.open) {
      previous.fail(
        'ConflictException',
        'A new stream started with the same session ID. The current stream has been terminated.',
      );
    }
    this.byId.set(session.id, session);
    this.open.add(session);
    this.faults.attach(session);
    for (const resolve of this.waiters.splice(0)) resolve(record);
  }

  nextSession(): Promise<EmulatorSession> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  fault(spec: FaultSpec): FaultHandle {
    // Streams already ending (closing, or past their end of stream) cannot be hit any more.
    return this.faults.add(
      spec,
      [...this.open].filter((s) => s.live),
    );
  }

  clearFaults(): void {
    this.faults.clear();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.faults.clear();
      const open = [...this.open];
      for (const s of open) s.shutdown();
      await Promise.race([Promise.all(open.map((s) => s.record.closed)), sleep(1000)]);
      for (const s of this.open) s.drop();
      for (const socket of this.sockets) socket.destroy();
      this.wss.close();
      await new Promise<void>((resolve) => {
        this.http.close(() => resolve());
        this.http.closeAllConnections();
      });
    })();
    return this.closing;
  }
}

/** Listens, or fails with an OptionError that says why (port in use, host not local). */
function listen(http: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      http.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(
          new OptionError(
            'port',
            `${port} on ${host} is already in use: stop whatever listens there, pick another port, or pass port: 0 ` +
              `for any free one`,
          ),
        );
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
        reject(
          new OptionError(
            'host',
            `${JSON.stringify(host)} is not an address of this machine (${err.code}); use 127.0.0.1, ::1 or 0.0.0.0`,
          ),
        );
      } else if (err.code === 'EACCES') {
        reject(
          new OptionError('port', `${port} needs privileges on this machine (EACCES); use a port above 1023 or 0`),
        );
      } else {
        reject(err);
      }
    };
    const onListening = (): void => {
      http.off('error', onError);
      const address = http.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    http.once('error', onError);
    http.once('listening', onListening);
    http.listen(port, host);
  });
}

/**
 * Starts a local Amazon Transcribe streaming endpoint. Rejects with an OptionError for a bad
 * option, or an EmulatorError (`WS_NOT_INSTALLED`) when the optional peer `ws` is missing.
 */
export async function startEmulator(opts?: EmulatorOptions): Promise<Emulator> {
  const resolved = resolveOptions(opts);
  const ws = await loadWs();
  const http = createServer();
  const port = await listen(http, resolved.host, resolved.port);
  return new EmulatorServer(resolved, http, port, ws);
}
