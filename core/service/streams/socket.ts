/**
 * The one interface an adapter implements to give the service a socket. Node 22+, Deno, Bun and
 * browsers share the WHATWG `WebSocket`, wrapped by `webSocketFactory`; Cloudflare Workers build
 * theirs from `fetch` + `Upgrade: websocket`. Core never touches a global socket itself.
 */

export interface SocketCloseInfo {
  code: number;
  reason: string;
  /** Whether the socket had opened before it closed (false: the handshake failed). */
  opened: boolean;
  /** HTTP status and body of a refused handshake, where the runtime can see them. */
  status?: number;
  body?: string;
  /**
   * True where the runtime hides why a handshake failed and nothing could find out (browsers):
   * a refused signature then looks like a network failure, and messages say so.
   */
  statusHidden?: boolean;
}

export interface SocketEvents {
  open(): void;
  message(data: Uint8Array): void;
  close(info: SocketCloseInfo): void;
  /**
   * The handshake failed (`info`: what is known so far) and the socket is finding out why (a
   * HandshakeDiagnosis); `close` follows with what it found. The handshake is over: from here the
   * diagnosis's own deadline bounds the wait, not the connect timeout.
   */
  diagnosing?(info: SocketCloseInfo): void;
}

export interface TranscribeSocket {
  /**
   * Send one binary frame; false when the socket no longer takes data (closing or closed), so the
   * caller keeps the audio. The runtime must have copied `data` when this returns.
   */
  send(data: Uint8Array): boolean;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
}

export type SocketFactory = (url: string, events: SocketEvents) => TranscribeSocket;

/** The part of a WHATWG WebSocket the factory uses (so core needs no DOM typings). */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

/**
 * Learns the HTTP status and body of a refused handshake (WHATWG WebSocket hides them). Adapters
 * that can make a raw HTTP request (Node) pass one; the URL it gets is the same presigned URL. It
 * must settle within DIAGNOSIS_MS (the adapters' give up after 5 s) and hold no connection after.
 */
export type HandshakeDiagnosis = (url: string) => Promise<{ status: number; body: string } | undefined>;

const OPEN = 1;

/**
 * How long a stream waits for a diagnosis before it reports the failed handshake without a status
 * (stream.ts): a little over the 5 s the adapters' diagnoses take at most.
 */
export const DIAGNOSIS_MS = 6000;

/**
 * A `SocketFactory` over any WHATWG-compatible `WebSocket` constructor. Every callback it installs
 * catches what the service's handlers throw: nothing from the network may escape into the runtime's
 * event loop (in Node that would end the process, and every call in it).
 */
export function webSocketFactory(
  WebSocketImpl: WebSocketConstructorLike,
  diagnose?: HandshakeDiagnosis,
): SocketFactory {
  return (url, events) => {
    const ws = new WebSocketImpl(url);
    ws.binaryType = 'arraybuffer';
    let opened = false;
    let closed = false;
    /** We closed it: a failed handshake is then ours, not worth a diagnostic request. */
    let closedByUs = false;
    const deliver = (info: SocketCloseInfo): void => guard(() => events.close(info));
    ws.onopen = () => {
      opened = true;
      guard(() => events.open());
    };
    ws.onmessage = (ev) => {
      const data = ev.data;
      // Text frames are not part of the protocol; they are ignored.
      if (data instanceof ArrayBuffer) guard(() => events.message(new Uint8Array(data)));
      else if (ArrayBuffer.isView(data))
        guard(() => events.message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    };
    const finish = (code: number, reason: string): void => {
      if (closed) return;
      closed = true;
      const info: SocketCloseInfo = { code, reason, opened };
      if (opened || closedByUs) return deliver(info);
      if (!diagnose) return deliver({ ...info, statusHidden: true });
      guard(() => events.diagnosing?.(info));
      diagnose(url).then(
        (d) => deliver(d ? { ...info, status: d.status, body: d.body } : info),
        () => deliver(info),
      );
    };
    ws.onerror = () => {
      // After open a close event follows (WHATWG). A failed handshake may never get one (Node 22's
      // WebSocket stays CONNECTING after a non-101 answer), so it ends here. Node fires this
      // synchronously inside close() on a socket that never opened: `closed`, set by finish()
      // first, keeps that from recursing.
      if (opened || closed) return;
      finish(1006, '');
      closeQuietly(ws);
    };
    ws.onclose = (ev) => finish(ev.code, ev.reason);
    return {
      send: (data) => {
        if (ws.readyState !== OPEN) return false;
        try {
          ws.send(data);
          return true;
        } catch {
          return false;
        }
      },
      close: (code, reason) => {
        closedByUs = true;
        closeQuietly(ws, code, reason);
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
    };
  };
}

/** Run a handler; a throw is a bug of ours that must not reach the runtime (it is dropped here, and
 * the service's own handlers catch and report what they can). */
function guard(fn: () => void): void {
  try {
    fn();
  } catch {
    // see above
  }
}

/**
 * WHATWG `close()` accepts only 1000 and 3000-4999 (anything else throws InvalidAccessError) and
 * throws on a reason over 123 bytes; a socket being closed must never throw at its caller.
 */
function closeQuietly(ws: WebSocketLike, code?: number, reason?: string): void {
  const valid = code === undefined || code === 1000 || (code >= 3000 && code <= 4999);
  try {
    ws.close(valid ? code : 1000, reason === undefined ? undefined : reason.slice(0, 40));
  } catch {
    // already closing, or a runtime that refuses the reason: either way nothing more to do
  }
}
