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

import { OptionError } from './errors.js';
import { hmacHexWithState, hmacSha256, hmacState, hmacWithState, sha256Hex, sha256HexParts } from './sha256.js';
import { canonicalComponent, uriEncode } from './uri-encode.js';

/** AWS credentials. `expiration` is informational here; providers use it to refresh. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

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

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const DEFAULT_EXPIRES = 900;
const MAX_EXPIRES = 604800;
const DEFAULT_PORTS: Record<string, string> = { http: '80', ws: '80', https: '443', wss: '443' };
/**
 * The X-Amz-* query parameters of a presigned URL: authentication, not request settings. This
 * signer sets them; copies already in the URL (a re-sign) are replaced, not doubled.
 */
export const AUTH_PARAMS: ReadonlySet<string> = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
]);
const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/;
const TOKEN_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SCOPE_PART_RE = /^[A-Za-z0-9._-]+$/;

/** A query parameter in canonical (RFC 3986-encoded) form. */
export interface QueryPair {
  k: string;
  v: string;
}

function byKeyThenValue(a: QueryPair, b: QueryPair): number {
  if (a.k !== b.k) return a.k < b.k ? -1 : 1;
  return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

// --- signing key cache ---------------------------------------------------------------------------

interface KeyEntry {
  secret: string;
  day: string;
  region: string;
  service: string;
  /** HMAC midstates of the derived key; never leaves this module. */
  state: Int32Array;
}

/** A handful of entries covers key rotation and a few regions; most-recent first. */
const KEY_CACHE_SIZE = 8;
const keyCache: KeyEntry[] = [];

/** The SigV4 signing key for (secret, day, region, service), as HMAC midstates, cached. */
function signingKeyState(secret: string, day: string, region: string, service: string): Int32Array {
  for (let i = 0; i < keyCache.length; i++) {
    const e = keyCache[i]!;
    if (e.day === day && e.region === region && e.service === service && e.secret === secret) {
      if (i > 0) {
        keyCache.splice(i, 1);
        keyCache.unshift(e);
      }
      return e.state;
    }
  }
  // kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")
  const kDate = hmacWithState(hmacState('AWS4' + secret), day);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  const kSigning = hmacSha256(kService, 'aws4_request');
  const state = hmacState(kSigning);
  kDate.fill(0);
  kRegion.fill(0);
  kService.fill(0);
  kSigning.fill(0);
  keyCache.unshift({ secret, day, region, service, state });
  if (keyCache.length > KEY_CACHE_SIZE) keyCache.pop()!.state.fill(0);
  return state;
}

/** Forget every derived signing key (e.g. after rotating credentials). */
export function clearSigningKeyCache(): void {
  for (const e of keyCache) e.state.fill(0);
  keyCache.length = 0;
  lastToken = lastTokenEncoded = '';
}

// --- helpers -------------------------------------------------------------------------------------

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** `YYYYMMDDTHHMMSSZ` (ISO 8601 basic, UTC). */
function amzDate(d: Date): string {
  const y = d.getUTCFullYear();
  return [
    y < 1000 ? String(y).padStart(4, '0') : String(y),
    pad2(d.getUTCMonth() + 1),
    pad2(d.getUTCDate()),
    'T',
    pad2(d.getUTCHours()),
    pad2(d.getUTCMinutes()),
    pad2(d.getUTCSeconds()),
    'Z',
  ].join(''); // join, not `+`: a flat string hashes faster than a rope (see sha256HexParts)
}

const HEADER_WS_RE = /[\t\r\n]| {2}|^ | $/;

/** Canonical header value: folded lines (CR/LF) become spaces, runs of spaces/tabs one space, ends trimmed. */
function canonicalHeaderValue(v: string): string {
  if (!HEADER_WS_RE.test(v)) return v;
  return v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/** Remove empty, `.` and `..` segments (RFC 3986 §5.2.4 as SigV4 applies it), keeping edge slashes. */
function normalizePathSegments(path: string): string {
  if (path.indexOf('//') < 0 && path.indexOf('/.') < 0 && path[0] === '/') return path;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const lead = path[0] === '/' ? '/' : '';
  const trail = out.length > 0 && path[path.length - 1] === '/' ? '/' : '';
  return lead + out.join('/') + trail;
}

/** An absolute URL split the way the signer needs it (internal). */
export interface ParsedUrl {
  scheme: string;
  /** Lower-cased host with its port unless default: both the authority written and the `host` signed. */
  host: string;
  path: string;
  query: string;
}

/** Split an absolute URL; throws `OptionError('url')` (internal). */
export function parseUrl(url: string): ParsedUrl {
  const m = URL_RE.exec(url);
  if (m === null) throw new OptionError('url', 'must be an absolute URL such as wss://host:port/path?query');
  const scheme = m[1]!.toLowerCase();
  let authority = m[2]!;
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1); // credentials in the URL are never sent or signed
  let host: string;
  let port = '';
  if (authority[0] === '[') {
    const close = authority.indexOf(']');
    if (close < 0) throw new OptionError('url', 'has an unterminated IPv6 host');
    host = authority.slice(0, close + 1);
    const rest = authority.slice(close + 1);
    if (rest !== '') {
      if (rest[0] !== ':') throw new OptionError('url', 'has junk after its IPv6 host');
      port = rest.slice(1);
    }
  } else {
    const colon = authority.lastIndexOf(':');
    host = colon < 0 ? authority : authority.slice(0, colon);
    if (colon >= 0) port = authority.slice(colon + 1);
  }
  if (host === '' || /[\s<>"{}|\\^`]/.test(host)) throw new OptionError('url', 'has no valid host');
  if (port !== '') {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new OptionError('url', 'has an invalid port');
    port = String(Number(port));
  }
  if (port === DEFAULT_PORTS[scheme]) port = '';
  return {
    scheme,
    host: port === '' ? host.toLowerCase() : [host.toLowerCase(), ':', port].join(''),
    path: m[3] === '' ? '/' : m[3]!,
    query: m[4] ?? '',
  };
}

function validCredentials(c: Credentials): void {
  if (c === null || typeof c !== 'object') throw new OptionError('credentials', 'are required ({ accessKeyId, secretAccessKey, sessionToken? })');
  if (typeof c.accessKeyId !== 'string' || c.accessKeyId === '')
    throw new OptionError('credentials.accessKeyId', 'must be a non-empty string');
  if (typeof c.secretAccessKey !== 'string' || c.secretAccessKey === '')
    throw new OptionError('credentials.secretAccessKey', 'must be a non-empty string');
  if (c.sessionToken !== undefined && typeof c.sessionToken !== 'string')
    throw new OptionError('credentials.sessionToken', 'must be a string when given');
}

// --- presign -------------------------------------------------------------------------------------

/** Validate everything but the URL; returns the resolved defaults. */
function checked(req: SignOptions): { method: string; expiresIn: number; date: Date; payloadHash: string } {
  if (req === null || typeof req !== 'object') throw new OptionError('request', 'must be an object');
  const method = req.method ?? 'GET';
  if (typeof method !== 'string' || !TOKEN_RE.test(method)) throw new OptionError('method', 'must be an HTTP method name such as GET');
  if (typeof req.service !== 'string' || !SCOPE_PART_RE.test(req.service))
    throw new OptionError('service', 'must be a service signing name such as "transcribe"');
  if (typeof req.region !== 'string' || !SCOPE_PART_RE.test(req.region)) throw new OptionError('region', 'must be a region such as "us-east-1"');
  validCredentials(req.credentials);
  const expiresIn = req.expiresIn ?? DEFAULT_EXPIRES;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES)
    throw new OptionError('expiresIn', `must be a whole number of seconds from 1 to ${MAX_EXPIRES}, got ${String(expiresIn)}`);
  const date = req.date ?? new Date();
  if (typeof date !== 'object' || date === null || typeof date.getTime !== 'function' || Number.isNaN(date.getTime()))
    throw new OptionError('date', 'must be a valid Date');
  let payloadHash = req.payloadHash;
  if (payloadHash === undefined) payloadHash = req.body === undefined || req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body);
  else if (typeof payloadHash !== 'string' || payloadHash === '' || /\s/.test(payloadHash))
    throw new OptionError('payloadHash', 'must be a hex SHA-256 or UNSIGNED-PAYLOAD');
  return { method, expiresIn, date, payloadHash };
}

/** The URL's own query parameters in canonical form, minus the ones this signer sets. */
function urlPairs(query: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  if (query === '') return pairs;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = canonicalComponent(eq < 0 ? part : part.slice(0, eq));
    if (AUTH_PARAMS.has(k) || (k.length === 15 && k.toLowerCase() === 'x-amz-signature')) continue;
    pairs.push({ k, v: eq < 0 ? '' : canonicalComponent(part.slice(eq + 1)) });
  }
  return pairs;
}

