// Presigning a Transcribe streaming URL, side by side with its peers in one process and one run:
//   ours (transcribeUrl: validate + build + sign, synchronous, own SHA-256),
//   @smithy/signature-v4 with @aws-crypto/sha256-js (the pure-JS hash, as where node:crypto is
//   missing; this is the peer of the ratio column), the same signer with node:crypto through
//   @smithy/core's Sha256Node (what @aws-sdk/client-transcribe-streaming runs on Node), and
//   aws4fetch (WebCrypto SHA-256/HMAC, `signQuery`).
// All sign the same request (the same query, host with :8443, session token, date, 300 s) and the
// run first checks that they produce the same signature.
// Method: every contender is warmed up, then measured in R paired rounds (order alternating per
// round) of a fixed time slice each; tables give the median and min..max over rounds, and the
// ratio to smithy computed per round (median [min..max]). Async peers are awaited one presign at a
// time, as a connect would; ours is timed as it is called, synchronously (one extra row times it
// inside the same await loop, to show the await is not what makes the difference).
// Usage: node bench/presign.bench.ts [--smoke]   (after `node build.mjs`)
import { Sha256 } from '@aws-crypto/sha256-js';
import { Sha256Node } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsV4Signer } from 'aws4fetch';
import { presignUrl, transcribeUrl } from '../dist/core/index.js';
import type { TranscribeUrlOptions } from '../dist/core/index.js';
import { figure, median, pairedRatio } from './stats.ts';
import { runIfMain } from './table.ts';
import type { BenchTable } from './table.ts';

export type { BenchTable };

interface Contender {
  name: string;
  /** One presign; returns a number so the work cannot be optimised away. */
  fn: () => number | Promise<number>;
  async: boolean;
}

interface Measured {
  name: string;
  opsPerSec: number[];
}

let sink = 0;

async function timeSlice(c: Contender, ms: number, batch: number): Promise<number> {
  const start = performance.now();
  let ops = 0;
  let now = start;
  do {
    if (c.async) for (let i = 0; i < batch; i++) sink ^= await c.fn();
    else for (let i = 0; i < batch; i++) sink ^= c.fn() as number;
    ops += batch;
    now = performance.now();
  } while (now - start < ms);
  return ops / ((now - start) / 1000);
}

/** Paired rounds: each round measures every contender once, alternating the order. */
async function measure(contenders: Contender[], rounds: number, sliceMs: number, warmMs: number): Promise<Measured[]> {
  const batches: number[] = [];
  for (const c of contenders) batches.push(Math.max(1, Math.round((await timeSlice(c, warmMs, 1)) / 1000)));
  const results: Measured[] = contenders.map((c) => ({ name: c.name, opsPerSec: [] }));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) results[i]!.opsPerSec.push(await timeSlice(contenders[i]!, sliceMs, batches[i]!));
  }
  return results;
}

function table(title: string, results: Measured[], peer: string, notes: string[]): BenchTable {
  const base = results.find((r) => r.name === peer)!;
  const rows = results.map((r) => [
    r.name,
    figure(median(r.opsPerSec)),
    `${figure(Math.min(...r.opsPerSec))}..${figure(Math.max(...r.opsPerSec))}`,
    figure(1e6 / median(r.opsPerSec)),
    r === base ? '1.00x (peer)' : pairedRatio(r.opsPerSec, base.opsPerSec),
  ]);
  return {
    title,
    columns: [
      'implementation',
      'presigns/s median',
      'presigns/s min..max',
      'µs/presign',
      `vs smithy (median [min..max])`,
    ],
    rows,
    notes,
  };
}

const CREDS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEBYaDGV4YW1wbGUvdG9rZW4+PQ==',
};
const REGION = 'us-west-2';
const HOST = `transcribestreaming.${REGION}.amazonaws.com`;
const PATH = '/stream-transcription-websocket';
const OPTIONS: TranscribeUrlOptions = {
  region: REGION,
  credentials: CREDS,
  languageCode: 'en-US',
  sampleRate: 16000,
  mediaEncoding: 'pcm',
  sessionId: '123e4567-e89b-12d3-a456-426614174000',
  enablePartialResultsStabilization: true,
  partialResultsStability: 'medium',
  showSpeakerLabel: true,
};
/** The same request's own parameters, for the peers. */
const QUERY: Record<string, string> = {
  'language-code': 'en-US',
  'media-encoding': 'pcm',
  'sample-rate': '16000',
  'session-id': '123e4567-e89b-12d3-a456-426614174000',
  'show-speaker-label': 'true',
  'enable-partial-results-stabilization': 'true',
  'partial-results-stability': 'medium',
};
const QUERY_STRING = Object.entries(QUERY)
  .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
  .join('&');

/** The same presign request for @smithy/signature-v4 (a fresh object each time: presign may keep it). */
const smithyRequest = () => ({
  method: 'GET',
  protocol: 'wss:',
  hostname: HOST,
  port: 8443,
  path: PATH,
  query: { ...QUERY },
  headers: { host: `${HOST}:8443` },
  body: '',
});

