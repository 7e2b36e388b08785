/**
 * The web demo's server (`npm run demo:web`, from a git checkout): the bundled emulator, a
 * presignedUrlHandler that signs each stream's URL with the emulator's credentials, and the page,
 * bundled from cli/web-demo/page.ts with esbuild (a devDependency) when the server starts, as an
 * app's bundler would: through the package's `transcribe-stream/web-presigned` export.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { nodeHttpListener, presignedUrlHandler } from '../../adapters/node.js';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, EmulatorOptions, ScriptEntry } from '../../emulator/index.js';

/** What the emulator "recognises", one line per utterance, round and round. */
const LINES = [
  'Hello from the Amazon Transcribe emulator.',
  'Every stream of this page is signed by the demo server.',
  'The page itself holds no AWS credentials.',
  'Speak, then pause: a pause ends an utterance.',
  'A dropped stream reconnects with a fresh URL.',
];
export const DEMO_LINES: readonly ScriptEntry[] = Array.from({ length: 500 }, (_, i) => LINES[i % LINES.length]!);

export interface WebDemoOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1 (a microphone needs a secure context: localhost is one). */
  host?: string;
  /** The emulator's script (default DEMO_LINES) and other emulator options. */
  emulator?: EmulatorOptions;
}

export interface WebDemo {
  /** The page, e.g. http://127.0.0.1:8787/ */
  url: string;
  emulator: Emulator;
  /** URLs signed so far (one per stream the page opened, or tried to). */
  readonly urlsSigned: number;
  /** The page's bundle: minified and gzip -9 bytes, and the bundle itself. */
  page: { min: number; gzip: number; js: Uint8Array };
  close(): Promise<void>;
}

/** The page's sources: next to this file in the checkout, or found from dist/cli/web-demo/. */
function sourceDir(): string {
  for (const rel of ['.', '../../../cli/web-demo']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'page.ts')) && existsSync(join(dir, 'index.html'))) return dir;
  }
  throw new Error(
    'the web demo runs from a git checkout of transcribe-stream (npm run demo:web): its page sources are not in the ' +
      'package',
  );
}

async function bundlePage(dir: string): Promise<Uint8Array<ArrayBuffer>> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('the web demo bundles its page with esbuild, a devDependency: run npm ci first');
  }
  const result = await esbuild.build({
    entryPoints: [join(dir, 'page.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return new Uint8Array(result.outputFiles[0]!.contents);
}

export async function startWebDemo(o: WebDemoOptions = {}): Promise<WebDemo> {
  const dir = sourceDir();
  const js = await bundlePage(dir);
  const html = readFileSync(join(dir, 'index.html'));
  const worklet = readFileSync(join(dir, 'capture-worklet.js'));
  const emulator = await startEmulator({ script: DEMO_LINES, ...o.emulator });
  // What a real backend does, with its own credentials and region instead of the emulator's.
  const signUrl = presignedUrlHandler({
    region: 'us-east-1',
    credentials: emulator.credentials,
    endpoint: emulator.endpoint,
  });
  let urlsSigned = 0;
  const file = (body: Uint8Array<ArrayBuffer>, type: string): Response =>
    new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': 'no-store' } });
  const server = createServer(
    nodeHttpListener(async (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/transcribe-url') {
        const response = await signUrl(request);
        if (response.ok) urlsSigned++;
        return response;
      }
      if (request.method !== 'GET') return new Response('not found', { status: 404 });
      if (path === '/') return file(html, 'text/html; charset=utf-8');
      if (path === '/page.js') return file(js, 'text/javascript; charset=utf-8');
      if (path === '/capture-worklet.js') return file(worklet, 'text/javascript; charset=utf-8');
      return new Response('not found', { status: 404 });
    }),
  );
  const host = o.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, host, resolve);
    });
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}/`,
    emulator,
    get urlsSigned() {
      return urlsSigned;
    },
    page: { min: js.length, gzip: gzipSync(js, { level: 9 }).length, js },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}