/** Signed header names (sorted) and their canonical values. */
function canonicalHeaders(urlHost: string, given: PresignRequest['headers']): { names: string[]; values: Map<string, string> | null } {
  if (given === undefined) return { names: ['host'], values: null }; // the usual case: `host` alone
  const values = new Map<string, string>();
  values.set('host', urlHost);
  let hostGiven = false;
  for (const name of Object.keys(given)) {
    const raw = given[name]!;
    if (!TOKEN_RE.test(name)) throw new OptionError('headers', `has an invalid header name ${JSON.stringify(name)}`);
    const lname = name.toLowerCase();
    const list = typeof raw === 'string' ? [raw] : raw;
    for (const value of list) {
      if (typeof value !== 'string') throw new OptionError('headers', `value of ${name} must be a string`);
      const v = canonicalHeaderValue(value);
      if (lname === 'host' && !hostGiven) {
        hostGiven = true; // a given Host replaces the one derived from the URL
        values.set('host', v);
      } else {
        const prev = values.get(lname);
        values.set(lname, prev === undefined ? v : prev + ',' + v);
      }
    }
  }
  return { names: Array.from(values.keys()).sort(), values };
}

// STS tokens run to hundreds of characters and stay the same for an hour or more: encode once.
let lastToken = '';
let lastTokenEncoded = '';
function encodedToken(token: string): string {
  if (token !== lastToken) {
    lastTokenEncoded = uriEncode(token);
    lastToken = token;
  }
  return lastTokenEncoded;
}

