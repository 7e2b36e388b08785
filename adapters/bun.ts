/**
 * Bun: the global WebSocket, credentials from options, then `Bun.env`, and Bun's native CRC-32
 * (`Bun.hash.crc32`, several times the table's speed) for event-stream frames — used only after it
 * proved to compute zlib's CRC-32, incremental form included, on this Bun.
 */

import { AWSTranscribeSTTService as CoreService, TranscribeError, webSocketFactory } from '../core/index.js';
import type { AWSTranscribeSTTServiceOptions, ServiceRuntime, WebSocketConstructorLike } from '../core/index.js';
import { PcmPipeline } from '../dsp/index.js';
import { fetchHandshakeDiagnosis } from './fetch-handshake.js';
import { installNativeCrc32 } from './native-crc32.js';

export * from '../core/index.js';
export { presignedUrlHandler } from './presigned-url-handler.js';
export type { OptInParameter, PresignedUrlHandlerOptions } from './presigned-url-handler.js';

/** The part of the `Bun` global used here (so the package needs no Bun typings). */
interface BunLike {
  env: Record<string, string | undefined>;
  hash?: { crc32?: (data: Uint8Array, seed?: number) => number };
}

function bun(): BunLike | undefined {
  return (globalThis as { Bun?: BunLike }).Bun;
}

/**
 * Use `Bun.hash.crc32` for event-stream frames; false (and nothing changed) where it is missing or disagrees
 * with zlib.
 */
export function useNativeCrc32(): boolean {
  return installNativeCrc32(bun()?.hash?.crc32);
}

/** What the Bun adapter injects into the core service; `overrides` replace any part. */
export function bunRuntime(
  overrides: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {},
): ServiceRuntime {
  const { WebSocket: ws, ...rest } = overrides;
  const WebSocketImpl = ws ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (!WebSocketImpl) {
    throw new TranscribeError('RUNTIME_UNSUPPORTED', 'this Bun has no global WebSocket: pass { WebSocket }');
  }
  useNativeCrc32();
  return {
    socketFactory: webSocketFactory(WebSocketImpl, fetchHandshakeDiagnosis()),
    env: (name) => bun()?.env[name],
    createAudioPipeline: (o) => new PcmPipeline(o),
    randomUUID: () => crypto.randomUUID(),
    ...rest,
  };
}

/** `AWSTranscribeSTTService` wired for Bun. */
export class AWSTranscribeSTTService extends CoreService {
  constructor(
    options: AWSTranscribeSTTServiceOptions = {},
    runtime: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {},
  ) {
    super(options, bunRuntime(runtime));
  }
}
