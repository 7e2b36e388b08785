// Connection trouble and credentials as the command tells them: one message per incident (later
// attempts as "retrying (2/3)..."), never the same long message once per attempt; AWS_PROFILE
// naming a profile that does not exist (or an SSO profile that needs a login) is named, with the
// command that fixes it. The reporting logic in-process with a fake clock; the command against
// the emulator (whose stream drops, then refuses, then goes away) and against temporary HOMEs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncidentReport, SLOW_ATTEMPT_MS } from '../../dist/cli/incidents.js';
import { chainError, DefaultChainError } from '../../dist/adapters/node-credentials.js';
import { TranscribeError } from '../../dist/adapters/node.js';
import { startEmulator } from '../../dist/emulator/index.js';
import { cleanEnv, cli, lines, SAMPLE, startCli, TRANSCRIPT } from '../helpers/cli-run.ts';
import { joinRegExp } from '../helpers/regexp.ts';

const tmp = mkdtempSync(join(tmpdir(), 'transcribe-stream-incidents-'));

// ---- the reporting logic -------------------------------------------------------------------------

function report(): { r: IncidentReport; out: string[]; advance: (ms: number) => void } {
  let now = 0;
  const out: string[] = [];
  const r = new IncidentReport({ note: (t) => out.push(t), maxAttempts: 3, now: () => now });
  return { r, out, advance: (ms) => void (now += ms) };
}

const lost = (): TranscribeError =>
  new TranscribeError('CONNECTION_LOST', 'the stream closed unexpectedly (code 1006)', { retryable: true });
const refused = (): TranscribeError =>
  new TranscribeError('SERVICE_UNAVAILABLE', 'x is unavailable (HTTP 503)', { retryable: true, status: 503 });

test('incidents: the first failure in full, the same again as "retrying (n/m)...", a different one in full', () => {
  const { r, out } = report();
  r.connected();
  for (const [error, attempt] of [
    [lost(), 1],
    [lost(), 2],
    [refused(), 3],
  ] as const) {
    r.connectionError({ error, attempt, willRetry: true });
    r.warning(error); // the service's error frame for the same failure: already told
  }
  assert.equal(out, [
    'transcribe-stream: warning: the stream closed unexpectedly (code 1006); retrying (1/3)...',
    'transcribe-stream: retrying (2/3)...',
    'transcribe-stream: warning: x is unavailable (HTTP 503); retrying (3/3)...',
  ]);
  // A stream opens: the next failure starts a new incident, told in full again.
  r.connected();
  r.connectionError({ error: lost(), attempt: 1, willRetry: true });
  assert.is(out.length, 4);
  assert.match(out[3]!, /closed unexpectedly/);
  // The last failure (no retry) is the run's final line, not a warning.
  r.connectionError({ error: lost(), attempt: 2, willRetry: false });
  assert.is(out.length, 4);
});

test('incidents: before the first stream, quick failures are quiet and slow ones are told', () => {
  const { r, out, advance } = report();
  advance(200);
  r.connectionError({ error: refused(), attempt: 1, willRetry: true });
  assert.equal(out, []);
  advance(SLOW_ATTEMPT_MS + 10); // e.g. a connect timeout
  const timeout = new TranscribeError('TIMEOUT', 'no answer from x within 10 s', { retryable: true });
  r.connectionError({ error: timeout, attempt: 2, willRetry: true });
  assert.equal(out, ['transcribe-stream: warning: no answer from x within 10 s; retrying (2/3)...']);
  advance(50); // once an incident is told, its later attempts are too, however quick
  r.connectionError({ error: timeout, attempt: 3, willRetry: true });
  assert.equal(out[1], 'transcribe-stream: retrying (3/3)...');
});

test('incidents: other warnings once each, unless the same one repeats', () => {
  const { r, out } = report();
  const odd = new TranscribeError('PROTOCOL', 'a result of the wrong shape was skipped', { retryable: true });
  r.warning(odd);
  r.warning(new TranscribeError('PROTOCOL', 'a result of the wrong shape was skipped', { retryable: true }));
  assert.equal(out, ['transcribe-stream: warning: a result of the wrong shape was skipped']);
});

// ---- the command ---------------------------------------------------------------------------------

test('command: a dropped stream, then two refusals, then a stream again: three lines, no message twice', async () => {
  const emu = await startEmulator({ script: TRANSCRIPT });
  try {
    const env = cleanEnv({
      AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
    });
    const r = startCli([SAMPLE, '--endpoint', emu.endpoint], { env });
    await r.waitStdout(/\n/);
    emu.fault({ type: 'refuse', status: 503, times: 2 });
    emu.fault({ type: 'drop', target: 'current' });
    const run = await r.done;
    assert.is(run.code, 0, run.stderr);
    const err = lines(run.stderr);
    assert.equal(
      err.slice(0, 3).map((l) => l.replace(/^(transcribe-stream: (?:warning: )?).*?(; retrying)/, '$1…$2')),
      [
        'transcribe-stream: warning: …; retrying (1/3)...',
        'transcribe-stream: warning: …; retrying (2/3)...',
        'transcribe-stream: retrying (3/3)...',
      ],
    );
    assert.is.not(err[1]!.replace(/\(\d\/3\)/, ''), err[0]!.replace(/\(\d\/3\)/, ''));
    assert.match(err[3]!, /^summary: /);
    assert.is(err.length, 4, run.stderr);
  } finally {
    await emu.close();
  }
});

