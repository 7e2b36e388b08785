/**
 * The raw query of an upgrade, split the way SigV4 sees it: `&`-separated `name=value` pairs,
 * percent-decoded (`+` stays a plus sign, as in the RFC 3986 canonical form AWS signs).
 */

import { AUTH_PARAMS } from '../core/sigv4/sigv4.js';

export interface RawQuery {
  /** The query string without the `?`, exactly as received (what the signature covers). */
  raw: string;
  /** Decoded name -> decoded value; the first occurrence wins. */
  values: Map<string, string>;
}

/** Parses `raw`; returns undefined when a pair is not valid percent-encoding. */
export function parseQuery(raw: string): RawQuery | undefined {
  const values = new Map<string, string>();
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      return undefined;
    }
    if (!values.has(name)) values.set(name, value);
  }
  return { raw, values };
}

/** The stream parameters: every pair but the authentication ones. */
export function streamParameters(query: RawQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of query.values) if (!AUTH_PARAMS.has(name)) out[name] = value;
  return out;
}

/** The raw query without the authentication pairs (what a re-sign starts from). */
export function rawWithoutAuth(raw: string): string {
  const kept: string[] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name = eq < 0 ? part : part.slice(0, eq);
    try {
      name = decodeURIComponent(name);
    } catch {
      // keep undecodable names as they are; the signature check will fail on them
    }
    if (!AUTH_PARAMS.has(name)) kept.push(part);
  }
  return kept.join('&');
}
