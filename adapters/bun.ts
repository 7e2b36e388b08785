/**
 * Bun: the global WebSocket, credentials from options, then `Bun.env`, and Bun's native CRC-32
 * (`Bun.hash.crc32`, several times the table's speed) for event-stream frames — used only after it
 * proved to compute zlib's CRC-32, incremental form included, on this Bun.
 */

import { AWSTranscribeSTTService as CoreService, crc32Table, setCrc32Implementation, webSocketFactory } from '../core/index.js';
import type { AWSTranscribeSTTServiceOptions, ServiceRuntime, WebSocketConstructorLike } from '../core/index.js';
import { PcmPipeline } from '../dsp/index.js';
import { fetchHandshakeDiagnosis } from './fetch-handshake.js';

export * from '../core/index.js';

/** The part of the `Bun` global used here (so the package needs no Bun typings). */
interface BunLike {
  env: Record<string, string | undefined>;
  hash?: { crc32?(data: Uint8Array, seed?: number): number };
}

function bun(): BunLike | undefined {
  return (globalThis as { Bun?: BunLike }).Bun;
}

/** Known answers: the CRC-32 check value ("123456789"), and a continuation from a previous CRC. */
function agreesWithZlib(native: (data: Uint8Array, seed?: number) => number): boolean {
  const check = new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);
  const block = new Uint8Array(1031);
  for (let i = 0; i < block.length; i++) block[i] = (i * 131 + 7) & 0xff;
  const view = block.subarray(5, 1029);
  return (
    native(check) >>> 0 === 0xcbf43926 &&
    native(view, 0x1234abcd) >>> 0 === crc32Table(view, 0x1234abcd) &&
    native(new Uint8Array(0), 0xdeadbeef) >>> 0 === 0xdeadbeef
  );
}

/** Use `Bun.hash.crc32` for event-stream frames; false (and nothing changed) where it is missing or disagrees. */
export function useNativeCrc32(): boolean {
  const native = bun()?.hash?.crc32;
  if (typeof native !== 'function' || !agreesWithZlib(native)) return false;
  setCrc32Implementation((data, previous) => native(data, previous ?? 0) >>> 0);
  return true;
}

/** What the Bun adapter injects into the core service; `overrides` replace any part. */
export function bunRuntime(overrides: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {}): ServiceRuntime {
  const { WebSocket: ws, ...rest } = overrides;
  const WebSocketImpl = ws ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (!WebSocketImpl) throw new TypeError('no global WebSocket: pass { WebSocket }');
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
  constructor(options: AWSTranscribeSTTServiceOptions = {}, runtime: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {}) {
    super(options, bunRuntime(runtime));
  }
}
