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
}

export interface SocketEvents {
  open(): void;
  message(data: Uint8Array): void;
  close(info: SocketCloseInfo): void;
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
 * that can make a raw HTTP request (Node) pass one; the URL it gets is the same presigned URL.
 */
export type HandshakeDiagnosis = (url: string) => Promise<{ status: number; body: string } | undefined>;

const OPEN = 1;

/** A `SocketFactory` over any WHATWG-compatible `WebSocket` constructor. */
export function webSocketFactory(WebSocketImpl: WebSocketConstructorLike, diagnose?: HandshakeDiagnosis): SocketFactory {
  return (url, events) => {
    const ws = new WebSocketImpl(url);
    ws.binaryType = 'arraybuffer';
    let opened = false;
    let closed = false;
    ws.onopen = () => {
      opened = true;
      events.open();
    };
    ws.onmessage = (ev) => {
      const data = ev.data;
      if (data instanceof ArrayBuffer) events.message(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) events.message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      // Text frames are not part of the protocol; ignore them.
    };
    const finish = (code: number, reason: string): void => {
      if (closed) return;
      closed = true;
      const info: SocketCloseInfo = { code, reason, opened };
      if (opened || !diagnose) {
        events.close(info);
        return;
      }
      diagnose(url).then(
        (d) => events.close(d ? { ...info, status: d.status, body: d.body } : info),
        () => events.close(info),
      );
    };
    ws.onerror = () => {
      // After open a close event follows (WHATWG). A failed handshake may never get one (Node 22's
      // WebSocket stays CONNECTING after a non-101 answer), so it ends here.
      if (opened) return;
      finish(1006, '');
      try {
        ws.close();
      } catch {
        // already closing
      }
    };
    ws.onclose = (ev) => finish(ev.code, ev.reason);
    return {
      send: (data) => {
        if (ws.readyState !== OPEN) return false;
        ws.send(data);
        return true;
      },
      close: (code, reason) => ws.close(code, reason),
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
    };
  };
}
