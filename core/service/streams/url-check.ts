/**
 * A URL from the application's `url` provider, checked before any socket opens: its query must
 * carry exactly the parameters the service would have signed itself (else the service would
 * decode results it did not configure: another language, another rate, speaker labels it does not
 * expect), its path must be the one for `medical`, and its scheme ws or wss. The host is not
 * checked: where to connect (region, FIPS, a proxy, the emulator) is the backend's choice.
 *
 * Plain string work, no `URL` global (the core runs in bare engines too), no signing code.
 */

import type { UrlParameters } from '../url-request.js';

/** Service options that shape the URL without being query parameters. */
const NOT_QUERY = new Set(['medical', 'endpoint', 'fips', 'dualStack', 'extraQuery']);

/** Scheme, authority, path, query; no fragment. */
const SHAPE = /^(wss?):\/\/([^/?#\s]+)([^?#\s]*)(?:\?([^#\s]*))?$/i;
/** SigV4's timestamp form, 20240102T030405Z. */
const AMZ_DATE = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;

/** The wire form of one value, as transcribeUrl writes it: lists comma-joined, items trimmed. */
function wireValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(',');
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .join(',');
  return String(v);
}

/**
 * The query parameters (wire name -> value) a URL for `p` carries, as `transcribeUrl` writes them:
 * each option in kebab-case, booleans only when true, plus `extraQuery` as given.
 */
export function expectedQuery(p: UrlParameters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [key, v] of Object.entries(p)) {
    if (v === undefined || v === false || NOT_QUERY.has(key)) continue;
    q[key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = wireValue(v);
  }
  for (const [name, value] of Object.entries(p.extraQuery ?? {})) q[name] = value;
  return q;
}

export interface InspectedUrl {
  /** Host (and port), for messages. */
  host: string;
  /** Its signature and session token, to be scrubbed from what the server sends back. */
  secrets: string[];
  /** X-Amz-Date and X-Amz-Date + X-Amz-Expires in epoch ms; undefined when the URL carries neither. */
  signedAt: number | undefined;
  expiresAt: number | undefined;
}

/** A value for a message: short, and quoted so an empty one shows. */
const shown = (v: string): string => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);

/** The query of a URL as a map; a string saying what is wrong when it cannot be read as one. */
function parseQuery(query: string): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
      value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1));
    } catch {
      return 'its query has malformed percent-encoding';
    }
    if (out.has(name)) return `its query repeats ${name}`;
    out.set(name, value);
  }
  return out;
}

/**
 * Epoch ms the URL was signed at and expires at; undefined without X-Amz-Date and X-Amz-Expires; a string when
 * they are malformed.
 */
function expiry(q: Map<string, string>): { signedAt: number; expiresAt: number } | undefined | string {
  const date = q.get('X-Amz-Date');
  const expires = q.get('X-Amz-Expires');
  if (date === undefined && expires === undefined) return undefined;
  const d = AMZ_DATE.exec(date ?? '');
  if (!d || expires === undefined || !/^\d{1,6}$/.test(expires)) {
    return (
      `its X-Amz-Date (${shown(date ?? '')}) and X-Amz-Expires (${shown(expires ?? '')}) are not a SigV4 ` +
      `timestamp and a number of seconds`
    );
  }
  const [, y, mo, day, h, mi, s] = d.map(Number) as [number, number, number, number, number, number, number];
  const signedAt = Date.UTC(y, mo - 1, day, h, mi, s);
  return { signedAt, expiresAt: signedAt + Number(expires) * 1000 };
}

/**
 * What is known of `url` once it passed the checks, or what is wrong with it (every difference
 * found, so one look at the message fixes the backend). Never quotes an X-Amz-* value.
 */
export function inspectUrl(
  url: unknown,
  expected: Readonly<Record<string, string>>,
  medical: boolean,
): InspectedUrl | { problem: string } {
  if (typeof url !== 'string')
    return { problem: `the provider must resolve to a URL string, got ${url === null ? 'null' : typeof url}` };
  const m = SHAPE.exec(url);
  if (!m) return { problem: 'it is not a ws:// or wss:// URL with no fragment' };
  const [, , host = '', path = '', query = ''] = m;
  if (host.includes('@')) return { problem: 'it carries user info before its host' };
  const q = parseQuery(query);
  if (typeof q === 'string') return { problem: q };
  const problems: string[] = [];
  const wanted = `/${medical ? 'medical-' : ''}stream-transcription-websocket`;
  if (!path.endsWith(wanted)) {
    const service = medical
      ? 'Transcribe Medical, as the `medical` option says'
      : 'standard Transcribe: the `medical` option is off';
    problems.push(`its path ${shown(path)} does not end in ${wanted} (${service})`);
  }
  for (const [name, value] of Object.entries(expected)) {
    const got = q.get(name);
    if (got === undefined) problems.push(`${name} is missing (expected ${shown(value)})`);
    else if (got !== value) problems.push(`${name} is ${shown(got)}, expected ${shown(value)}`);
  }
  for (const [name, value] of q) {
    if (!(name in expected) && !/^x-amz-/i.test(name)) problems.push(`${name}=${shown(value)} was not asked for`);
  }
  const times = expiry(q);
  if (typeof times === 'string') problems.push(times);
  if (problems.length > 0 || typeof times === 'string') return { problem: problems.join('; ') };
  const secrets: string[] = [];
  for (const name of ['X-Amz-Signature', 'X-Amz-Security-Token']) {
    const v = q.get(name);
    if (v !== undefined) secrets.push(v);
  }
  return { host: host.toLowerCase(), secrets, signedAt: times?.signedAt, expiresAt: times?.expiresAt };
}
