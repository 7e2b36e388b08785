/**
 * AWS Signature Version 4, query-string ("presigned URL") form, synchronous and self-contained:
 * the core signs with its own SHA-256 so it runs where WebCrypto is missing, and a synchronous
 * signer lets a reconnect build its URL without an await in the middle.
 *
 * The rules, per the SigV4 docs and the aws-c-auth test suite: RFC 3986 encoding (uri-encode.ts);
 * the path normalised and encoded once more for non-S3 services; the query sorted by encoded name
 * then value, every X-Amz-* parameter but the signature inside it; header names lower-cased and
 * sorted, values trimmed with inner runs of spaces collapsed, repeated headers comma-joined;
 * `host` always signed, with its port unless it is the scheme's default.
 */

import { OptionError } from '../errors.js';
import { hmac, hmacState, sha256, sha256Parts, toHex } from './sha256.js';
import { canonicalComponent, uriEncode } from '../encoding/uri-encode.js';
import type { Credentials } from './credentials.js';

/** What `presignUrl` and `presignRequest` sign (the credentials' `expiration` is not used here). */
export interface PresignRequest {
  /** HTTP method of the request the URL is for; `GET` by default (WebSocket upgrades are GETs). */
  method?: string | undefined;
  /** Absolute URL. Its path is taken as sent on the wire; its query joins the signed query. */
  url: string | URL;
  /**
   * Headers the request will carry and that must be signed, besides `host` (derived from the URL
   * unless given here). Names are case-insensitive; values of one name given twice (or as an
   * array) are comma-joined in order.
   */
  headers?: Record<string, string | readonly string[]> | undefined;
  /** Request body whose SHA-256 is signed; empty by default. */
  body?: Uint8Array | string | undefined;
  /** Hex payload hash (or `UNSIGNED-PAYLOAD`) to sign instead of hashing `body`. */
  payloadHash?: string | undefined;
  service: string;
  region: string;
  credentials: Credentials;
  /**
   * Seconds the URL stays valid, 1..604800 (SigV4's one-week limit). Default 900: a presigned URL
   * is a bearer credential, so it should die soon after the connect it was made for; 15 minutes
   * still covers a URL handed to another process or a slow handshake. (Transcribe caps it at 300.)
   */
  expiresIn?: number | undefined;
  /** Signing time; now by default. */
  date?: Date | undefined;
  /** Encode the path once more, as every service but S3 expects (default true). */
  uriEscapePath?: boolean | undefined;
  /** Remove `.`/`..` segments and empty segments from the signed path (default true; S3: false). */
  normalizePath?: boolean | undefined;
  /** Append `X-Amz-Security-Token` after signing instead of signing it (a few services want that). */
  omitSessionTokenFromSignature?: boolean | undefined;
}

/** A presigned URL with the intermediate values, for debugging signature mismatches. */
export interface PresignedRequest {
  url: string;
  canonicalRequest: string;
  stringToSign: string;
  /** `;`-joined signed header names. */
  signedHeaders: string;
  signature: string;
}

/** Everything `PresignRequest` has but the URL. */
export type SignOptions = Omit<PresignRequest, 'url'>;

/** A query parameter in canonical (RFC 3986-encoded) form. */
export interface QueryPair {
  k: string;
  v: string;
}

