/**
 * Every numeric and boolean service option with its default applied, resolved once per service so
 * no part of it repeats a default.
 */

import type { AWSTranscribeSTTServiceOptions, Logger } from './options.js';
import { DEFAULT_TTFS_P99, MAX_STREAM_MS } from './options.js';

export interface ServiceDefaults {
  frameMs: number;
  stopTimeoutMs: number;
  connectTimeoutMs: number;
  credentialsTimeoutMs: number;
  reconnectOnError: boolean;
  maxReconnectAttempts: number;
  bufferSeconds: number;
  replaySeconds: number;
  keepAliveMs: number;
  maxStreamDurationMs: number;
  idleTimeoutMs: number;
  ttfsP99Latency: number;
  ttfsWindowMs: number;
}

/** Without a `logger`: warnings and errors reach the console, so no failure goes unseen. */
export const consoleLogger: Logger = {
  warn: (m) => console.warn(`[transcribe-stream] ${m}`),
  error: (m) => console.error(`[transcribe-stream] ${m}`),
};

declare const console: { warn(message: string): void; error(message: string): void };

export function serviceDefaults(o: AWSTranscribeSTTServiceOptions): ServiceDefaults {
  return {
    frameMs: o.frameMs ?? 100,
    stopTimeoutMs: o.stopTimeoutMs ?? 5000,
    connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
    credentialsTimeoutMs: o.credentialsTimeoutMs ?? 10_000,
    reconnectOnError: o.reconnectOnError ?? true,
    maxReconnectAttempts: o.maxReconnectAttempts ?? 3,
    bufferSeconds: o.bufferSeconds ?? 15,
    replaySeconds: o.replaySeconds ?? 10,
    keepAliveMs: o.keepAliveMs ?? 10_000,
    // AWS ends a stream at 4 hours: rotate a minute before.
    maxStreamDurationMs: o.maxStreamDurationMs ?? MAX_STREAM_MS - 60_000,
    idleTimeoutMs: o.idleTimeoutMs ?? 15_000,
    ttfsP99Latency: o.ttfsP99Latency ?? DEFAULT_TTFS_P99,
    ttfsWindowMs: o.ttfsWindowMs ?? 2000,
  };
}
