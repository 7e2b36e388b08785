/**
 * Temporary credentials from an Amazon Cognito identity pool, with `fetch` only (no SDK): GetId,
 * then GetCredentialsForIdentity. Both are unsigned calls by design (the pool id is public; its
 * IAM roles decide what the credentials may do), and Cognito answers browsers' CORS preflights.
 */

import { TranscribeError } from '../core/index.js';
import type { CredentialProvider, Credentials } from '../core/index.js';

export interface CognitoCredentialsOptions {
  /** e.g. `us-east-1:1a2b3c4d-…` */
  identityPoolId: string;
  /** The pool's region (defaults to the prefix of `identityPoolId`). */
  region?: string;
  /**
   * Tokens of a signed-in user (`{ 'cognito-idp.<region>.amazonaws.com/<userPoolId>': idToken }`); absent: a
   * guest identity.
   */
  logins?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Another endpoint (FIPS, a VPC endpoint, or a test double). */
  endpoint?: string;
  fetch?: (
    url: string,
    init: { method: string; headers: Record<string, string>; body: string },
  ) => Promise<{
    ok: boolean;
    status: number;
    json(): Promise<unknown>;
  }>;
}

interface CognitoCredentialsAnswer {
  IdentityId?: string;
  Credentials?: { AccessKeyId?: string; SecretKey?: string; SessionToken?: string; Expiration?: number };
}

/** A credentials provider for the service: one identity per provider, new credentials when asked. */
export function cognitoCredentials(o: CognitoCredentialsOptions): CredentialProvider {
  const region = o.region ?? o.identityPoolId.split(':')[0] ?? '';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new TranscribeError(
      'INVALID_OPTION',
      `cognitoCredentials: no region in identityPoolId "${o.identityPoolId}"; pass region`,
    );
  }
  const endpoint = o.endpoint ?? `https://cognito-identity.${region}.amazonaws.com/`;
  const fetchImpl = o.fetch ?? fetch;
  let identityId: string | undefined;

  const call = async (target: string, body: Record<string, unknown>): Promise<unknown> => {
    const res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityService.${target}` },
      body: JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as { __type?: string; message?: string };
    if (!res.ok) {
      const why = `${answer.__type ?? `HTTP ${res.status}`}${answer.message ? `: ${answer.message}` : ''}`;
      throw new TranscribeError(
        'NO_CREDENTIALS',
        `Cognito ${target} failed (${why}); check the identity pool id, region and its roles`,
        {
          status: res.status,
          retryable: res.status >= 500 || res.status === 429,
        },
      );
    }
    return answer;
  };

  return async () => {
    const logins = typeof o.logins === 'function' ? await o.logins() : o.logins;
    const withLogins = logins && Object.keys(logins).length > 0 ? { Logins: logins } : {};
    if (identityId === undefined) {
      const got = (await call('GetId', { IdentityPoolId: o.identityPoolId, ...withLogins })) as { IdentityId?: string };
      identityId = got.IdentityId;
    }
    const answer = (await call('GetCredentialsForIdentity', {
      IdentityId: identityId,
      ...withLogins,
    })) as CognitoCredentialsAnswer;
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretKey) {
      throw new TranscribeError('NO_CREDENTIALS', 'Cognito GetCredentialsForIdentity returned no credentials');
    }
    const out: Credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey };
    if (c.SessionToken) out.sessionToken = c.SessionToken;
    // Cognito answers epoch seconds.
    if (typeof c.Expiration === 'number') out.expiration = new Date(c.Expiration * 1000);
    return out;
  };
}