/** An absolute URL split the way the signer needs it (internal). */
export interface ParsedUrl {
  scheme: string;
  /** Lower-cased host with its port unless default: both the authority written and the `host` signed. */
  host: string;
  /** Starts with `/`. */
  path: string;
  query: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = toHex(sha256(''));
const MAX_EXPIRES = 604800;
const DEFAULT_PORTS: Record<string, string> = { http: '80', ws: '80', https: '443', wss: '443' };
/**
 * The X-Amz-* query parameters of a presigned URL: authentication, not request settings. This
 * signer sets them; copies already in the URL (a re-sign) are replaced, not doubled.
 */
export const AUTH_PARAMS: ReadonlySet<string> = new Set(
  ['Algorithm', 'Credential', 'Date', 'Expires', 'SignedHeaders', 'Security-Token', 'Signature'].map(
    (n) => `X-Amz-${n}`,
  ),
);
/** RFC 9110 token: a method or header name. */
const TOKEN_RE = /^[!#$%&'*+.^_`|~\w-]+$/;
/** What a region or service name may hold, so the credential scope needs no encoding. */
const SCOPE_PART_RE = /^[\w.-]+$/;

function fail(option: string, message: string): never {
  throw new OptionError(option, message);
}

function check(option: string, value: unknown, re: RegExp, what: string): void {
  if (typeof value !== 'string' || !re.test(value)) fail(option, `must be ${what}`);
}

// --- signing key cache ---------------------------------------------------------------------------

/**
 * Derived signing keys (as HMAC midstates), most recently used first; a handful covers key rotation and a few
 * regions.
 */
const keyCache: { scope: string; secret: string; state: Int32Array }[] = [];

/** The SigV4 signing key for `secret` and `scope` (`day/region/service/aws4_request`), cached. */
function signingKey(secret: string, scope: string): Int32Array {
  const i = keyCache.findIndex((e) => e.scope === scope && e.secret === secret);
  if (i > 0) keyCache.unshift(keyCache.splice(i, 1)[0]!);
  else if (i < 0) {
    // kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")
    let state = hmacState(`AWS4${secret}`);
    for (const part of scope.split('/')) {
      const key = hmac(state, part);
      state.fill(0);
      state = hmacState(key);
      key.fill(0);
    }
    if (keyCache.unshift({ scope, secret, state }) > 8) keyCache.pop()!.state.fill(0);
  }
  return keyCache[0]!.state;
}

// STS tokens run to hundreds of characters and stay the same for an hour or more: encode once.
let lastToken = '';
let lastEncoded = '';
function encodedToken(token: string): string {
  if (token !== lastToken) lastEncoded = uriEncode((lastToken = token));
  return lastEncoded;
}

/** Forget every derived signing key (e.g. after rotating credentials), and the last token. */
export function clearSigningKeyCache(): void {
  for (const e of keyCache) e.state.fill(0);
  keyCache.length = 0;
  lastToken = lastEncoded = '';
}

// --- URL -----------------------------------------------------------------------------------------

/** Split an absolute URL; throws `OptionError('url')` (internal). User info is never sent or signed. */
export function parseUrl(url: string): ParsedUrl {
  const m = /^([a-z][\w+.-]*):\/\/(?:[^/?#]*@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (!m) fail('url', 'must be an absolute URL, e.g. wss://host:port/path?query');
  const scheme = m[1]!.toLowerCase();
  // A bracketed IPv6 literal or a name, then an optional port.
  const hp = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{0,5}))?$/.exec(m[2]!);
  if (!hp || /[\s<>"{}|\\^`]/.test(hp[1]!) || Number(hp[2]) > 65535)
    fail('url', 'needs a host (name or [IPv6]) and an optional port up to 65535');
  const port = hp[2] ? String(Number(hp[2])) : '';
  return {
    scheme,
    host: hp[1]!.toLowerCase() + (port && port !== DEFAULT_PORTS[scheme] ? `:${port}` : ''),
    path: m[3] || '/',
    query: m[4] ?? '',
  };
}

/** The URL's own query parameters in canonical form, minus the ones this signer sets. */
function urlPairs(query: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const k = canonicalComponent(eq < 0 ? part : part.slice(0, eq));
    if (part && !AUTH_PARAMS.has(k) && !/^x-amz-signature$/i.test(k))
      pairs.push({ k, v: eq < 0 ? '' : canonicalComponent(part.slice(eq + 1)) });
  }
  return pairs;
}

/** Remove empty, `.` and `..` segments (RFC 3986 §5.2.4 as SigV4 applies it), keeping edge slashes. */
function normalizePath(path: string): string {
  if (!/\/[/.]/.test(path)) return path; // nothing to remove (the usual case)
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg && seg !== '.') out.push(seg);
  }
  return `/${out.join('/')}${out.length && path.endsWith('/') ? '/' : ''}`;
}

/**
 * Header names lower-cased to their canonical values (RFC 9110 obs-fold and runs of blanks become one space,
 * ends trimmed).
 */
function canonicalHeaders(urlHost: string, given: PresignRequest['headers']): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of Object.keys(given ?? {})) {
    if (!TOKEN_RE.test(name)) fail('headers', `has an invalid header name ${JSON.stringify(name)}`);
    const lower = name.toLowerCase();
    for (const value of ([] as unknown[]).concat(given![name])) {
      if (typeof value !== 'string') fail('headers', `value of ${name} must be a string`);
      const v = value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
      const prev = values.get(lower);
      values.set(lower, prev === undefined ? v : `${prev},${v}`);
    }
  }
  if (!values.has('host')) values.set('host', urlHost); // a Host given replaces the URL's
  return values;
}

