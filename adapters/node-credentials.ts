/**
 * The AWS default credential chain on Node (env, shared config and SSO profiles, web identity,
 * ECS and EC2 roles) through the optional peer `@aws-sdk/credential-providers`, imported only
 * when no keys were given anywhere else.
 */

import type { CredentialProvider, Credentials } from '../core/index.js';
import { TranscribeError } from '../core/index.js';

interface AwsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export function nodeDefaultCredentials(): CredentialProvider {
  let chain: (() => Promise<AwsIdentity>) | undefined;
  return async () => {
    if (!chain) {
      let mod: { fromNodeProviderChain: () => () => Promise<AwsIdentity> };
      try {
        const name = '@aws-sdk/credential-providers';
        mod = (await import(name)) as typeof mod;
      } catch {
        throw new TranscribeError(
          'NO_CREDENTIALS',
          'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass apiKey and awsAccessKeyId ' +
            '(or a credentials provider), or install the optional peer @aws-sdk/credential-providers to use profiles, SSO and instance roles',
        );
      }
      chain = mod.fromNodeProviderChain();
    }
    const id = await chain();
    const c: Credentials = { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey };
    if (id.sessionToken) c.sessionToken = id.sessionToken;
    if (id.expiration) c.expiration = id.expiration;
    return c;
  };
}
