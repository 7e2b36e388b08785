/**
 * Verification of the signed event envelopes the official SDK sends (`:date` + `:chunk-signature`
 * around each encoded AudioEvent). Per the Transcribe docs and the SDK's event signer, each
 * signature chains on the previous one, starting from the URL's X-Amz-Signature:
 *
 *   string to sign = "AWS4-HMAC-SHA256-PAYLOAD" \n amzdate(:date) \n YYYYMMDD/region/transcribe/aws4_request
 *                    \n prior signature (hex) \n hex(sha256(encoded :date header)) \n hex(sha256(payload))
 *   signature = HMAC(signing key of that day, string to sign)
 */
import { timingSafeEqual } from 'node:crypto';
import { hmacSha256, sha256, toHex } from '../core/sigv4/sha256.js';
import { formatAmzDate } from './amz-date.js';

/** The `:date` header as the event-stream encodes it: name length, name, type 8, int64 ms BE. */
const DATE_HEADER = new Uint8Array(1 + 5 + 1 + 8);
DATE_HEADER.set([5, 0x3a, 0x64, 0x61, 0x74, 0x65, 8]); // 5 ':date' timestamp
const DATE_VIEW = new DataView(DATE_HEADER.buffer);

export class ChunkSignatureChain {
  private prior: string;
  private readonly secret: string;
  private readonly region: string;
  private keyDay = '';
  private key: Uint8Array = new Uint8Array(0);

  constructor(seedSignature: string, secret: string, region: string) {
    this.prior = seedSignature;
    this.secret = secret;
    this.region = region;
  }

  /** Checks the next envelope and advances the chain; false on a mismatch (the chain is then dead). */
  verify(date: Date, signature: Uint8Array, payload: Uint8Array): boolean {
    const amzDate = formatAmzDate(date.getTime());
    const day = amzDate.slice(0, 8);
    if (day !== this.keyDay) {
      // kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), "transcribe"), "aws4_request")
      const kDate = hmacSha256(`AWS4${this.secret}`, day);
      this.key = hmacSha256(hmacSha256(hmacSha256(kDate, this.region), 'transcribe'), 'aws4_request');
      this.keyDay = day;
    }
    DATE_VIEW.setBigInt64(7, BigInt(date.getTime()));
    const stringToSign =
      'AWS4-HMAC-SHA256-PAYLOAD\n' +
      amzDate +
      '\n' +
      `${day}/${this.region}/transcribe/aws4_request\n` +
      this.prior +
      '\n' +
      toHex(sha256(DATE_HEADER)) +
      '\n' +
      toHex(sha256(payload));
    const expected = hmacSha256(this.key, stringToSign);
    const ok = signature.length === expected.length && timingSafeEqual(signature, expected);
    this.prior = toHex(ok ? expected : signature);
    return ok;
  }
}
