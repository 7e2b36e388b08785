/**
 * PresignedTranscribeSTTService: the service that connects only with URLs from a `url` provider
 * (your backend signs them). It holds no credentials and its bundle has no SigV4 or SHA-256 code:
 * stream parameters are checked by the backend's `transcribeUrl`, and the service checks every URL
 * it gets against its settings before connecting.
 */

import type { AWSTranscribeSTTServiceOptions, ServiceRuntime } from './options.js';
import { TranscribeSTTServiceBase } from './service.js';
import { providedSource } from './streams/provided-target.js';
import type { UrlProvider } from './url-request.js';

/** The service options less those that sign or choose a host (the backend does both), with `url` required. */
export type PresignedServiceOptions = Omit<
  AWSTranscribeSTTServiceOptions,
  'apiKey' | 'awsAccessKeyId' | 'awsSessionToken' | 'credentials' | 'region' | 'endpoint' | 'fips' | 'dualStack' | 'url'
> & { url: UrlProvider };

export class PresignedTranscribeSTTService extends TranscribeSTTServiceBase {
  constructor(options: PresignedServiceOptions, runtime: ServiceRuntime) {
    super(options, runtime, (host) => providedSource(host));
  }
}
