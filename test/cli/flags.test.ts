// The command line's flags in-process (cli/args.ts, cli/service-flags.ts): the end of options,
// language identification rules, the service options the flags stand for, and a bad combination
// reported against its flag before anything opens. (Typos and values: cli.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseArgs } from '../../dist/cli/args.js';
import type { TranscribeArgs } from '../../dist/cli/args.js';
import { CliError } from '../../dist/cli/cli-error.js';
import { precheck, serviceOptions } from '../../dist/cli/service-flags.js';

function args(...argv: string[]): TranscribeArgs {
  const cmd = parseArgs(argv);
  if (cmd.kind !== 'transcribe') throw new Error(`expected a transcribe command, got ${cmd.kind}`);
  return cmd.args;
}

function refused(fn: () => unknown): CliError {
  try {
    fn();
  } catch (e) {
    assert.instance(e, CliError);
    return e as CliError;
  }
  throw new Error('expected a CliError');
}

test('`--` ends the options: what follows is the input, even when it starts with a dash', () => {
  const a = args('--json', '--', '-recording.wav');
  assert.is(a.input, '-recording.wav');
  assert.is(a.json, true);
  assert.is(refused(() => parseArgs(['a.wav', '--', 'b.wav'])).message, 'one input at a time (got a.wav, b.wav)');
  const named = args('--', '--json');
  assert.is(named.input, '--json', 'a file name after --');
  assert.is(named.json, false);
});

test('language identification: candidates needed, --language excluded, options only with identification', () => {
  for (const flag of ['--identify-language', '--identify-multiple-languages']) {
    assert.is(
      refused(() => args('x.wav', flag)).message,
      '--identify-language needs --language-options, e.g. en-US,es-US',
    );
    assert.match(
      refused(() => args('x.wav', flag, '--language-options', 'en-US,es-US', '--language', 'en-US')).message,
      /^--language and --identify-language contradict each other/,
    );
    const ok = args('x.wav', flag, '--language-options', 'en-US, es-US', '--preferred-language', 'es-US');
    assert.equal(ok.languageOptions, ['en-US', 'es-US']);
    assert.is(ok.preferredLanguage, 'es-US');
  }
  assert.is(
    refused(() => args('x.wav', '--language-options', 'en-US,es-US')).message,
    '--language-options needs --identify-language or --identify-multiple-languages',
  );
  assert.match(
    refused(() => args('x.wav', '--identify-language', '--language-options', 'en-US,klingon')).message,
    /^--language-options: "klingon" is not an Amazon Transcribe streaming language/,
  );
});

test('service options: vocabularies plural with language identification, singular without; channels, speakers', () => {
  const plain = serviceOptions(
    args(
      'x.wav',
      '--language',
      'en-GB',
      '--vocabulary',
      'v1',
      '--vocabulary-filter',
      'f1',
      '--vocabulary-filter-method',
      'mask',
      '--speaker-labels',
      '--region',
      'eu-west-1',
    ),
  );
  assert.equal(plain, {
    region: 'eu-west-1',
    settings: { language: 'en-GB' },
    vocabularyName: 'v1',
    vocabularyFilterName: 'f1',
    vocabularyFilterMethod: 'mask',
    showSpeakerLabel: true,
  });
  const identify = serviceOptions(
    args(
      'x.wav',
      '--identify-multiple-languages',
      '--language-options',
      'en-US,es-US',
      '--vocabulary',
      'v1,v2',
      '--vocabulary-filter',
      'f1,f2',
      '--channel-identification',
    ),
  );
  assert.equal(identify, {
    identifyMultipleLanguages: true,
    languageOptions: ['en-US', 'es-US'],
    vocabularyNames: 'v1,v2',
    vocabularyFilterNames: 'f1,f2',
    enableChannelIdentification: true,
    numberOfChannels: 2,
  });
  assert.equal(serviceOptions(args('x.wav')), {}, 'no flag, no option: the service defaults apply');
});

test('precheck: a combination Transcribe refuses is a usage error (exit 2) naming the flag, not the option', () => {
  const check = (...argv: string[]): CliError => {
    const a = args('x.wav', ...argv);
    return refused(() => precheck(serviceOptions(a), a));
  };
  const method = check('--vocabulary-filter-method', 'tag');
  assert.is(method.exitCode, 2);
  assert.match(method.message, /^--vocabulary-filter-method: needs vocabularyFilterName/);
  assert.match(
    check('--identify-language', '--language-options', 'en-US,es-US', '--preferred-language', 'fr-FR').message,
    /^--preferred-language: must be one of languageOptions/,
  );
  assert.match(check('--region', 'not a region').message, /^--region: must be an AWS region such as us-east-1/);
  assert.match(check('--endpoint', 'http://localhost:1').message, /^--endpoint: must be a ws:\/\/ or wss:\/\/ URL/);
  // What Transcribe accepts passes, with or without a language (en-US is the command's default).
  const good = args('x.wav', '--identify-language', '--language-options', 'en-US,es-US', '--vocabulary', 'v1');
  precheck(serviceOptions(good), good);
  precheck({}, args('x.wav'));
});

test.run();
