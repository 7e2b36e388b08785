// A small server that misbehaves on request: per handshake it accepts, holds the upgrade forever,
// answers it late, or refuses it with any status and body (and answers the Node adapter's plain
// diagnostic GET the same way); once open it runs the scenario's callbacks. A raw TCP server
// that accepts connections and never answers covers load balancers that do just that.
// Every presigned URL it sees gives up its X-Amz-Signature to the secret list.
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ConnectionRecord, ServerRecord } from './report.ts';
import { ClientFrames } from './wire.ts';

export type Handshake =
  | 'accept'
  /** Never answer the upgrade (the TCP connection stays open). */
  | 'hold'
  | { delayMs: number }
  | { status: number; body?: string; contentType?: string };

export interface Conn {
  readonly record: ConnectionRecord;
  readonly ws: WebSocket;
  /** The TCP socket under the WebSocket (pause() it to stop reading). */
  readonly tcp: Socket;
  /** The upgrade request's URL (path and query), for echoes. */
  readonly url: string;
  /** Every audio payload received, when the behaviour keeps audio. */
  readonly audio: Uint8Array[];
  send(bytes: Uint8Array | string): void;
  close(code?: number, reason?: string): void;
  /** End the TCP connection without a close frame (the client sees 1006). */
  terminate(): void;
}

export interface Behaviour {
  /** How to answer handshake number `n` (1-based); default accept. */
  handshake?(n: number, req: IncomingMessage): Handshake;
  /** How to answer a plain GET; default 426 (the diagnostic then learns nothing). */
  plainGet?(req: IncomingMessage): { status: number; body: string; contentType?: string };
  open?(c: Conn): void;
  /** One non-empty AudioEvent. */
  audio?(c: Conn, pcm: Uint8Array): void;
  /** The empty AudioEvent; default: close normally, as AWS does once its results are out. */
  end?(c: Conn): void;
  keepAudio?: boolean;
}

export interface HostileServer {
  readonly endpoint: string;
  readonly record: ServerRecord;
  readonly conns: Conn[];
  close(): Promise<void>;
}

export interface ServerContext {
  since(): number;
  signature(value: string): void;
}

function signatureOf(url: string | undefined, ctx: ServerContext): void {
  const sig = new URL(url ?? '/', 'http://x').searchParams.get('X-Amz-Signature');
  if (sig) ctx.signature(sig);
}

/** The query parameters worth reporting (never a signing parameter). */
function publicQuery(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(url, 'http://x').searchParams) if (!/^x-amz-/i.test(k)) out[k] = v;
  return out;
}

/** The record of upgrade `n`, asked for at `at` ms: nothing happened on it yet. */
function connectionRecord(n: number, at: number, url: string | undefined): ConnectionRecord {
  return {
    n,
    upgradeAt: at,
    openedAt: undefined,
    closedAt: undefined,
    closeCode: undefined,
    closeReasonLength: undefined,
    audioBytes: 0,
    endOfStream: false,
    query: publicQuery(url ?? '/'),
  };
}

function refuse(socket: Socket, status: number, body = '', contentType = 'text/plain'): void {
  const bytes = Buffer.from(body, 'utf8');
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nContent-Type: ${contentType}\r\nContent-Length: ` +
      `${bytes.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.end(bytes);
}

function listen(server: Server | NetServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

export async function startServer(b: Behaviour, ctx: ServerContext): Promise<HostileServer> {
  const record: ServerRecord = { upgrades: 0, plainGets: 0, plainGetAt: [], connections: [] };
  const conns: Conn[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const http = createServer((req, res) => {
    signatureOf(req.url, ctx);
    record.plainGets++;
    record.plainGetAt.push(ctx.since());
    const a = b.plainGet?.(req) ?? { status: 426, body: '' };
    res.writeHead(a.status, { 'Content-Type': a.contentType ?? 'text/plain' });
    res.end(a.body);
  });
  http.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const accept = (req: IncomingMessage, socket: Socket, head: Buffer, rec: ConnectionRecord): void => {
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      rec.openedAt = ctx.since();
      const decoder = new ClientFrames();
      const conn: Conn = {
        record: rec,
        ws,
        tcp: socket,
        url: req.url ?? '/',
        audio: [],
        send: (bytes) => {
          if (ws.readyState === ws.OPEN) ws.send(bytes);
        },
        close: (code = 1000, reason = '') => {
          if (ws.readyState === ws.OPEN) ws.close(code, reason);
        },
        terminate: () => ws.terminate(),
      };
      conns.push(conn);
      ws.on('error', () => undefined);
      ws.on('message', (data: Buffer) => {
        let payloads: Uint8Array[];
        try {
          payloads = decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        } catch {
          return ws.close(1002, 'bad client frame');
        }
        for (const pcm of payloads) {
          if (pcm.length === 0) {
            rec.endOfStream = true;
            if (b.end) b.end(conn);
            else conn.close(1000);
            continue;
          }
          rec.audioBytes += pcm.length;
          if (b.keepAudio) conn.audio.push(pcm);
          b.audio?.(conn, pcm);
        }
      });
      ws.on('close', (code: number, reason: Buffer) => {
        rec.closedAt = ctx.since();
        rec.closeCode = code;
        rec.closeReasonLength = reason.length;
      });
      b.open?.(conn);
    });
  };

  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    signatureOf(req.url, ctx);
    socket.on('error', () => undefined);
    const n = ++record.upgrades;
    const rec = connectionRecord(n, ctx.since(), req.url);
    record.connections.push(rec);
    socket.on('close', () => {
      rec.closedAt ??= ctx.since();
    });
    const how = b.handshake?.(n, req) ?? 'accept';
    if (how === 'accept') return accept(req, socket, head, rec);
    if (how === 'hold') return;
    if ('delayMs' in how) {
      const t = setTimeout(() => {
        timers.delete(t);
        accept(req, socket, head, rec);
      }, how.delayMs);
      timers.add(t);
      return;
    }
    refuse(socket, how.status, how.body, how.contentType);
  });

  const port = await listen(http);
  return {
    endpoint: `ws://127.0.0.1:${port}`,
    record,
    conns,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const c of conns) c.terminate();
        for (const s of sockets) s.destroy();
        wss.close();
        http.close(() => resolve());
      }),
  };
}

/** Accepts TCP and reads the request, but never answers anything. */
export async function startSilentServer(ctx: ServerContext): Promise<HostileServer> {
  const record: ServerRecord = { upgrades: 0, plainGets: 0, plainGetAt: [], connections: [] };
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    let head = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      if (head.includes('\r\n\r\n')) return;
      head += d;
      if (!head.includes('\r\n\r\n')) return;
      const url = /^[A-Z]+ (\S+)/.exec(head)?.[1];
      signatureOf(url, ctx);
      if (/^upgrade:\s*websocket/im.test(head)) {
        const n = ++record.upgrades;
        record.connections.push(connectionRecord(n, ctx.since(), url));
      } else {
        record.plainGets++;
        record.plainGetAt.push(ctx.since());
      }
    });
  });
  const port = await listen(server);
  return {
    endpoint: `ws://127.0.0.1:${port}`,
    record,
    conns: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** True once, when the audio received on `c` crosses `bytes` with this payload. */
export function crossed(c: Conn, pcm: Uint8Array, bytes: number): boolean {
  const now = c.record.audioBytes;
  return now >= bytes && now - pcm.length < bytes;
}
