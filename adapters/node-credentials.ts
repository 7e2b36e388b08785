/**
 * The AWS default credential chain on Node (env, shared config and SSO profiles, web identity,
 * ECS and EC2 roles) through the optional peer `@aws-sdk/credential-providers`, imported only
 * when no keys were given anywhere else. When the chain finds nothing, the error says why in
 * terms of what the user set: the SDK answers `AWS_PROFILE=nosuch` with "Could not load
 * credentials from any providers", so the shared files are read to name the missing profile.
 */

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CredentialProvider, Credentials } from '../core/index.js';
import { TranscribeError } from '../core/index.js';

interface AwsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Why the default chain gave nothing, for callers that word it their own way (the CLI). */
export type CredentialProblem =
  | 'no-provider-package'
  | 'no-such-profile'
  | 'sso-login'
  | 'profile-failed'
  | 'chain-failed';

/** NO_CREDENTIALS from the default chain, with the profile involved and what went wrong. */
export class DefaultChainError extends TranscribeError {
  override readonly name: string = 'DefaultChainError';
  readonly problem: CredentialProblem;
  /** AWS_PROFILE, when set. */
  readonly profile: string | undefined;

  constructor(problem: CredentialProblem, message: string, profile: string | undefined, cause?: unknown) {
    super('NO_CREDENTIALS', message, cause === undefined ? {} : { cause });
    this.problem = problem;
    this.profile = profile;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The AWS default chain as a credentials provider (needs the optional peer
 * @aws-sdk/credential-providers): what the Node service uses when no keys are given, and what a
 * server can give presignedUrlHandler.
 */
export function nodeDefaultCredentials(env: Env = process.env): CredentialProvider {
  let chain: (() => Promise<AwsIdentity>) | undefined;
  return async () => {
    if (!chain) {
      let mod: { fromNodeProviderChain: () => () => Promise<AwsIdentity> };
      try {
        const name = '@aws-sdk/credential-providers';
        mod = (await import(name)) as typeof mod;
      } catch {
        throw new DefaultChainError(
          'no-provider-package',
          'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass apiKey and awsAccessKeyId ' +
            '(or a credentials provider), or install the optional peer @aws-sdk/credential-providers to use ' +
            'profiles, SSO and instance roles',
          env.AWS_PROFILE,
        );
      }
      chain = mod.fromNodeProviderChain();
    }
    let id: AwsIdentity;
    try {
      id = await chain();
    } catch (err) {
      throw await chainError(err, env);
    }
    const c: Credentials = { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey };
    if (id.sessionToken) c.sessionToken = id.sessionToken;
    if (id.expiration) c.expiration = id.expiration;
    return c;
  };
}

/** The chain's failure in terms of AWS_PROFILE and the shared files, when a profile was asked for. */
export async function chainError(err: unknown, env: Env): Promise<DefaultChainError> {
  const said = firstLine(err instanceof Error ? err.message : String(err));
  const profile = env.AWS_PROFILE;
  if (profile === undefined || profile === '') {
    return new DefaultChainError(
      'chain-failed',
      `the AWS default credential chain found nothing: ${said}`,
      undefined,
      err,
    );
  }
  const files = await sharedProfiles(env);
  const p = JSON.stringify(profile);
  if (!files.profiles.has(profile)) {
    const where = files.read.length > 0 ? files.read.join(' or ') : `${files.paths.join(' or ')} (neither exists)`;
    const others = [...files.profiles].slice(0, 8);
    return new DefaultChainError(
      'no-such-profile',
      `AWS_PROFILE is ${p}, but no profile of that name is in ${where}` +
        (others.length > 0 ? ` (profiles there: ${others.join(', ')})` : '') +
        `; create it with \`aws configure --profile ${profile}\` (or \`aws configure sso --profile ${profile}\` for ` +
        `IAM Identity Center), or set AWS_PROFILE to a profile that exists`,
      profile,
      err,
    );
  }
  if (files.sso.has(profile) || /\bSSO\b/.test(said)) {
    return new DefaultChainError(
      'sso-login',
      `the SSO session of profile ${p} (AWS_PROFILE) has expired or was never started: run \`aws sso login --profile ` +
        `${profile}\` (the AWS SDK said: ${said})`,
      profile,
      err,
    );
  }
  return new DefaultChainError(
    'profile-failed',
    `profile ${p} (AWS_PROFILE) gave no credentials: ${said}; check it with \`aws sts get-caller-identity --profile ` +
      `${profile}\``,
    profile,
    err,
  );
}

interface SharedProfiles {
  /** The files looked in, and those that could be read. */
  paths: string[];
  read: string[];
  profiles: Set<string>;
  /** Profiles configured for IAM Identity Center (SSO). */
  sso: Set<string>;
}

/** Profile names in the shared config and credentials files, where the AWS SDK looks for them. */
async function sharedProfiles(env: Env): Promise<SharedProfiles> {
  const home = env.HOME || env.USERPROFILE || homedir();
  const config = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const out: SharedProfiles = { paths: [config, credentials], read: [], profiles: new Set(), sso: new Set() };
  for (const [path, isConfig] of [
    [config, true],
    [credentials, false],
  ] as const) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    out.read.push(path);
    let section: string | undefined;
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
      if (header) {
        // In config, profiles are "[profile name]" (and "[default]"); other sections (sso-session,
        // services) are not profiles.
        const name = header[1]!;
        const m = /^profile\s+(.+)$/.exec(name);
        section = !isConfig ? name : m ? m[1]!.trim() : name === 'default' ? 'default' : undefined;
        if (section !== undefined) out.profiles.add(section);
        continue;
      }
      if (section !== undefined && isConfig && /^(sso_start_url|sso_session)\s*=/.test(line)) out.sso.add(section);
    }
  }
  return out;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
