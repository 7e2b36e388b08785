// Run by presigned-url-runtimes.test.ts under Deno and Bun: presignedUrlHandler behind the
// runtime's own server (Deno.serve, Bun.serve), asked once over real HTTP; prints what came back.
import { presignedUrlHandler } from '../../dist/adapters/server.js';

interface Served {
  port: number;
  stop(): Promise<void> | void;
}
declare const Deno:
  | {
      serve(
        o: { port: number; hostname: string; onListen(): void },
        h: (r: Request) => Promise<Response>,
      ): { addr: { port: number }; shutdown(): Promise<void> };
    }
  | undefined;
declare const Bun:
  | {
      serve(o: { port: number; hostname: string; fetch(r: Request): Promise<Response> }): {
        port: number;
        stop(force: boolean): void;
      };
    }
  | undefined;

const handler = presignedUrlHandler({
  region: 'eu-central-1',
  credentials: { accessKeyId: 'AKIDPROBE', secretAccessKey: 'probe-secret-key' },
  expiresIn: 20,
});

function serve(): Served {
  if (typeof Deno !== 'undefined') {
    const s = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: () => undefined }, handler);
    return { port: s.addr.port, stop: () => s.shutdown() };
  }
  if (typeof Bun !== 'undefined') {
    const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler });
    return { port: s.port, stop: () => s.stop(true) };
  }
  throw new Error('neither Deno nor Bun');
}

const server = serve();
const ask = (parameters: Record<string, unknown>): Promise<Response> =>
  fetch(`http://127.0.0.1:${server.port}/transcribe-url`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ parameters }),
  });
const ok = await ask({ languageCode: 'en-US', sampleRate: 16000, mediaEncoding: 'pcm' });
const refused = await ask({ languageCode: 'en-US', sampleRate: 16000, region: 'us-west-2' });
console.log(
  JSON.stringify({
    status: ok.status,
    cache: ok.headers.get('cache-control'),
    body: await ok.json(),
    refused: { status: refused.status, body: await refused.json() },
  }),
);
await server.stop();