test('command: endpoint gone mid-stream: the loss, the failed connect once, retries counted, a last line', async () => {
  const emu = await startEmulator({ script: TRANSCRIPT });
  const env = cleanEnv({
    AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
  });
  const r = startCli([SAMPLE, '--endpoint', emu.endpoint], { env });
  await r.waitStdout(/\n/);
  await emu.close();
  const run = await r.done;
  assert.is(run.code, 1, run.stderr);
  const err = lines(run.stderr);
  // The loss, then (worded by the service, a different failure) the connect that fails.
  assert.match(err[0]!, /^transcribe-stream: warning: .*; retrying \(1\/3\)\.\.\.$/);
  assert.match(err[1]!, /^transcribe-stream: warning: .*; retrying \(2\/3\)\.\.\.$/);
  assert.is.not(err[1]!.replace(/\(\d\/3\)/, ''), err[0]!.replace(/\(\d\/3\)/, ''));
  assert.equal(err.slice(2, -1), ['transcribe-stream: retrying (3/3)...']);
  assert.match(err[err.length - 1]!, /^transcribe-stream: cannot reach 127\.0\.0\.1:\d+: the connection failed/);
  // Whatever the service's wording, no long message is printed more than once.
  for (const line of err) if (line.length > 60) assert.is(err.filter((l) => l === line).length, 1, line);
});

// ---- AWS_PROFILE -----------------------------------------------------------------------------------

function home(config: string, credentials?: string): string {
  const dir = mkdtempSync(join(tmp, 'home-'));
  mkdirSync(join(dir, '.aws'));
  writeFileSync(join(dir, '.aws', 'config'), config);
  if (credentials !== undefined) writeFileSync(join(dir, '.aws', 'credentials'), credentials);
  return dir;
}

const CONFIG = [
  '[default]',
  'region = us-east-1',
  '[profile work]',
  'region = eu-west-1',
  '[profile sso-dev]',
  'sso_session = corp',
  'sso_account_id = 123456789012',
  'sso_role_name = Developer',
  '[sso-session corp]',
  'sso_start_url = https://example.awsapps.com/start',
  'sso_region = us-east-1',
  '',
].join('\n');

test('AWS_PROFILE names a missing profile: the profile, the files, the command to create it (exit 1)', async () => {
  const dir = home(CONFIG, '[keys-only]\naws_access_key_id = AKIDEXAMPLE\n');
  const env = cleanEnv({ HOME: dir, AWS_PROFILE: 'nosuch', AWS_EC2_METADATA_DISABLED: 'true' });
  const r = await cli([SAMPLE], { env });
  assert.is(r.code, 1, r.stderr);
  const err = lines(r.stderr);
  assert.is(err.length, 1, r.stderr);
  assert.match(
    err[0]!,
    /^transcribe-stream: no AWS credentials: AWS_PROFILE is "nosuch", but no profile of that name is in /,
  );
  assert.match(err[0]!, /\.aws\/config or .*\.aws\/credentials \(profiles there: default, work, sso-dev, keys-only\)/);
  assert.match(err[0]!, /`aws configure --profile nosuch`/);
  assert.match(err[0]!, /or add --emulator to try it offline$/);
});

test('AWS_PROFILE names an SSO profile with no session: `aws sso login --profile` (exit 1)', async () => {
  const dir = home(CONFIG);
  const env = cleanEnv({ HOME: dir, AWS_PROFILE: 'sso-dev', AWS_EC2_METADATA_DISABLED: 'true' });
  const r = await cli([SAMPLE], { env });
  assert.is(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    joinRegExp(
      /^transcribe-stream: no AWS credentials: the SSO session of profile "sso-dev" \(AWS_PROFILE\) /,
      /has expired or was never started: run `aws sso login --profile sso-dev`/,
    ),
  );
  assert.is(lines(r.stderr).length, 1);
});

test('chainError: which problem, which profile, from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE too', async () => {
  const sdk = new Error('Could not load credentials from any providers');
  const dir = home(CONFIG);
  const creds = join(dir, 'elsewhere');
  writeFileSync(creds, '[ci]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n');
  const env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: creds };
  const none = await chainError(sdk, env);
  assert.ok(none instanceof DefaultChainError && none instanceof TranscribeError);
  assert.is(none.code, 'NO_CREDENTIALS');
  assert.is(none.problem, 'chain-failed');
  assert.is(none.cause, sdk);
  assert.is((await chainError(sdk, { ...env, AWS_PROFILE: 'nosuch' })).problem, 'no-such-profile');
  assert.is((await chainError(sdk, { ...env, AWS_PROFILE: 'sso-dev' })).problem, 'sso-login');
  const work = await chainError(sdk, { ...env, AWS_PROFILE: 'work' });
  assert.is(work.problem, 'profile-failed');
  assert.is(work.profile, 'work');
  assert.is(
    (await chainError(sdk, { ...env, AWS_PROFILE: 'ci' })).problem,
    'profile-failed',
    'found in the credentials file named by the variable',
  );
  const other = join(dir, 'other-config');
  writeFileSync(other, '[profile only-here]\nregion = us-east-1\n');
  assert.is(
    (await chainError(sdk, { ...env, AWS_CONFIG_FILE: other, AWS_PROFILE: 'work' })).problem,
    'no-such-profile',
  );
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
