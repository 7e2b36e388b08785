/**
 * Cloudflare Workers open outbound WebSockets with `fetch` + `Upgrade: websocket` (the URL in its
 * http(s) form), then `response.webSocket.accept()`. This maps that onto core's TranscribeSocket.
 * Unlike a WHATWG WebSocket, a refused upgrade is an ordinary response, so its HTTP status and
 * body reach the service (a bad signature is told from a throttle without a second request).
 */

import type { SocketCloseInfo, SocketFactory } from '../core/index.js';

/** The part of a Workers WebSocket used here (so the package needs no workers-types). */
export interface WorkersWebSocket {
  accept(): void;
  send(data: ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', fn: (ev: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', fn: (ev: unknown) => void): void;
}

export type WorkersFetch = (
  url: string,
  init: { headers: Record<string, string> },
) => Promise<{ status: number; webSocket?: WorkersWebSocket | null; text(): Promise<string> }>;

const MAX_BODY = 4096;

export function workersSocketFactory(fetchImpl?: WorkersFetch): SocketFactory {
  return (url, events) => {
    const doFetch = fetchImpl ?? (fetch as unknown as WorkersFetch);
    let ws: WorkersWebSocket | undefined;
    let finished = false;
    let closeRequest: { code: number | undefined; reason: string | undefined } | undefined;
    const finish = (info: SocketCloseInfo): void => {
      if (finished) return;
      finished = true;
      ws = undefined;
      events.close(info);
    };
    doFetch(url.replace(/^ws(s?):/i, 'http$1:'), { headers: { Upgrade: 'websocket' } })
      .then(
        async (res) => {
          const sock = res.webSocket;
          if (!sock) {
            let body = '';
            try {
              body = (await res.text()).slice(0, MAX_BODY);
            } catch {
              // no body to report
            }
            return finish({ code: 1006, reason: '', opened: false, status: res.status, body });
          }
          sock.accept();
          if (closeRequest) {
            sock.close(closeRequest.code, closeRequest.reason);
            return finish({ code: closeRequest.code ?? 1000, reason: closeRequest.reason ?? '', opened: false });
          }
          ws = sock;
          sock.addEventListener('message', (ev) => {
            const data = ev.data;
            if (data instanceof ArrayBuffer) events.message(new Uint8Array(data));
            else if (ArrayBuffer.isView(data))
              events.message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
            // Text frames are not part of the protocol.
          });
          sock.addEventListener('close', (ev) => {
            // Complete the closing handshake where the runtime does not reply by itself (older compatibility dates).
            try {
              sock.close();
            } catch {
              // already closed
            }
            finish({ code: ev.code, reason: ev.reason, opened: true });
          });
          sock.addEventListener('error', () => finish({ code: 1006, reason: '', opened: true }));
          events.open();
        },
        () => finish({ code: 1006, reason: '', opened: false }),
      )
      .catch(() => {
        // accept() or a listener threw: nothing may become an unhandled rejection in the Worker.
        try {
          ws?.close(1000, 'failed');
        } catch {
          // already closed
        }
        finish({ code: 1006, reason: '', opened: ws !== undefined });
      });
    return {
      send: (data) => {
        if (!ws || finished) return false;
        try {
          // workerd queues the view itself, not a copy: a frame sent while the previous one is
          // still being written goes out with whatever the reused buffer holds by then (the
          // matrix caught every other frame of a burst carrying the next frame's audio). Core
          // reuses its frame buffer, so each frame gets its own copy here.
          ws.send(data.slice());
          return true;
        } catch {
          return false;
        }
      },
      close: (code, reason) => {
        if (!ws) {
          closeRequest ??= { code, reason };
          return;
        }
        try {
          ws.close(code, reason);
        } catch {
          // already closing
        }
      },
      // Workers expose no send queue size; sends are handed to the runtime at once.
      get bufferedAmount() {
        return 0;
      },
    };
  };
}
