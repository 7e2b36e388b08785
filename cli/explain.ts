/**
 * The one line a failed run ends with: the service's error, reworded where the command line knows
 * more than the library (which variables to set, which flag to check, what the clock says).
 */

import { TranscribeError } from '../adapters/node.js';
import { DefaultChainError } from '../adapters/node.js';
import { clip as cap } from './sanitize.js';

export interface Target {
  /** The --endpoint (or the emulator's), else undefined for AWS. */
  endpoint: string | undefined;
  region: string;
  emulator: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** How to run without AWS here (default: add --emulator). */
  offline?: string | undefined;
}

const credentialHint = (t: Target): string =>
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys) or AWS_PROFILE, ' +
  `or ${t.offline ?? 'add --emulator'} to try it offline`;

export function explainFailure(err: unknown, t: Target, now: Date = new Date()): string {
  if (!(err instanceof TranscribeError)) return cap(err instanceof Error ? err.message : String(err));
  const option = (err as { option?: unknown }).option;
  if (err.code === 'INVALID_OPTION' && option === 'credentials') {
    const half = t.env.AWS_ACCESS_KEY_ID
      ? 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not'
      : 'AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not';
    return (
      `incomplete AWS credentials: ${half}; set both (plus AWS_SESSION_TOKEN for temporary keys), or neither to ` +
      `use AWS_PROFILE and the default chain, or ${t.offline ?? 'add --emulator'} to try it offline`
    );
  }
  switch (err.code) {
    case 'NO_CREDENTIALS': {
      const chain = chainError(err);
      if (chain?.problem === 'no-provider-package') {
        return (
          `no AWS credentials: ${credentialHint(t)} (profiles, SSO and instance roles need the optional package ` +
          `@aws-sdk/credential-providers)`
        );
      }
      if (chain !== undefined && chain.profile !== undefined) {
        // The profile the user named is the problem: say that, not "set AWS_ACCESS_KEY_ID".
        return `no AWS credentials: ${cap(chain.message)}; or ${t.offline ?? 'add --emulator'} to try it offline`;
      }
      const innermost = chain?.cause ?? err.cause;
      const detail =
        innermost instanceof Error ? innermost.message : err.message.replace(/^could not get AWS credentials:\s*/, '');
      return `no AWS credentials: ${credentialHint(t)} (the AWS default chain said: ${clip(detail)})`;
    }
    case 'AUTH_FAILED':
      return `${cap(err.message)} (this machine's clock says ${now.toISOString()})`;
    case 'CONNECTION_FAILED':
      if (err.status === undefined) {
        const check = t.endpoint
          ? 'is the endpoint running and is --endpoint right?'
          : 'check the network, --region and any proxy or firewall';
        return `cannot reach ${where(t)}: the connection failed; ${check}`;
      }
      return cap(err.message);
    default:
      return cap(err.message);
  }
}

/** The default chain's own error, wherever the service wrapped it. */
function chainError(err: unknown): DefaultChainError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DefaultChainError) return e;
  }
  return undefined;
}

function where(t: Target): string {
  if (t.endpoint) {
    try {
      return new URL(t.endpoint).host;
    } catch {
      return t.endpoint;
    }
  }
  return `Amazon Transcribe at transcribestreaming.${t.region}.amazonaws.com:8443`;
}

function clip(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
