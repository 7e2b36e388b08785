/**
 * Checks a presigned upgrade URL the way AWS does: all authentication parameters present, a known
 * access key (and session token), a credential scope for this service, a date within AWS's 5-minute
 * tolerance of the emulator's clock, an unexpired URL with X-Amz-Expires <= 300 (Transcribe's cap),
 * `host` signed, and a signature recomputed over the request's real Host header with the known
 * secret. Messages follow the ones AWS returns where they are known (signature mismatch, scope
 * errors, "Signature expired"); the others are approximations.
 */
import { timingSafeEqual } from 'node:crypto';
import { presignRequest } from '../core/sigv4/sigv4.js';
import { formatAmzDate, parseAmzDate } from './amz-date.js';
import { rawWithoutAuth } from './query.js';
import type { RawQuery } from './query.js';
import type { EmulatorCredentials } from './types.js';

export interface AuthRejection {
  status: 400 | 403;
  exceptionType: string;
  message: string;
}

export interface AuthOk {
  ok: true;
  /** Hex signature of the URL: the seed of the `:chunk-signature` chain. */
  signature: string;
  region: string;
  accessKeyId: string;
}

export type AuthResult = AuthOk | { ok: false; rejection: AuthRejection };

export interface AuthInput {
  method: string;
  path: string;
  /** Request headers, names lower-cased (node's IncomingMessage.headers). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  query: RawQuery;
  credentials: EmulatorCredentials;
  /** The emulator's idea of now, in ms. */
  now: number;
  /** When set, the only region the scope may name. */
  region: string | undefined;
}

/** AWS's tolerance between X-Amz-Date and its clock. */
const SKEW_TOLERANCE_MS = 5 * 60_000;
/** Transcribe's cap on X-Amz-Expires (streaming-websocket docs). */
export const MAX_EXPIRES_SECONDS = 300;
const SERVICE = 'transcribe';
const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
  'X-Amz-Date',
] as const;

const reject = (status: 400 | 403, exceptionType: string, message: string): AuthResult => ({
  ok: false,
  rejection: { status, exceptionType, message },
});
const invalidSignature = (message: string): AuthResult => reject(403, 'InvalidSignatureException', message);
const incomplete = (message: string): AuthResult => reject(403, 'IncompleteSignatureException', message);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare lengths without an early exit on content, then the bytes in constant time.
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(headers: AuthInput['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export function verifyPresignedUrl(input: AuthInput): AuthResult {
  const q = input.query.values;
  if (REQUIRED.every((name) => !q.has(name))) {
    return reject(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  if (REQUIRED.some((name) => !q.has(name)) || !q.has('X-Amz-Expires')) {
    return incomplete(
      "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', " +
        "'X-Amz-SignedHeaders', 'X-Amz-Date', 'X-Amz-Expires'. Re-examine the query-string parameters.",
    );
  }
  const algorithm = q.get('X-Amz-Algorithm')!;
  if (algorithm !== 'AWS4-HMAC-SHA256') return incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  const amzDate = q.get('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    return incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const expiresText = q.get('X-Amz-Expires')!;
  if (!/^\d{1,9}$/.test(expiresText) || Number(expiresText) < 1) {
    return incomplete(`X-Amz-Expires must be a whole number of seconds, got '${expiresText}'.`);
  }
  const expires = Number(expiresText);
  if (expires > MAX_EXPIRES_SECONDS) {
    return invalidSignature(
      `X-Amz-Expires must be ${MAX_EXPIRES_SECONDS} seconds or less for Amazon Transcribe streaming, got ${expires}.`,
    );
  }

  const scope = q.get('X-Amz-Credential')!.split('/');
  if (scope.length !== 5 || scope.some((part) => part === '')) {
    return incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got ` +
        `'${scope.slice(1).join('/')}'`,
    );
  }
  const [accessKeyId, day, region, service, terminator] = scope as [string, string, string, string, string];
  if (day !== amzDate.slice(0, 8)) {
    return invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != ` +
        `'${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if ((input.region !== undefined && region !== input.region) || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    return invalidSignature(`Credential should be scoped to a valid region, not '${region}'. `);
  }
  if (service !== SERVICE) return invalidSignature(`Credential should be scoped to correct service: '${SERVICE}'. `);
  if (terminator !== 'aws4_request') {
    return invalidSignature(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
    );
  }

  if (!sameSecret(accessKeyId, input.credentials.accessKeyId)) {
    return reject(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const token = q.get('X-Amz-Security-Token');
  const expectedToken = input.credentials.sessionToken;
  if ((token ?? '') !== '' || expectedToken !== undefined) {
    if (token === undefined || expectedToken === undefined || !sameSecret(token, expectedToken)) {
      return reject(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
  }

  const now = input.now;
  if (signedAt > now + SKEW_TOLERANCE_MS) {
    return invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + SKEW_TOLERANCE_MS)} ` +
        `(${formatAmzDate(now)} + 5 min.)`,
    );
  }
  if (now > signedAt + expires * 1000) {
    return invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - expires * 1000)} ` +
        `(${formatAmzDate(now)} - ${expires} sec.)`,
    );
  }

  const signedHeaders = q.get('X-Amz-SignedHeaders')!.split(';');
  if (!signedHeaders.includes('host')) {
    return invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const host = header(input.headers, 'host');
  if (host === undefined || host === '')
    return invalidSignature('The request has no Host header to verify the signature against.');
  const signed: Record<string, string> = { host };
  for (const name of signedHeaders) {
    if (name === 'host') continue;
    const value = header(input.headers, name);
    if (value === undefined) return invalidSignature(`The signed header '${name}' is missing from the request.`);
    signed[name] = value;
  }

  const rest = rawWithoutAuth(input.query.raw);
  // Recompute with the known secret over what arrived: the Host header as sent, the path as sent,
  // the query without the auth pairs (presignRequest adds them back from these same values).
  let expected: ReturnType<typeof presignRequest>;
  try {
    expected = presignRequest({
      method: input.method,
      url: `http://${host}${input.path}${rest === '' ? '' : `?${rest}`}`,
      headers: signed,
      service,
      region,
      credentials: {
        accessKeyId,
        secretAccessKey: input.credentials.secretAccessKey,
        ...(token !== undefined && token !== '' ? { sessionToken: token } : {}),
      },
      expiresIn: expires,
      date: new Date(signedAt),
    });
  } catch (err) {
    return invalidSignature(`The request could not be canonicalized: ${(err as Error).message}`);
  }
  const given = q.get('X-Amz-Signature')!;
  if (expected.signedHeaders !== signedHeaders.join(';') || !sameSecret(given.toLowerCase(), expected.signature)) {
    const canonical = expected.canonicalRequest.replace(/(X-Amz-Security-Token=)[^&\n]*/, '$1REDACTED');
    return invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
        'Key and signing method. Consult the service documentation for details.\n\n' +
        `The Canonical String for this request should have been\n'${canonical}'\n\n` +
        `The String-to-Sign should have been\n'${expected.stringToSign}'\n`,
    );
  }
  return { ok: true, signature: expected.signature, region, accessKeyId };
}
