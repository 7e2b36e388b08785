/**
 * What the browser adapters inject into the core service: the global WebSocket, the DSP, and
 * `crypto.randomUUID` where the page is a secure context. Shared by `transcribe-stream/web` and the
 * URL-only `transcribe-stream/web-presigned`.
 */

import { TranscribeError, webSocketFactory } from '../core/index.js';
import type { ServiceRuntime, WebSocketConstructorLike } from '../core/index.js';
import { PcmPipeline } from '../dsp/index.js';

/** Parts of the runtime to replace (tests, a custom WebSocket). */
export type WebRuntimeOverrides = Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike };

/** What the browser adapter injects into the core service; `overrides` replace any part. */
export function webRuntime(overrides: WebRuntimeOverrides = {}): ServiceRuntime {
  const { WebSocket: ws, ...rest } = overrides;
  const WebSocketImpl = ws ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (!WebSocketImpl) {
    throw new TranscribeError('RUNTIME_UNSUPPORTED', 'no global WebSocket in this runtime: pass { WebSocket }');
  }
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  // randomUUID exists only in secure contexts (https, localhost); elsewhere core makes its own.
  const uuid = typeof c?.randomUUID === 'function' ? { randomUUID: () => c.randomUUID!() } : {};
  return {
    socketFactory: webSocketFactory(WebSocketImpl),
    createAudioPipeline: (o) => new PcmPipeline(o),
    ...uuid,
    ...rest,
  };
}
