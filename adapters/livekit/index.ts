/**
 * `transcribe-stream/livekit`: Amazon Transcribe for LiveKit Agents for Node (`@livekit/agents`),
 * on the Node adapter's AWSTranscribeSTTService. Needs the optional peers `@livekit/agents` and
 * `@livekit/rtc-node`; without them, importing this entry fails with a PeerDependencyError that
 * names what to install (peers.ts). ESM only: it awaits its peers at top level.
 *
 *   import * as transcribe from 'transcribe-stream/livekit';
 *   new AgentSession({ stt: new transcribe.STT({ language: 'en-US' }), ... });
 */

import { readFileSync } from 'node:fs';
import { agents } from './peers.js';

export { PeerDependencyError } from './peers.js';
export type { STTOptions, STTUpdate } from './options.js';
export { SpeechStream } from './speech-stream.js';
export { STT } from './stt.js';
export { Language, TranscribeError } from '../node.js';
export type { AWSTranscribeSTTServiceOptions, TranscribeErrorCode } from '../node.js';

/** Listed among the framework's plugins, as agents-js's own plugins register themselves. */
class TranscribeStreamPlugin extends agents.Plugin {
  constructor() {
    super({ title: 'transcribe-stream', version: packageVersion(), package: 'transcribe-stream' });
  }
}

/** This package's version, from its package.json (dist/adapters/livekit/ or adapters/livekit/ up). */
function packageVersion(): string {
  for (const path of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'transcribe-stream' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // the next candidate
    }
  }
  return 'unknown';
}

agents.Plugin.registerPlugin(new TranscribeStreamPlugin());
