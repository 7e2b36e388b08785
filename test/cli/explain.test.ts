// The last line of a failed run, in-process (cli/explain.ts), and the summary's word count
// (cli/summary.ts): where the command line knows more than the library, it says so.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explainFailure } from '../../dist/cli/explain.js';
import type { Target } from '../../dist/cli/explain.js';
import { countWords } from '../../dist/cli/summary.js';
import { DefaultChainError, OptionError, TranscribeError } from '../../dist/adapters/node.js';
import type { TranscriptionFrame } from '../../dist/adapters/node.js';
import { joinRegExp } from '../helpers/regexp.ts';
import { transcriptionFrame } from '../helpers/transcription-frame.ts';

const AWS: Target = { endpoint: undefined, region: 'eu-west-1', emulator: false, env: {} };
const NOW = new Date('2026-01-02T03:04:05.000Z');

test('anything but a TranscribeError: its message, capped', () => {
  assert.is(explainFailure(new Error('disk full'), AWS), 'disk full');
  assert.is(explainFailure('a thrown string', AWS), 'a thrown string');
  const long = explainFailure(new Error('x'.repeat(5000)), AWS);
  assert.ok(long.length < 5000 && long.endsWith('…'), 'capped with an ellipsis');
});

test('half a key pair: which variable is missing, and how to run without AWS', () => {
  const err = new OptionError('credentials', 'needs both keys');
  assert.match(
    explainFailure(err, { ...AWS, env: { AWS_ACCESS_KEY_ID: 'AKID' } }),
    joinRegExp(
      /^incomplete AWS credentials: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; .* or /,
      /add --emulator to try it offline$/,
    ),
  );
  assert.match(
    explainFailure(err, { ...AWS, env: { AWS_SECRET_ACCESS_KEY: 'k' }, offline: 'drop --aws' }),
    /AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; .* or drop --aws to try it offline$/,
  );
  // Another bad option is told as the library says it.
  assert.is(explainFailure(new OptionError('region', 'must be an AWS region'), AWS), 'region: must be an AWS region');
});

test('no credentials: the missing package, the named profile, or what the default chain said (its first line)', () => {
  const wrap = (cause: unknown): TranscribeError =>
    new TranscribeError('NO_CREDENTIALS', 'could not get AWS credentials: see cause', { cause });
  assert.match(
    explainFailure(wrap(new DefaultChainError('no-provider-package', 'no package', undefined)), AWS),
    /\(profiles, SSO and instance roles need the optional package @aws-sdk\/credential-providers\)$/,
  );
  const profile = new DefaultChainError(
    'no-such-profile',
    'AWS_PROFILE=work names no profile in ~/.aws/config',
    'work',
  );
  assert.is(
    explainFailure(wrap(profile), AWS),
    'no AWS credentials: AWS_PROFILE=work names no profile in ~/.aws/config; or add --emulator to try it offline',
  );
  const chain = new DefaultChainError(
    'chain-failed',
    'chain failed',
    undefined,
    new Error('Could not load credentials from any providers\nat line 2'),
  );
  assert.match(
    explainFailure(wrap(chain), AWS),
    joinRegExp(
      /^no AWS credentials: set AWS_ACCESS_KEY_ID .* \(the AWS default chain said: Could not load /,
      /credentials from any providers\)$/,
    ),
  );
  assert.match(
    explainFailure(new TranscribeError('NO_CREDENTIALS', 'could not get AWS credentials: provider threw'), AWS),
    /\(the AWS default chain said: provider threw\)$/,
  );
  assert.match(
    explainFailure(wrap(new Error(`y${'z'.repeat(300)}`)), AWS),
    /said: yz{158}…\)$/,
    'a long detail is clipped to 160 characters',
  );
});

test('a refused signature names the clock; a failed connection names the endpoint or the network', () => {
  const auth = new TranscribeError('AUTH_FAILED', 'refused the signed request (HTTP 403)', { status: 403 });
  assert.is(
    explainFailure(auth, AWS, NOW),
    "refused the signed request (HTTP 403) (this machine's clock says 2026-01-02T03:04:05.000Z)",
  );
  const failed = new TranscribeError('CONNECTION_FAILED', 'could not open a WebSocket', { retryable: true });
  assert.is(
    explainFailure(failed, AWS),
    'cannot reach Amazon Transcribe at transcribestreaming.eu-west-1.amazonaws.com:8443: the connection failed; ' +
      'check the network, --region and any proxy or firewall',
  );
  assert.is(
    explainFailure(failed, { ...AWS, endpoint: 'ws://127.0.0.1:9/x' }),
    'cannot reach 127.0.0.1:9: the connection failed; is the endpoint running and is --endpoint right?',
  );
  assert.match(explainFailure(failed, { ...AWS, endpoint: 'not a url' }), /^cannot reach not a url: /);
  const refused = new TranscribeError('CONNECTION_FAILED', 'transcribe.test refused the WebSocket upgrade (HTTP 404)', {
    status: 404,
  });
  assert.is(
    explainFailure(refused, AWS),
    'transcribe.test refused the WebSocket upgrade (HTTP 404)',
    'a status says more than a guess',
  );
  assert.is(explainFailure(new TranscribeError('TIMEOUT', 'stop() timed out'), AWS), 'stop() timed out');
});

test('words of a final: its pronunciation items, else its text', () => {
  const frame = (
    text: string,
    items: { Type: 'pronunciation' | 'punctuation'; Content: string }[],
  ): TranscriptionFrame => transcriptionFrame(text, { items: items.map((i) => ({ StartTime: 0, EndTime: 0, ...i })) });

  assert.is(
    countWords(
      frame('Hello, world.', [
        { Type: 'pronunciation', Content: 'Hello' },
        { Type: 'punctuation', Content: ',' },
        { Type: 'pronunciation', Content: 'world' },
        { Type: 'punctuation', Content: '.' },
      ]),
    ),
    2,
  );
  assert.is(countWords(frame('Hello , world .  ', [])), 2, 'without items: words, not punctuation or spaces');
});

test.run();
