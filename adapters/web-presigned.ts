/**
 * Browsers, URL-only (`transcribe-stream/web-presigned`): the service connects with URLs your
 * backend signs (presignedUrlHandler) and holds no credentials, so its bundle has no SigV4 or
 * SHA-256 code. Same service, same events as `transcribe-stream/web`, less the credential options.
 *
 *   const stt = new AWSTranscribeSTTService({ url: presignedUrlProvider('/transcribe-url') });
 */

import { PresignedTranscribeSTTService } from '../core/index.js';
import type { PresignedServiceOptions } from '../core/index.js';
import { webRuntime } from './web-runtime.js';
import type { WebRuntimeOverrides } from './web-runtime.js';

export { Language, OptionError, PresignedTranscribeSTTService, TranscribeError } from '../core/index.js';
export type * from '../core/index.js';
export { presignedUrlProvider } from './presigned-url-provider.js';
export type { FetchLike, PresignedUrlProviderOptions } from './presigned-url-provider.js';
export { webRuntime } from './web-runtime.js';
export type { WebRuntimeOverrides } from './web-runtime.js';

/** `AWSTranscribeSTTService` for browsers, URL-only: `url` (a provider of presigned URLs) is required. */
export class AWSTranscribeSTTService extends PresignedTranscribeSTTService {
  constructor(options: PresignedServiceOptions, runtime: WebRuntimeOverrides = {}) {
    super(options, webRuntime(runtime));
  }
}
