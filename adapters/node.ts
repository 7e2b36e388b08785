/**
 * Node 22+: the global WebSocket, credentials from options, then the environment, then the AWS
 * default chain (optional peer @aws-sdk/credential-providers), node:zlib's native CRC-32, and the
 * HTTP status of refused handshakes (which WHATWG WebSocket hides).
 */

import { randomUUID } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import {
  AWSTranscribeSTTService as CoreService,
  setCrc32Implementation,
  TranscribeError,
  webSocketFactory,
} from '../core/index.js';
import type { AWSTranscribeSTTServiceOptions, ServiceRuntime, WebSocketConstructorLike } from '../core/index.js';
import { PcmPipeline } from '../dsp/index.js';
import { nodeDefaultCredentials } from './node-credentials.js';
import { diagnoseHandshake } from './node-handshake.js';

export * from '../core/index.js';
export { presignedUrlHandler } from './presigned-url-handler.js';
export type { OptInParameter, PresignedUrlHandlerOptions } from './presigned-url-handler.js';
export { nodeHttpListener } from './node-http.js';
export { DefaultChainError, nodeDefaultCredentials } from './node-credentials.js';

/** Use node:zlib's CRC-32 for event-stream frames (several times the table's speed). */
export function useNativeCrc32(): void {
  setCrc32Implementation((data, previous) => zlibCrc32(data, previous ?? 0));
}

/** What the Node adapter injects into the core service; `overrides` replace any part (tests, a custom WebSocket). */
export function nodeRuntime(
  overrides: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {},
): ServiceRuntime {
  const { WebSocket: ws, ...rest } = overrides;
  const WebSocketImpl = ws ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (!WebSocketImpl) {
    throw new TranscribeError(
      'RUNTIME_UNSUPPORTED',
      `transcribe-stream needs Node 22 or newer, or pass { WebSocket } (for example from the ws package): this is ` +
        `Node ${process.versions.node}, which has no global WebSocket`,
    );
  }
  useNativeCrc32();
  return {
    socketFactory: webSocketFactory(WebSocketImpl, diagnoseHandshake),
    env: (name) => process.env[name],
    defaultCredentials: nodeDefaultCredentials(),
    createAudioPipeline: (o) => new PcmPipeline(o),
    randomUUID,
    ...rest,
  };
}

/** `AWSTranscribeSTTService` wired for Node. */
export class AWSTranscribeSTTService extends CoreService {
  constructor(
    options: AWSTranscribeSTTServiceOptions = {},
    runtime: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {},
  ) {
    super(options, nodeRuntime(runtime));
  }
}
