/**
 * The little protocol between `presignedUrlProvider` (the page) and `presignedUrlHandler` (your
 * server): one POST of JSON per stream. Types only, so the page's bundle gets nothing of the server's.
 *
 *   POST /transcribe-url   Content-Type: application/json
 *   { "parameters": { "languageCode": "en-US", "sampleRate": 16000, "mediaEncoding": "pcm", … } }
 *
 *   200 { "url": "wss://transcribestreaming.…?…&X-Amz-Signature=…", "expiresAt": "2026-01-01T00:00:30.000Z" }
 *   4xx/5xx { "error": { "code": "NOT_ALLOWED", "message": "…", "option": "vocabularyName" } }
 *
 * Answers carry `Cache-Control: no-store`: a URL is for one connection, never to be reused.
 */

import type { UrlParameters } from '../core/index.js';

export interface PresignedUrlRequestBody {
  /** `UrlRequest.parameters`: what the service wants signed. */
  parameters: UrlParameters;
}

export interface PresignedUrlAnswer {
  url: string;
  /** ISO 8601: X-Amz-Date + X-Amz-Expires. */
  expiresAt: string;
}

export type PresignedUrlErrorCode = 'NOT_ALLOWED' | 'INVALID_OPTION' | 'BAD_REQUEST' | 'FORBIDDEN' | 'NO_CREDENTIALS';

export interface PresignedUrlError {
  error: { code: PresignedUrlErrorCode; message: string; option?: string };
}
