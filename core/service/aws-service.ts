/**
 * AWSTranscribeSTTService: the service with both ways to connect. With credentials (the keys, a
 * provider, the environment or the runtime's default chain) it signs each stream's URL itself;
 * with a `url` provider it asks for one instead, and still checks the stream parameters locally
 * before start() (the signer is in this bundle anyway). Adapters extend this class.
 */

import type { AWSTranscribeSTTServiceOptions, ServiceRuntime } from './options.js';
import { TranscribeSTTServiceBase } from './service.js';
import type { TargetSourceFactory } from './streams/connect-target.js';
import { providedSource } from './streams/provided-target.js';
import { checkStreamParameters, signedSource } from './streams/signed-target.js';

/** Any region will do to check parameters: with a URL provider the backend picks the real one. */
const CHECK_REGION = 'us-east-1';

const eitherWay: TargetSourceFactory = (host) =>
  host.options.url === undefined
    ? signedSource(host)
    : providedSource(host, (params, lang) =>
        checkStreamParameters(CHECK_REGION, host.wireRate(), params, lang, host.now()),
      );

export class AWSTranscribeSTTService extends TranscribeSTTServiceBase {
  constructor(options: AWSTranscribeSTTServiceOptions, runtime: ServiceRuntime) {
    super(options, runtime, eitherWay);
  }
}
