/**
 * Browsers (and any WHATWG runtime without an environment: React Native, browser Web Workers).
 * The global WebSocket; no environment is ever read; credentials are passed in, as a provider.
 *
 * Getting credentials to a browser safely. Anything in the page can be read by its user, so:
 * - Never ship long-lived IAM user keys (`AKIA…`). The service warns when it sees one.
 * - Give the page temporary credentials (`ASIA…` + session token, minutes to an hour) for a role
 *   whose policy allows only `transcribe:StartStreamTranscriptionWebSocket` (and the medical
 *   action if you use it), and pass a provider: the service calls it again before `expiration`
 *   (5 minutes before, or at half the lifetime of shorter-lived credentials) and moves the call to
 *   a new stream signed with them, without a gap.
 * - Either from an Amazon Cognito identity pool (unauthenticated guests or your signed-in users):
 *     new AWSTranscribeSTTService({ region, credentials: cognitoCredentials({ identityPoolId, region }) })
 * - Or from your own backend, after it authenticated the user: it calls STS AssumeRole with a
 *   short DurationSeconds (e.g. 900) and a session policy scoped as above, and returns the four
 *   fields over HTTPS (never cached by the browser: `Cache-Control: no-store`):
 *     credentials: async () => {
 *       const r = await fetch('/api/transcribe-credentials', { credentials: 'include' });
 *       const c = await r.json();
 *       return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey,
 *                sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
 *     }
 * The credentials stay in the page's memory and sign each connection locally (SigV4 presigned
 * URL); they are never sent to Transcribe themselves, and never logged.
 */

import { AWSTranscribeSTTService as CoreService, OptionError, webSocketFactory } from '../core/index.js';
import type { AWSTranscribeSTTServiceOptions, ServiceRuntime, WebSocketConstructorLike } from '../core/index.js';
import { PcmPipeline } from '../dsp/index.js';

export * from '../core/index.js';
export { cognitoCredentials } from './web-cognito.js';
export type { CognitoCredentialsOptions } from './web-cognito.js';

/** What the browser adapter injects into the core service; `overrides` replace any part. */
export function webRuntime(overrides: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {}): ServiceRuntime {
  const { WebSocket: ws, ...rest } = overrides;
  const WebSocketImpl = ws ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
  if (!WebSocketImpl) throw new TypeError('no global WebSocket in this runtime: pass { WebSocket }');
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

/** `AWSTranscribeSTTService` wired for browsers: `credentials` (or the key pair) must be given. */
export class AWSTranscribeSTTService extends CoreService {
  constructor(options: AWSTranscribeSTTServiceOptions = {}, runtime: Partial<ServiceRuntime> & { WebSocket?: WebSocketConstructorLike } = {}) {
    if (options.credentials === undefined && options.apiKey === undefined && options.awsAccessKeyId === undefined) {
      throw new OptionError(
        'credentials',
        'a browser has no environment: pass `credentials`, a provider of temporary credentials (cognitoCredentials() or your backend); never ship long-lived keys',
      );
    }
    super(options, webRuntime(runtime));
    const given = typeof options.credentials === 'object' ? options.credentials : undefined;
    const keyId = given?.accessKeyId ?? options.awsAccessKeyId;
    const token = given ? given.sessionToken : options.awsSessionToken;
    if (keyId?.startsWith('AKIA') && !token) {
      this.log.warn?.('a long-lived access key (AKIA...) in browser code can be read by anyone: use temporary credentials');
    }
  }
}
