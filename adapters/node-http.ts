/**
 * A WHATWG fetch handler (Request -> Response, like presignedUrlHandler) served by `node:http`, or
 * by Express and anything else that hands out IncomingMessage and ServerResponse.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies larger than this are answered 413 without reading on. */
const MAX_BODY = 1_048_576;

/** `(req, res) => void` for `http.createServer(...)` or `app.post(path, ...)`, answering with `handler`. */
export function nodeHttpListener(
  handler: (request: Request) => Response | Promise<Response>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      try {
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of req as AsyncIterable<Uint8Array>) {
          size += chunk.length;
          if (size > MAX_BODY) {
            res.writeHead(413).end();
            return;
          }
          chunks.push(chunk);
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const method = req.method ?? 'GET';
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
        const request = new Request(url, {
          method,
          headers,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
        });
        const response = await handler(request);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(new Uint8Array(await response.arrayBuffer()));
      } catch (err) {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('internal error');
        console.error('[transcribe-stream] nodeHttpListener: the handler failed:', err);
      }
    })();
  };
}
