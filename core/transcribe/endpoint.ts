/**
 * Where a Transcribe streaming session connects: the AWS host of the region's partition (FIPS,
 * dual-stack), or the `endpoint` given, with the streaming path (Transcribe Medical's or not).
 */

import { parseUrl } from '../sigv4/sigv4.js';
import type { ParsedUrl } from '../sigv4/sigv4.js';
import { fail } from './url-rules.js';

/**
 * The DNS suffixes of the public partitions other than `aws` (which GovCloud shares): region
 * prefix, suffix, dual-stack suffix. Per the endpoint rule set of @aws-sdk/client-transcribe-streaming
 * 3.1141.0 (`transcribestreaming[-fips].{Region}.{dnsSuffix | dualStackDnsSuffix}`) and the partition
 * table of @aws-sdk/core 3.981.1, where every partition supports FIPS and dual-stack. The
 * air-gapped ISO partitions (us-iso-*, us-isob-*, us-isof-*, eu-isoe-*) are left out: give their
 * host as `endpoint`.
 */
const PARTITIONS: readonly (readonly [prefix: string, dns: string, dualStack: string])[] = [
  ['cn-', 'amazonaws.com.cn', 'api.amazonwebservices.com.cn'],
  ['eusc-', 'amazonaws.eu', 'api.amazonwebservices.eu'],
];
const AWS_PARTITION = ['', 'amazonaws.com', 'api.aws'] as const;

/** The options that choose the endpoint (those of `TranscribeUrlOptions`). */
export interface EndpointOptions {
  region: string;
  medical?: boolean | undefined;
  endpoint?: string | URL | undefined;
  fips?: boolean | undefined;
  dualStack?: boolean | undefined;
}

/** Where the session connects: scheme, host (with port) and path, as the signer wants them. */
export function streamEndpoint(o: EndpointOptions): ParsedUrl {
  const path = `${o.medical === true ? '/medical-' : '/'}stream-transcription-websocket`;
  if (o.endpoint === undefined) {
    const [, dns, dualStack] = PARTITIONS.find(([prefix]) => o.region.startsWith(prefix)) ?? AWS_PARTITION;
    // Port 8443 for WebSocket, as the JS SDK's websocket port middleware adds to every host.
    const fips = o.fips === true ? '-fips' : '';
    const host = `transcribestreaming${fips}.${o.region}.${o.dualStack === true ? dualStack : dns}:8443`;
    return { scheme: 'wss', host, path, query: '' };
  }
  const m =
    /^(wss?:\/\/[^/?#@]+)(\/[^?#]*)?$/i.exec(String(o.endpoint)) ??
    fail('endpoint', 'must be a ws:// or wss:// URL with no query, fragment or user info, e.g. ws://127.0.0.1:8080');
  // parseUrl lower-cases scheme and host and drops a default port.
  try {
    return parseUrl(m[1] + (m[2] ?? '').replace(/\/+$/, '') + path);
  } catch (e) {
    return fail('endpoint', (e as Error).message.replace('url: ', ''));
  }
}
