// presignedUrlHandler where it is meant to run besides Node: behind Deno.serve, Bun.serve and a
// Cloudflare Worker's fetch (workerd through miniflare, the package bundled under the Workers
// conditions). Each answers a real request with a URL signed for 20 s and refuses a region the
// page tried to choose. A runtime that is not installed skips with a one-line reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { binary, note, ROOT, run, skip } from './harness.ts';
import { bundleWorker, disposeWorker, loadMiniflare, runWorker } from './miniflare.ts';

interface Probe {
  status: number;
  cache: string | null;
  body: { url?: string; expiresAt?: string };
  refused: { status: number; body: { error?: { code: string; option?: string } } };
}

function checkProbe(runtime: string, p: Probe): void {
  assert.is(p.status, 200, `${runtime}: ${JSON.stringify(p.body)}`);
  assert.is(p.cache, 'no-store');
  const url = new URL(p.body.url!);
  assert.is(url.host, 'transcribestreaming.eu-central-1.amazonaws.com:8443');
  assert.is(url.searchParams.get('X-Amz-Expires'), '20');
  assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^[\da-f]{64}$/);
  assert.is(
    Date.parse(p.body.expiresAt!) -
      Date.parse(
        url.searchParams.get('X-Amz-Date')!.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z'),
      ),
    20_000,
  );
  assert.equal(p.refused.status, 400);
  assert.equal(p.refused.body.error?.option, 'region');
}

const deno = binary('deno');
const bun = binary('bun');
const probe = join(ROOT, 'test', 'runtimes', 'handoff-probe.ts');

if (!deno) skip('handoff deno: node_modules/.bin/deno is missing; run npm ci');
else {
  test('Deno.serve(presignedUrlHandler(...)) answers a page', async () => {
    const r = await run(deno, ['run', '--no-lock', '--allow-net=127.0.0.1', `--allow-read=${ROOT}`, probe], {
      env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    assert.is(r.code, 0, r.stderr);
    checkProbe('deno', JSON.parse(r.stdout) as Probe);
    note(`handoff deno: ${r.ms} ms`);
  });
}

if (!bun) skip('handoff bun: node_modules/.bin/bun is missing; run npm ci');
else {
  test('Bun.serve({ fetch: presignedUrlHandler(...) }) answers a page', async () => {
    const r = await run(bun, [probe]);
    assert.is(r.code, 0, r.stderr);
    checkProbe('bun', JSON.parse(r.stdout) as Probe);
    note(`handoff bun: ${r.ms} ms`);
  });
}

const MF = await loadMiniflare();
if ('skip' in MF) skip(`handoff workers: ${MF.skip}`);
else {
  test('a Worker whose fetch is presignedUrlHandler(...) answers a page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-handoff-worker-'));
    const script = join(dir, 'worker.js');
    await bundleWorker(
      {
        contents: `import { presignedUrlHandler } from 'transcribe-stream/server';
const handler = presignedUrlHandler({
  region: 'eu-central-1',
  credentials: { accessKeyId: 'AKIDPROBE', secretAccessKey: 'probe-secret-key' },
  expiresIn: 20,
});
export default { fetch: (request) => handler(request) };`,
      },
      script,
    );
    const mf = runWorker(MF, { script, root: dir });
    try {
      const ask = async (parameters: Record<string, unknown>) => {
        const res = await mf.dispatchFetch('http://localhost/transcribe-url', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ parameters }),
        });
        return {
          status: res.status,
          cache: res.headers.get('cache-control'),
          body: (await res.json()) as Probe['body'] & Probe['refused']['body'],
        };
      };
      const ok = await ask({ languageCode: 'en-US', sampleRate: 16000, mediaEncoding: 'pcm' });
      const refused = await ask({ languageCode: 'en-US', sampleRate: 16000, region: 'us-west-2' });
      checkProbe('workers', { ...ok, refused: { status: refused.status, body: refused.body } });
    } finally {
      await disposeWorker(mf);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
