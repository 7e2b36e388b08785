/**
 * `transcribe-stream/server`: your backend's side of the presigned-URL handoff, for any server
 * runtime with WHATWG Request/Response (Node 22 through nodeHttpListener, Deno, Bun, Workers).
 *
 *   const handler = presignedUrlHandler({ region: 'us-east-1', credentials: serverCredentials });
 *   Deno.serve((req) => new URL(req.url).pathname === '/transcribe-url' ? handler(req) : …);
 */

export { MAX_HANDOFF_EXPIRES, presignedUrlHandler } from './presigned-url-handler.js';
export type { OptInParameter, PresignedUrlHandlerOptions } from './presigned-url-handler.js';
export type {
  PresignedUrlAnswer,
  PresignedUrlError,
  PresignedUrlErrorCode,
  PresignedUrlRequestBody,
} from './presigned-url-wire.js';
export { OptionError, TranscribeError, transcribeUrl } from '../core/index.js';
export type { CredentialProvider, Credentials, TranscribeUrlOptions, UrlParameters } from '../core/index.js';