function byKeyThenValue(a: QueryPair, b: QueryPair): number {
  return a.k < b.k ? -1 : a.k > b.k ? 1 : a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

// --- presign -------------------------------------------------------------------------------------

/** What one signing produces: `PresignedRequest` with the canonical request still in pieces. */
interface Signed {
  url: string;
  /** Hashed piece by piece; joined only when `presignRequest` shows it (the URL alone never needs it). */
  canonicalParts: string[];
  stringToSign: string;
  signedHeaders: string;
  signature: string;
}

/**
 * Validate `req` and sign `url` (parsed from `req.url` unless given) with the canonical query
 * `pairs` (from the URL unless given; sorted in place after the auth parameters are added).
 */
function sign(req: SignOptions & { url?: string | URL }, url?: ParsedUrl, pairs?: QueryPair[]): Signed {
  if (req === null || typeof req !== 'object') fail('request', 'must be an object');
  url ??= parseUrl(String(req.url));
  pairs ??= urlPairs(url.query);

  const { credentials: c, region, service } = req;
  const method = req.method ?? 'GET';
  check('method', method, TOKEN_RE, 'an HTTP method, e.g. GET');
  check('service', service, SCOPE_PART_RE, 'a signing name, e.g. transcribe');
  check('region', region, SCOPE_PART_RE, 'a region, e.g. us-east-1');
  if (c === null || typeof c !== 'object')
    fail('credentials', 'are required: { accessKeyId, secretAccessKey, sessionToken? }');
  for (const k of ['accessKeyId', 'secretAccessKey'] as const)
    if (typeof c[k] !== 'string' || !c[k]) fail(`credentials.${k}`, 'must be a non-empty string');
  if (c.sessionToken !== undefined && typeof c.sessionToken !== 'string')
    fail('credentials.sessionToken', 'must be a string when given');
  const expiresIn = req.expiresIn ?? 900;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES)
    fail('expiresIn', `must be whole seconds from 1 to ${MAX_EXPIRES}, got ${String(expiresIn)}`);
  // A Date (of any realm: no instanceof) converts to its time value; other values become NaN.
  const given = req.date ?? new Date();
  const date = new Date(typeof given === 'object' ? +given : NaN);
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year < 1e4)) fail('date', 'must be a valid Date (years 0 to 9999)');
  // ISO 8601 basic, YYYYMMDDTHHMMSSZ, from numbers (several times faster than editing toISOString)
  const day = String(1e8 + year * 1e4 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate()).slice(1);
  const time =
    day +
    'T' +
    String(1e6 + date.getUTCHours() * 1e4 + date.getUTCMinutes() * 100 + date.getUTCSeconds()).slice(1) +
    'Z';
  let payloadHash = req.payloadHash;
  if (payloadHash === undefined) payloadHash = req.body?.length ? toHex(sha256(req.body)) : EMPTY_SHA256;
  else if (typeof payloadHash !== 'string' || !/^\S+$/.test(payloadHash))
    fail('payloadHash', 'must be a hex SHA-256 or UNSIGNED-PAYLOAD');

  const headers = canonicalHeaders(url.host, req.headers);
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const token = c.sessionToken ? encodedToken(c.sessionToken) : '';
  const tokenSigned = token && req.omitSessionTokenFromSignature !== true;
  pairs.push(
    { k: 'X-Amz-Algorithm', v: ALGORITHM },
    { k: 'X-Amz-Credential', v: `${uriEncode(c.accessKeyId)}%2F${day}%2F${region}%2F${service}%2Faws4_request` },
    { k: 'X-Amz-Date', v: time },
    { k: 'X-Amz-Expires', v: String(expiresIn) },
    { k: 'X-Amz-SignedHeaders', v: uriEncode(signedHeaders) },
  );
  if (tokenSigned) pairs.push({ k: 'X-Amz-Security-Token', v: token });
  pairs.sort(byKeyThenValue);

  let path = url.path;
  if (req.normalizePath !== false) path = normalizePath(path);
  if (req.uriEscapePath !== false) path = uriEncode(path, true);
  // Canonical request: method, path, query, header lines, blank line, signed header list, payload
  // hash. The URL carries the canonical query itself.
  const parts = [method, '\n', path, '\n'];
  let query = '';
  for (const { k, v } of pairs) {
    const sep = query && '&';
    query += `${sep}${k}=${v}`;
    parts.push(sep, k, '=', v);
  }
  parts.push('\n');
  for (const n of names) parts.push(n, ':', headers.get(n)!, '\n');
  parts.push('\n', signedHeaders, '\n', payloadHash);
  const stringToSign = `${ALGORITHM}\n${time}\n${scope}\n${toHex(sha256Parts(parts))}`;
  const signature = toHex(hmac(signingKey(c.secretAccessKey, scope), stringToSign));

  if (token && !tokenSigned) query += `&X-Amz-Security-Token=${token}`;
  const signed = `${url.scheme}://${url.host}${url.path}?${query}&X-Amz-Signature=${signature}`;
  return { url: signed, canonicalParts: parts, stringToSign, signedHeaders, signature };
}

/** Presign `req` and return the URL together with the canonical request and string to sign. */
export function presignRequest(req: PresignRequest): PresignedRequest {
  const { url, canonicalParts, stringToSign, signedHeaders, signature } = sign(req);
  return { url, canonicalRequest: canonicalParts.join(''), stringToSign, signedHeaders, signature };
}

/** The presigned URL for `req` (see `PresignRequest`); synchronous. */
export function presignUrl(req: PresignRequest): string {
  return sign(req).url;
}

/**
 * Internal (not in the public index): presign a URL already split into `url` (its `query` is
 * ignored) with `pairs` already in canonical form. Lets `transcribeUrl` skip writing a query string
 * only to parse it back.
 */
export function presignParsed(req: SignOptions, url: ParsedUrl, pairs: QueryPair[]): string {
  return sign(req, url, pairs).url;
}
