/**
 * Cloudflare Workers: outbound WebSocket through `fetch` (workers-socket.ts), credentials from the
 * Worker's bindings (`env`, passed to the constructor: `wrangler secret put AWS_SECRET_ACCESS_KEY`),
 * and the DSP WebAssembly imported as a module, because Workers forbid compiling Wasm from bytes.
 *
 *   export default {
 *     async fetch(request, env) {
 *       const stt = new AWSTranscribeSTTService({ region: 'us-west-2' }, env);
 *       …
 *     },
 *   };
 */

import { AWSTranscribeSTTService as CoreService, TranscribeError } from '../core/index.js';
import type { AWSTranscribeSTTServiceOptions, CredentialProvider, ServiceRuntime } from '../core/index.js';
import { initDsp, PcmPipeline } from '../dsp/index.js';
import dspModule from '../dsp/dsp.wasm';
import { workersSocketFactory } from './workers-socket.js';

export * from '../core/index.js';
export { presignedUrlHandler } from './presigned-url-handler.js';
export type { OptInParameter, PresignedUrlHandlerOptions } from './presigned-url-handler.js';
export { workersSocketFactory } from './workers-socket.js';
export type { WorkersFetch, WorkersWebSocket } from './workers-socket.js';

/**
 * The bindings read (string secrets and vars of the Worker); any `env` object is accepted, other
 * bindings are ignored.
 */
export interface WorkerBindings {
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
  AWS_SESSION_TOKEN?: string;
  AWS_REGION?: string;
  AWS_DEFAULT_REGION?: string;
}

let dspLoaded = false;

/** Hands the imported module to the DSP once (instantiating a compiled module is allowed). */
function loadDsp(): void {
  if (dspLoaded) return;
  dspLoaded = true;
  try {
    initDsp({ module: dspModule });
  } catch {
    // A host without Wasm SIMD: the DSP's TypeScript backend serves.
  }
}

const noCredentials: CredentialProvider = () => {
  throw new TranscribeError(
    'NO_CREDENTIALS',
    'no AWS credentials: pass the Worker `env` as the second constructor argument with AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY bindings (`wrangler secret put AWS_SECRET_ACCESS_KEY`), or pass credentials in the ' +
      'options',
  );
};

/** What the Workers adapter injects into the core service; `overrides` replace any part. */
export function workersRuntime(
  bindings: WorkerBindings | object = {},
  overrides: Partial<ServiceRuntime> = {},
): ServiceRuntime {
  loadDsp();
  return {
    socketFactory: workersSocketFactory(),
    env: (name) => {
      const v = (bindings as Record<string, unknown>)[name];
      return typeof v === 'string' ? v : undefined;
    },
    defaultCredentials: noCredentials,
    createAudioPipeline: (o) => new PcmPipeline(o),
    randomUUID: () => crypto.randomUUID(),
    ...overrides,
  };
}

/** `AWSTranscribeSTTService` wired for Cloudflare Workers; `bindings` is the Worker's `env`. */
export class AWSTranscribeSTTService extends CoreService {
  constructor(
    options: AWSTranscribeSTTServiceOptions = {},
    bindings: WorkerBindings | object = {},
    runtime: Partial<ServiceRuntime> = {},
  ) {
    super(options, workersRuntime(bindings, runtime));
  }
}
