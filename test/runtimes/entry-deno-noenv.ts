// Deno without --allow-env: the adapter must not throw or prompt; the service fails with a
// NO_CREDENTIALS error that names the flag, and start() rejects with it. Prints one JSON line for
// the Node test.
import * as pkg from 'transcribe-stream';
import type * as DenoAdapter from '../../dist/adapters/deno.js';

declare const Deno: { args: string[] };

const adapter = pkg as unknown as typeof DenoAdapter;
const stt = new adapter.AWSTranscribeSTTService({ endpoint: Deno.args[0], logger: {} });
const errors: { code: string; fatal: boolean; message: string }[] = [];
stt.on('error', (f) => errors.push({ code: f.error.code, fatal: f.fatal, message: f.error.message }));
let threw = '';
try {
  await stt.start({ sampleRate: 16000 });
} catch (err) {
  threw = String(err);
}
console.log(JSON.stringify({ state: stt.state, region: stt.region, errors, threw }));