function contenders(dateOf: () => Date, creds: typeof CREDS = CREDS): Contender[] {
  const smithy = new SignatureV4({ credentials: creds, region: REGION, service: 'transcribe', sha256: Sha256 });
  const smithyNode = new SignatureV4({ credentials: creds, region: REGION, service: 'transcribe', sha256: Sha256Node });
  const aws4Cache = new Map<string, ArrayBuffer>();
  const sigOf = (url: string): number => url.charCodeAt(url.length - 1);
  return [
    {
      name: '@smithy/signature-v4 + @aws-crypto/sha256-js presign',
      async: true,
      fn: async () => {
        const r = await smithy.presign(smithyRequest(), { signingDate: dateOf(), expiresIn: 300 });
        return String(r.query!['X-Amz-Signature']).charCodeAt(63);
      },
    },
    {
      name: '@smithy/signature-v4 + node:crypto (Sha256Node, the SDK on Node)',
      async: true,
      fn: async () => {
        const r = await smithyNode.presign(smithyRequest(), { signingDate: dateOf(), expiresIn: 300 });
        return String(r.query!['X-Amz-Signature']).charCodeAt(63);
      },
    },
    {
      name: 'ours transcribeUrl (validate + build + sign)',
      async: false,
      fn: () => sigOf(transcribeUrl({ ...OPTIONS, credentials: creds, date: dateOf() })),
    },
    {
      name: 'ours presignUrl (prebuilt URL)',
      async: false,
      fn: () =>
        sigOf(
          presignUrl({
            url: `wss://${HOST}:8443${PATH}?${QUERY_STRING}`,
            service: 'transcribe',
            region: REGION,
            credentials: creds,
            expiresIn: 300,
            date: dateOf(),
          }),
        ),
    },
    {
      name: 'ours transcribeUrl, timed in the async loop',
      async: true,
      fn: async () => sigOf(transcribeUrl({ ...OPTIONS, credentials: creds, date: dateOf() })),
    },
    {
      name: 'aws4fetch AwsV4Signer signQuery (WebCrypto)',
      async: true,
      fn: async () => {
        const signer = new AwsV4Signer({
          url: `wss://${HOST}:8443${PATH}?${QUERY_STRING}&X-Amz-Expires=300`,
          ...creds,
          service: 'transcribe',
          region: REGION,
          signQuery: true,
          cache: aws4Cache,
          datetime: dateOf()
            .toISOString()
            .replace(/[:-]|\.\d{3}/g, ''),
        });
        return sigOf((await signer.sign()).url.toString());
      },
    },
  ];
}

/** The three must agree before their speed means anything. */
async function checkSameSignature(date: Date): Promise<string[]> {
  const sig = (url: string): string => /X-Amz-Signature=([0-9a-f]{64})/.exec(url)![1]!;
  const ours = sig(transcribeUrl({ ...OPTIONS, date }));
  const smithy = await new SignatureV4({
    credentials: CREDS,
    region: REGION,
    service: 'transcribe',
    sha256: Sha256,
  }).presign(smithyRequest(), { signingDate: date, expiresIn: 300 });
  const a4 = await new AwsV4Signer({
    url: `wss://${HOST}:8443${PATH}?${QUERY_STRING}&X-Amz-Expires=300`,
    ...CREDS,
    service: 'transcribe',
    region: REGION,
    signQuery: true,
    datetime: date.toISOString().replace(/[:-]|\.\d{3}/g, ''),
  }).sign();
  const notes: string[] = [];
  if (String(smithy.query!['X-Amz-Signature']) !== ours) notes.push('WARNING: smithy signature differs from ours');
  if (sig(a4.url.toString()) !== ours) notes.push('WARNING: aws4fetch signature differs from ours');
  if (notes.length === 0)
    notes.push('All three produced the same signature for the benchmarked request (checked before timing).');
  return notes;
}

export async function run(opts: { smoke: boolean }): Promise<BenchTable[]> {
  const rounds = opts.smoke ? 3 : 9;
  const sliceMs = opts.smoke ? 15 : 250;
  const warmMs = opts.smoke ? 20 : 300;
  const peer = '@smithy/signature-v4 + @aws-crypto/sha256-js presign';
  const fixed = new Date('2026-11-25T10:20:30Z');
  const agreement = await checkSameSignature(fixed);
  const tables: BenchTable[] = [];

  // 1. The common case: the day's signing key is cached by every contender.
  const warm = await measure(
    contenders(() => fixed),
    rounds,
    sliceMs,
    warmMs,
  );
  tables.push(
    table('Presign a Transcribe streaming URL (signing key cached)', warm, peer, [
      'Target: ours >= 3x smithy. Request: 7 Transcribe parameters, session token, host with :8443, 300 s. Ours ' +
        'includes option validation and URL building; smithy is timed up to its signed request object (formatting it ' +
        'into a URL string, as the SDK then does, is not counted).',
      ...agreement,
    ]),
  );

  // 2. Cache miss: a different signing day on every presign, so each contender derives the key (4 HMACs).
  let day = 0;
  const nextDay = (): Date => new Date(Date.UTC(2026, 0, 1) + (day++ % 5000) * 86_400_000 + 37_000);
  const cold = await measure(contenders(nextDay), rounds, sliceMs, warmMs);
  tables.push(
    table('Presign with a new signing day each time (signing-key cache miss)', cold, peer, [
      'Each presign uses a date on a different day, so the derived key is recomputed every time by all contenders.',
    ]),
  );

  // 3. A session token of realistic size (STS tokens run to several hundred characters), which
  // lengthens the canonical request every contender hashes.
  const longCreds = { ...CREDS, sessionToken: `IQoJb3JpZ2luX2VjE${'Ab3/+Zx9'.repeat(100)}==` };
  const long = await measure(
    contenders(() => fixed, longCreds),
    rounds,
    sliceMs,
    warmMs,
  );
  tables.push(
    table(`Presign with a ${longCreds.sessionToken.length}-character session token (signing key cached)`, long, peer, [
      'Same request as the first table with a long token; the canonical request grows to about 1.5 KB.',
    ]),
  );

  if (sink === 0.5) console.log(sink); // keep the sink observable
  const note =
    `node ${process.version}, ` +
    `${opts.smoke ? 'smoke run (numbers are rough)' : `${rounds} paired rounds of ${sliceMs} ms`}`;
  for (const t of tables) t.notes = [...(t.notes ?? []), note];
  return tables;
}

await runIfMain(import.meta.url, run);
