/**
 * Browsers (and any WHATWG runtime without an environment: React Native, browser Web Workers).
 * The global WebSocket; no environment is ever read; credentials are passed in, as a provider.
 *
 * Recommended: no credentials in the page at all. Your backend signs a short-lived URL for each
 * stream (`presignedUrlHandler` from `transcribe-stream/server`), and the page passes
 * `url: presignedUrlProvider('/transcribe-url')`. For the smallest bundle (no SigV4 code), import the
 * service from `transcribe-stream/web-presigned` instead of this entry.
 *
 * Otherwise, getting credentials to a browser safely. Anything in the page can be read by its user, so:
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

import { AWSTranscribeSTTService as CoreService, OptionError } from '../core/index.js';
import type { AWSTranscribeSTTServiceOptions } from '../core/index.js';
import { webRuntime } from './web-runtime.js';
import type { WebRuntimeOverrides } from './web-runtime.js';

export * from '../core/index.js';
export { cognitoCredentials } from './web-cognito.js';
export type { CognitoCredentialsOptions } from './web-cognito.js';
export { presignedUrlProvider } from './presigned-url-provider.js';
export type { PresignedUrlProviderOptions } from './presigned-url-provider.js';
export { webRuntime } from './web-runtime.js';
export type { WebRuntimeOverrides } from './web-runtime.js';

/**
 * `AWSTranscribeSTTService` wired for browsers: a `url` provider, or `credentials` (or the key pair), must be
 * given.
 */
export class AWSTranscribeSTTService extends CoreService {
  constructor(options: AWSTranscribeSTTServiceOptions = {}, runtime: WebRuntimeOverrides = {}) {
    if (
      options.url === undefined &&
      options.credentials === undefined &&
      options.apiKey === undefined &&
      options.awsAccessKeyId === undefined
    ) {
      throw new OptionError(
        'credentials',
        'a browser has no environment: pass `url`, a provider of URLs your backend signs (presignedUrlProvider()), ' +
          'or `credentials`, ' +
          'a provider of temporary credentials (cognitoCredentials()); never ship long-lived keys',
      );
    }
    super(options, webRuntime(runtime));
    const given = typeof options.credentials === 'object' ? options.credentials : undefined;
    const keyId = given?.accessKeyId ?? options.awsAccessKeyId;
    const token = given ? given.sessionToken : options.awsSessionToken;
    if (keyId?.startsWith('AKIA') && !token) {
      this.log.warn?.(
        'a long-lived access key (AKIA...) in browser code can be read by anyone: use temporary credentials',
      );
    }
  }
}