/** `X-Amz-Credential`'s value, encoded piecewise (the pieces rarely need it; the slashes always do). */
function credentialParam(accessKeyId: string, shortDay: string, region: string, service: string): string {
  return [uriEncode(accessKeyId), '%2F', shortDay, '%2F', uriEncode(region), '%2F', uriEncode(service), '%2Faws4_request'].join('');
}

/**
 * Sign `url` (parsed) with its canonical query `pairs` (which this sorts in place, after adding
 * the auth parameters). With `details` false only the URL is made: the canonical request is
 * hashed from its pieces and never joined.
 */
function sign(req: SignOptions, url: ParsedUrl, pairs: QueryPair[], details: boolean): PresignedRequest | string {
  const { method, expiresIn, date, payloadHash } = checked(req);
  const { credentials, region, service } = req;
  const headers = canonicalHeaders(url.host, req.headers);
  const names = headers.names;
  const signedHeaders = names.length === 1 ? names[0]! : names.join(';');

  const day = amzDate(date);
  const shortDay = day.slice(0, 8);
  const token = credentials.sessionToken === undefined || credentials.sessionToken === '' ? undefined : encodedToken(credentials.sessionToken);
  const tokenSigned = token !== undefined && req.omitSessionTokenFromSignature !== true;
  pairs.push(
    { k: 'X-Amz-Algorithm', v: ALGORITHM },
    { k: 'X-Amz-Credential', v: credentialParam(credentials.accessKeyId, shortDay, region, service) },
    { k: 'X-Amz-Date', v: day },
    { k: 'X-Amz-Expires', v: String(expiresIn) },
    { k: 'X-Amz-SignedHeaders', v: names.length === 1 ? signedHeaders : uriEncode(signedHeaders) },
  );
  if (tokenSigned) pairs.push({ k: 'X-Amz-Security-Token', v: token });
  pairs.sort(byKeyThenValue);

  let canonicalPath = url.path;
  if (req.normalizePath !== false) canonicalPath = normalizePathSegments(canonicalPath);
  if (req.uriEscapePath !== false) canonicalPath = uriEncode(canonicalPath, true);

  // Canonical request: method, path, query, headers, blank line, signed header list, payload hash.
  const parts: string[] = [method, '\n', canonicalPath, '\n'];
  let query = '';
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    if (i > 0) {
      parts.push('&');
      query += '&';
    }
    parts.push(p.k, '=', p.v);
    query += p.k + '=' + p.v;
  }
  parts.push('\n');
  for (const n of names) parts.push(n, ':', headers.values === null ? url.host : headers.values.get(n)!, '\n');
  parts.push('\n', signedHeaders, '\n', payloadHash);

  const scope = shortDay + '/' + region + '/' + service + '/aws4_request';
  const stringToSign = [ALGORITHM, day, scope, sha256HexParts(parts)].join('\n');
  const signature = hmacHexWithState(signingKeyState(credentials.secretAccessKey, shortDay, region, service), stringToSign);

  // The URL carries the canonical query itself, then the signature.
  if (token !== undefined && !tokenSigned) query += '&X-Amz-Security-Token=' + token;
  const signedUrl = url.scheme + '://' + url.host + url.path + '?' + query + '&X-Amz-Signature=' + signature;
  if (!details) return signedUrl;
  return { url: signedUrl, canonicalRequest: parts.join(''), stringToSign, signedHeaders, signature };
}

