// The matrix scenario inside a Cloudflare Worker (workerd, via miniflare). Bundled by the test with
// the Workers conditions (workerd, worker, browser), so `transcribe-stream` resolves to the Workers
// adapter; the DSP .wasm stays a module import (CompiledWasm), as Wrangler would ship it.
import * as pkg from 'transcribe-stream';
import { dspBackend } from 'transcribe-stream/dsp';
import { DSP_WASM_BASE64 } from '../../dist/dsp/kernel/wasm-bytes.generated.js';
import type * as WorkersAdapter from '../../dist/adapters/workers.js';
import { refusedHandshake, runFileScenario } from './scenario.ts';

interface Env {
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  EMULATOR_ENDPOINT: string;
  CONTROL_URL: string;
}

/** Whether this host lets code compile Wasm from bytes (workerd: no; hence the module import). */
function compileFromBytes(): string {
  try {
    const bin = atob(DSP_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    new WebAssembly.Module(bytes);
    return 'allowed';
  } catch (err) {
    return `refused: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const adapter = pkg as unknown as typeof WorkersAdapter;
    if (typeof adapter.workersRuntime !== 'function') {
      return new Response('the "workerd" export condition did not pick adapters/workers.js', { status: 500 });
    }
    const refused = await refusedHandshake(
      new adapter.AWSTranscribeSTTService(
        { endpoint: env.EMULATOR_ENDPOINT, logger: {} },
        { ...env, AWS_SECRET_ACCESS_KEY: 'wrong-secret' },
      ),
    );
    const unbound = await refusedHandshake(
      new adapter.AWSTranscribeSTTService({ endpoint: env.EMULATOR_ENDPOINT, logger: {} }, {}),
    );
    // Credentials come from the bindings, as a deployed Worker's secrets would.
    const stt = new adapter.AWSTranscribeSTTService({ endpoint: env.EMULATOR_ENDPOINT, logger: {} }, env);
    const report = await runFileScenario({
      runtime: 'workerd (miniflare)',
      stt,
      control: env.CONTROL_URL,
      dspBackend,
      extra: { compileFromBytes: compileFromBytes(), refused, unbound },
    });
    return Response.json(report);
  },
};
