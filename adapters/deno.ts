/**
 * Deno: the global WebSocket, node:zlib's native CRC-32 (about 8x the table's speed on Deno 2), and
 * credentials from options, then `Deno.env` — read only where the
 * script was granted the permission (`--allow-env`, or `--allow-env=AWS_ACCESS_KEY_ID,…`), so a
 * library never triggers a permission prompt or a `NotCapable` throw. Without the permission and
 * without keys, the first connect fails with NO_CREDENTIALS naming the flag to add. A refused
 * handshake is explained by a plain `fetch` of the same URL (needs only --allow-net).
 */

import { AWSTranscribeSTTService as CoreService, TranscribeError, webSocketFactory } from '../core/index.js';
import type {
  AWSTranscribeSTTServiceOptions,
  CredentialProvider,
  ServiceRuntime,
  SocketFactory,
  WebSocketConstructorLike,
} from '../core/index.js';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { PcmPipeline } from '../dsp/index.js';
import { fetchHandshakeDiagnosis } from './fetch-handshake.js';
import { installNativeCrc32 } from './native-crc32.js';

export * from '../core/index.js';
export { presignedUrlHandler } from './presigned-url-handler.js';
export type { OptInParameter, PresignedUrlHandlerOptions } from './presigned-url-handler.js';

/** The part of the `Deno` namespace used here (so the package needs no Deno typings). */
interface DenoLike {
  env: { get(name: string): string | undefined };
  permissions?: { querySync?(desc: { name: 'env'; variable?: string }): { state: 'granted' | 'denied' | 'prompt' } };
}

const ENV_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

function deno(): DenoLike | undefined {
  return (globalThis as { Deno?: DenoLike }).Deno;
}

/**
 * An environment reader that asks only for what was granted; `refused` collects the names it was
 * not allowed to read, for the error message.
 */
export function denoEnv(refused: Set<string> = new Set()): (name: string) => string | undefined {
  return (name) => {
    const d = deno();
    if (!d) return undefined;
    try {
      // 'prompt' would stop the program to ask the user; only 'granted' is read.
      const state = d.permissions?.querySync?.({ name: 'env', variable: name }).state ?? 'granted';
      if (state !== 'granted') {
        refused.add(name);
        return undefined;
      }
      return d.env.get(name);
    } catch {
      // NotCapable / PermissionDenied on Deno versions without querySync.
      refused.add(name);
      return undefined;
    }
  };
}

/** What the service falls back to when no keys were found: an explanation, never a prompt. */
function missingCredentials(refused: Set<string>): CredentialProvider {
  return () => {
    const blocked = ENV_NAMES.filter((n) => refused.has(n));
    throw new TranscribeError(
      'NO_CREDENTIALS',
      blocked.length > 0
        ? `no AWS credentials: this Deno program may not read ${blocked.join(', ')}; run it with ` +
            `--allow-env=${ENV_NAMES.join(',')} or pass apiKey and awsAccessKeyId (or a credentials provider)`
        : 'no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass apiKey and awsAccessKeyId ' +
            '(or a credentials provider)',
    );
  };
}

/** Use node:zlib's CRC-32 for event-stream frames; false (and nothing changed) where it disagrees with zlib's. */
export function useNativeCrc32(): boolean {
  return installNativeCrc32(zlibCrc32);
}

/**
 * Deno reports an abnormal closure (connection lost, no close frame) as code 0 where WHATWG says
 * 1006; the service and its users read 1006.
 */
function abnormalAs1006(factory: SocketFactory): SocketFactory {
  return (url, events) =>
    factory(url, {
      open: () => events.open(),
      message: (data) => events.message(data),
      close: (info) => events.close(info.code >= 1000 ? info : { ...info, code: 1006 }),
      diagnosing: (info) => events.diagnosing?.(info.code >= 1000 ? info : { ...info, code: 1006 }),
    });
}

/** What the Deno adapter injects into the core service; `overrides` replace any part. */
export function denoRuntime(
  overrides: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {},
): ServiceRuntime {
  const { WebSocket: ws, ...rest } = overrides;
  const WebSocketImpl = ws ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (!WebSocketImpl) {
    throw new TranscribeError('RUNTIME_UNSUPPORTED', 'this Deno has no global WebSocket: pass { WebSocket }');
  }
  const refused = new Set<string>();
  useNativeCrc32();
  return {
    socketFactory: abnormalAs1006(webSocketFactory(WebSocketImpl, fetchHandshakeDiagnosis())),
    env: denoEnv(refused),
    defaultCredentials: missingCredentials(refused),
    createAudioPipeline: (o) => new PcmPipeline(o),
    randomUUID: () => crypto.randomUUID(),
    ...rest,
  };
}

/** `AWSTranscribeSTTService` wired for Deno. */
export class AWSTranscribeSTTService extends CoreService {
  constructor(
    options: AWSTranscribeSTTServiceOptions = {},
    runtime: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {},
  ) {
    super(options, denoRuntime(runtime));
  }
}