function parsed(req: PresignRequest): ParsedUrl {
  if (req === null || typeof req !== 'object') throw new OptionError('request', 'must be an object');
  return parseUrl(typeof req.url === 'string' ? req.url : String(req.url));
}

/** Presign `req` and return the URL together with the canonical request and string to sign. */
export function presignRequest(req: PresignRequest): PresignedRequest {
  const url = parsed(req);
  return sign(req, url, urlPairs(url.query), true) as PresignedRequest;
}

/** The presigned URL for `req` (see `PresignRequest`); synchronous. */
export function presignUrl(req: PresignRequest): string {
  const url = parsed(req);
  return sign(req, url, urlPairs(url.query), false) as string;
}

/** Everything `PresignRequest` has but the URL. */
export type SignOptions = Omit<PresignRequest, 'url'>;

/**
 * Internal (not in the public index): presign a URL already split into `url` (its `query` is
 * ignored) with `pairs` already in canonical form. Lets `transcribeUrl` skip writing a query string
 * only to parse it back.
 */
export function presignParsed(req: SignOptions, url: ParsedUrl, pairs: QueryPair[]): string {
  if (req === null || typeof req !== 'object') throw new OptionError('request', 'must be an object');
  return sign(req, url, pairs, false) as string;
}

/**
 * `url` with its secrets blanked, for logs and error messages: the values of `X-Amz-Signature` and
 * `X-Amz-Security-Token`, the access key id in `X-Amz-Credential` (the scope after it stays), and
 * any user:password in the authority. Everything else keeps its shape.
 */
export function redactUrl(url: string | URL): string {
  let s = typeof url === 'string' ? url : String(url);
  const scheme = s.indexOf('://');
  if (scheme >= 0) {
    const authEnd = s.slice(scheme + 3).search(/[/?#]/);
    const authority = authEnd < 0 ? s.slice(scheme + 3) : s.slice(scheme + 3, scheme + 3 + authEnd);
    const at = authority.lastIndexOf('@');
    if (at >= 0) s = s.slice(0, scheme + 3) + 'REDACTED@' + s.slice(scheme + 3 + at + 1);
  }
  const q = s.indexOf('?');
  if (q < 0) return s;
  const hash = s.indexOf('#', q);
  const end = hash < 0 ? s.length : hash;
  const parts = s.slice(q + 1, end).split('&');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).toLowerCase();
    if (name === 'x-amz-signature' || name === 'x-amz-security-token') {
      parts[i] = p.slice(0, eq + 1) + 'REDACTED';
    } else if (name === 'x-amz-credential') {
      const value = p.slice(eq + 1);
      const sep = /%2F|\//i.exec(value);
      parts[i] = p.slice(0, eq + 1) + 'REDACTED' + (sep === null ? '' : value.slice(sep.index));
    }
  }
  return s.slice(0, q + 1) + parts.join('&') + s.slice(end);
}
