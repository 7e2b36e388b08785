import { Sha256 } from '@aws-crypto/sha256-js';
import * as sdk from '@aws-sdk/client-transcribe-streaming';
import { SignatureV4 } from '@smithy/signature-v4';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  isStreamingLanguageCode,
  OptionError,
  redactUrl,
  STREAMING_LANGUAGE_CODES,
  transcribeUrl,
} from '../../../dist/core/index.js';
import type { TranscribeUrlOptions } from '../../../dist/core/index.js';
import { assertNoSecret, FAKE_SECRET_KEY, FAKE_TOKEN } from '../../helpers/fake-secrets.ts';
import { EVERY_URL_OPTION } from '../../helpers/url-options.ts';

const CREDS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'tok/en+=',
};
const DATE = new Date('2026-11-25T10:20:30Z');
const BASE: TranscribeUrlOptions = {
  region: 'us-west-2',
  credentials: CREDS,
  date: DATE,
  languageCode: 'en-US',
  sampleRate: 16000,
};

function parse(url: string): { origin: string; path: string; query: Map<string, string[]> } {
  const m = /^(wss?:\/\/[^/]+)([^?]*)\?(.*)$/.exec(url);
  assert.ok(m, url);
  const query = new Map<string, string[]>();
  for (const part of m![3]!.split('&')) {
    const eq = part.indexOf('=');
    const k = decodeURIComponent(part.slice(0, eq));
    query.set(k, [...(query.get(k) ?? []), decodeURIComponent(part.slice(eq + 1))]);
  }
  return { origin: m![1]!, path: m![2]!, query };
}

/** The non-signing query parameters of `url`, as an object. */
function wire(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of parse(url).query) if (!k.startsWith('X-Amz-')) out[k] = v.join('|');
  return out;
}

function optionOf(o: Partial<TranscribeUrlOptions> | Record<string, unknown>): string {
  try {
    transcribeUrl({ ...BASE, ...o } as TranscribeUrlOptions);
  } catch (e) {
    assert.instance(e, OptionError, String(e));
    assert.is((e as OptionError).code, 'INVALID_OPTION');
    assert.ok((e as Error).message.startsWith(`${(e as OptionError).option}: `));
    return (e as OptionError).option;
  }
  throw new Error(`expected an OptionError for ${JSON.stringify(o)}`);
}

// --- URL shape and endpoints ---------------------------------------------------------------------

const shape = suite('transcribeUrl: endpoint and defaults');

shape('standard endpoint, port 8443, defaults pcm and 300 s, token signed', () => {
  const url = transcribeUrl(BASE);
  const p = parse(url);
  assert.is(p.origin, 'wss://transcribestreaming.us-west-2.amazonaws.com:8443');
  assert.is(p.path, '/stream-transcription-websocket');
  assert.equal(wire(url), { 'language-code': 'en-US', 'media-encoding': 'pcm', 'sample-rate': '16000' });
  assert.equal(p.query.get('X-Amz-Expires'), ['300']);
  assert.equal(p.query.get('X-Amz-SignedHeaders'), ['host']);
  assert.equal(p.query.get('X-Amz-Date'), ['20261125T102030Z']);
  assert.equal(p.query.get('X-Amz-Credential'), ['AKIAIOSFODNN7EXAMPLE/20261125/us-west-2/transcribe/aws4_request']);
  assert.equal(p.query.get('X-Amz-Security-Token'), ['tok/en+=']);
  assert.match(p.query.get('X-Amz-Signature')![0]!, /^[0-9a-f]{64}$/);
  // Deterministic for a given date.
  assert.is(transcribeUrl(BASE), url);
});

shape('FIPS, China partitions, medical path', () => {
  assert.is(
    parse(transcribeUrl({ ...BASE, fips: true })).origin,
    'wss://transcribestreaming-fips.us-west-2.amazonaws.com:8443',
  );
  assert.is(
    parse(transcribeUrl({ ...BASE, region: 'cn-north-1' })).origin,
    'wss://transcribestreaming.cn-north-1.amazonaws.com.cn:8443',
  );
  assert.is(
    parse(transcribeUrl({ ...BASE, region: 'cn-northwest-1' })).origin,
    'wss://transcribestreaming.cn-northwest-1.amazonaws.com.cn:8443',
  );
  assert.is(
    parse(transcribeUrl({ ...BASE, region: 'us-gov-west-1', fips: true })).origin,
    'wss://transcribestreaming-fips.us-gov-west-1.amazonaws.com:8443',
  );
  const med = transcribeUrl({ ...BASE, medical: true, specialty: 'PRIMARYCARE', type: 'CONVERSATION' });
  assert.is(parse(med).path, '/medical-stream-transcription-websocket');
  assert.equal(wire(med), {
    'language-code': 'en-US',
    'media-encoding': 'pcm',
    'sample-rate': '16000',
    specialty: 'PRIMARYCARE',
    type: 'CONVERSATION',
  });
});

shape('dual-stack (IPv6) endpoints: api.aws, with FIPS too; China and GovCloud', () => {
  const origin = (o: Partial<TranscribeUrlOptions>): string => parse(transcribeUrl({ ...BASE, ...o })).origin;
  assert.is(origin({ dualStack: true }), 'wss://transcribestreaming.us-west-2.api.aws:8443');
  assert.is(origin({ dualStack: true, fips: true }), 'wss://transcribestreaming-fips.us-west-2.api.aws:8443');
  assert.is(
    origin({ dualStack: true, region: 'cn-north-1' }),
    'wss://transcribestreaming.cn-north-1.api.amazonwebservices.com.cn:8443',
  );
  assert.is(
    origin({ dualStack: true, region: 'us-gov-west-1', fips: true }),
    'wss://transcribestreaming-fips.us-gov-west-1.api.aws:8443',
  );
  assert.is(origin({ dualStack: false, fips: false }), 'wss://transcribestreaming.us-west-2.amazonaws.com:8443');
  const med = parse(
    transcribeUrl({ ...BASE, medical: true, specialty: 'PRIMARYCARE', type: 'CONVERSATION', dualStack: true }),
  );
  assert.is(
    med.origin + med.path,
    'wss://transcribestreaming.us-west-2.api.aws:8443/medical-stream-transcription-websocket',
  );
  assert.not.ok('dual-stack' in wire(transcribeUrl({ ...BASE, dualStack: true })), 'not a query parameter');
});

shape(
  'every public partition x FIPS x dual-stack resolves to the host the official client resolves (SDK 3.1141.0 ' +
    'rule set)',
  () => {
    const resolve = new sdk.TranscribeStreamingClient({ region: 'us-east-1' }).config.endpointProvider;
    const regions = [
      'us-east-1',
      'us-west-2',
      'eu-central-1',
      'ap-southeast-2',
      'ca-central-1',
      'me-central-1',
      'il-central-1',
      'mx-central-1',
      'sa-east-1',
      'af-south-1',
      'cn-north-1',
      'cn-northwest-1',
      'us-gov-west-1',
      'us-gov-east-1',
      'eusc-de-east-1',
    ];
    let checked = 0;
    for (const region of regions) {
      for (const fips of [false, true]) {
        for (const dualStack of [false, true]) {
          const theirs = resolve({ Region: region, UseFIPS: fips, UseDualStack: dualStack }).url;
          // The SDK's websocket middleware then switches to wss and port 8443.
          const expected = `wss://${theirs.hostname}:8443`;
          assert.is(
            parse(transcribeUrl({ ...BASE, region, fips, dualStack })).origin,
            expected,
            `${region} fips=${fips} dualStack=${dualStack}`,
          );
          checked++;
        }
      }
    }
    assert.is(checked, regions.length * 4);
  },
);

shape('dual-stack or FIPS with a custom endpoint: an OptionError, as the official client refuses it', () => {
  const resolve = new sdk.TranscribeStreamingClient({ region: 'us-east-1' }).config.endpointProvider;
  assert.throws(
    () => resolve({ Region: 'us-east-1', UseFIPS: false, UseDualStack: true, Endpoint: 'https://h' }),
    /Dualstack and custom endpoint/,
  );
  for (const option of ['dualStack', 'fips'] as const) {
    try {
      transcribeUrl({ ...BASE, endpoint: 'ws://127.0.0.1:8080', [option]: true });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, OptionError);
      assert.is((e as OptionError).option, option);
      assert.match((e as Error).message, /cannot be combined with endpoint \(which is used as given\)/);
    }
  }
  assert.ok(
    transcribeUrl({ ...BASE, endpoint: 'ws://127.0.0.1:8080', dualStack: false, fips: false }).startsWith(
      'ws://127.0.0.1:8080/',
    ),
  );
});

shape('custom endpoint: its scheme, host and port are used (and signed); a path prefixes', () => {
  const p = parse(transcribeUrl({ ...BASE, endpoint: 'ws://127.0.0.1:8099' }));
  assert.is(p.origin, 'ws://127.0.0.1:8099');
  assert.is(p.path, '/stream-transcription-websocket');
  assert.is(
    parse(transcribeUrl({ ...BASE, endpoint: 'wss://proxy.example.com/aws/' })).path,
    '/aws/stream-transcription-websocket',
  );
  assert.is(parse(transcribeUrl({ ...BASE, endpoint: new URL('ws://localhost:9/') })).origin, 'ws://localhost:9');
  assert.is(
    parse(
      transcribeUrl({
        ...BASE,
        endpoint: 'ws://localhost:9',
        medical: true,
        specialty: 'CARDIOLOGY',
        type: 'DICTATION',
      }),
    ).path,
    '/medical-stream-transcription-websocket',
  );
  // A region that is only a signing scope is fine with a custom endpoint.
  assert.ok(
    transcribeUrl({ ...BASE, endpoint: 'ws://127.0.0.1:1', region: 'local' }).includes('%2Flocal%2Ftranscribe%2F'),
  );
});

shape('expiresIn up to 300, date injectable', () => {
  assert.equal(parse(transcribeUrl({ ...BASE, expiresIn: 60 })).query.get('X-Amz-Expires'), ['60']);
  assert.equal(parse(transcribeUrl({ ...BASE, expiresIn: 1 })).query.get('X-Amz-Expires'), ['1']);
  const later = transcribeUrl({ ...BASE, date: new Date('2026-11-26T00:00:00Z') });
  assert.equal(parse(later).query.get('X-Amz-Date'), ['20261126T000000Z']);
  assert.is.not(
    parse(later).query.get('X-Amz-Signature')![0],
    parse(transcribeUrl(BASE)).query.get('X-Amz-Signature')![0],
  );
});

shape.run();

// --- option -> wire parameter --------------------------------------------------------------------

const mapping = suite('transcribeUrl: every option maps to its query parameter');

const CASES: [Partial<TranscribeUrlOptions>, Record<string, string>][] = [
  [{ languageCode: 'de-DE' }, { 'language-code': 'de-DE' }],
  [{ sampleRate: 8000 }, { 'sample-rate': '8000' }],
  [{ sampleRate: 48000 }, { 'sample-rate': '48000' }],
  [{ mediaEncoding: 'ogg-opus' }, { 'media-encoding': 'ogg-opus' }],
  [{ mediaEncoding: 'flac' }, { 'media-encoding': 'flac' }],
  [{ vocabularyName: 'my.vocab_1-x' }, { 'vocabulary-name': 'my.vocab_1-x' }],
  [{ sessionId: '123e4567-e89b-12d3-a456-426614174000' }, { 'session-id': '123e4567-e89b-12d3-a456-426614174000' }],
  [{ vocabularyFilterName: 'filter1' }, { 'vocabulary-filter-name': 'filter1' }],
  [
    { vocabularyFilterName: 'f', vocabularyFilterMethod: 'mask' },
    { 'vocabulary-filter-name': 'f', 'vocabulary-filter-method': 'mask' },
  ],
  [{ showSpeakerLabel: true }, { 'show-speaker-label': 'true' }],
  [
    { enableChannelIdentification: true, numberOfChannels: 2 },
    { 'enable-channel-identification': 'true', 'number-of-channels': '2' },
  ],
  [{ enablePartialResultsStabilization: true }, { 'enable-partial-results-stabilization': 'true' }],
  [
    { enablePartialResultsStabilization: true, partialResultsStability: 'low' },
    { 'enable-partial-results-stabilization': 'true', 'partial-results-stability': 'low' },
  ],
  [{ contentIdentificationType: 'PII' }, { 'content-identification-type': 'PII' }],
  [{ contentRedactionType: 'PII' }, { 'content-redaction-type': 'PII' }],
  [
    { contentRedactionType: 'PII', piiEntityTypes: ['NAME', 'SSN'] },
    { 'content-redaction-type': 'PII', 'pii-entity-types': 'NAME,SSN' },
  ],
  [
    { contentIdentificationType: 'PII', piiEntityTypes: 'EMAIL, PHONE' },
    { 'content-identification-type': 'PII', 'pii-entity-types': 'EMAIL,PHONE' },
  ],
  [{ languageModelName: 'clm-1' }, { 'language-model-name': 'clm-1' }],
  [
    { languageCode: undefined, identifyLanguage: true, languageOptions: ['en-US', 'de-DE'] },
    { 'identify-language': 'true', 'language-options': 'en-US,de-DE' },
  ],
  [
    {
      languageCode: undefined,
      identifyLanguage: true,
      languageOptions: 'en-GB,fr-FR,es-US',
      preferredLanguage: 'fr-FR',
    },
    { 'identify-language': 'true', 'language-options': 'en-GB,fr-FR,es-US', 'preferred-language': 'fr-FR' },
  ],
  [
    { languageCode: undefined, identifyMultipleLanguages: true, languageOptions: ['en-US', 'hi-IN'] },
    { 'identify-multiple-languages': 'true', 'language-options': 'en-US,hi-IN' },
  ],
  [
    {
      languageCode: undefined,
      identifyLanguage: true,
      languageOptions: ['en-US', 'de-DE'],
      vocabularyNames: ['v-en', 'v-de'],
    },
    { 'identify-language': 'true', 'language-options': 'en-US,de-DE', 'vocabulary-names': 'v-en,v-de' },
  ],
  [
    {
      languageCode: undefined,
      identifyMultipleLanguages: true,
      languageOptions: ['en-US', 'de-DE'],
      vocabularyFilterNames: 'f-en,f-de',
      vocabularyFilterMethod: 'tag',
    },
    {
      'identify-multiple-languages': 'true',
      'language-options': 'en-US,de-DE',
      'vocabulary-filter-names': 'f-en,f-de',
      'vocabulary-filter-method': 'tag',
    },
  ],
  [{ sessionResumeWindow: 30 }, { 'session-resume-window': '30' }],
  [{ transcriptFormat: 'spoken' }, { 'transcript-format': 'spoken' }],
  [{ transcriptFormat: 'written' }, { 'transcript-format': 'written' }],
  [
    { extraQuery: { 'x-amz-user-agent': 'aws-sdk-js/3.0 ua', custom: 'a&b=c' } },
    { 'x-amz-user-agent': 'aws-sdk-js/3.0 ua', custom: 'a&b=c' },
  ],
  // false booleans are the service default and are left out
  [
    {
      showSpeakerLabel: false,
      enableChannelIdentification: false,
      enablePartialResultsStabilization: false,
      identifyLanguage: false,
      fips: false,
    },
    {},
  ],
];

CASES.forEach(([opts, expected], i) => {
  mapping(`${i}: ${Object.keys(opts).join(', ')}`, () => {
    const got = wire(transcribeUrl({ ...BASE, ...opts }));
    const want: Record<string, string> = {
      'media-encoding': 'pcm',
      'sample-rate': '16000',
      ...(opts.languageCode === undefined && 'languageCode' in opts
        ? {}
        : { 'language-code': opts.languageCode ?? 'en-US' }),
      ...expected,
    };
    assert.equal(got, want);
  });
});

mapping('medical options', () => {
  const got = wire(
    transcribeUrl({
      ...BASE,
      medical: true,
      specialty: 'ONCOLOGY',
      type: 'DICTATION',
      sampleRate: 44100,
      vocabularyName: 'medvocab',
      showSpeakerLabel: true,
      sessionId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      enableChannelIdentification: true,
      numberOfChannels: 2,
      contentIdentificationType: 'PHI',
    }),
  );
  assert.equal(got, {
    'language-code': 'en-US',
    'media-encoding': 'pcm',
    'sample-rate': '44100',
    'vocabulary-name': 'medvocab',
    'session-id': 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    'show-speaker-label': 'true',
    'enable-channel-identification': 'true',
    'number-of-channels': '2',
    'content-identification-type': 'PHI',
    specialty: 'ONCOLOGY',
    type: 'DICTATION',
  });
});

mapping('every enum value of the service model (SDK 3.1141.0) is accepted', () => {
  for (const v of Object.values(sdk.MediaEncoding))
    assert.is(wire(transcribeUrl({ ...BASE, mediaEncoding: v }))['media-encoding'], v);
  for (const v of Object.values(sdk.VocabularyFilterMethod))
    assert.is(
      wire(transcribeUrl({ ...BASE, vocabularyFilterName: 'f', vocabularyFilterMethod: v }))[
        'vocabulary-filter-method'
      ],
      v,
    );
  for (const v of Object.values(sdk.PartialResultsStability))
    assert.is(
      wire(transcribeUrl({ ...BASE, enablePartialResultsStabilization: true, partialResultsStability: v }))[
        'partial-results-stability'
      ],
      v,
    );
  for (const v of Object.values(sdk.TranscriptFormat))
    assert.is(wire(transcribeUrl({ ...BASE, transcriptFormat: v }))['transcript-format'], v);
  for (const s of Object.values(sdk.Specialty))
    for (const t of Object.values(sdk.Type))
      assert.is(wire(transcribeUrl({ ...BASE, medical: true, specialty: s, type: t })).specialty, s);
  for (const v of Object.values(sdk.LanguageCode))
    assert.is(wire(transcribeUrl({ ...BASE, languageCode: v }))['language-code'], v);
});

mapping('STREAMING_LANGUAGE_CODES: the 99 codes of the SDK LanguageCode enum', () => {
  assert.is(STREAMING_LANGUAGE_CODES.length, 99);
  assert.is(new Set(STREAMING_LANGUAGE_CODES).size, 99);
  assert.equal([...STREAMING_LANGUAGE_CODES].sort(), Object.values(sdk.LanguageCode).sort());
  assert.ok(isStreamingLanguageCode('tl-PH'));
  assert.not.ok(isStreamingLanguageCode('en-us'));
  assert.not.ok(isStreamingLanguageCode('xx-XX'));
});

mapping.run();

// --- validation ----------------------------------------------------------------------------------

const rules = suite('transcribeUrl: every validation rule names its option');
const ID: Partial<TranscribeUrlOptions> = {
  languageCode: undefined,
  identifyLanguage: true,
  languageOptions: ['en-US', 'de-DE'],
};
const MED: Partial<TranscribeUrlOptions> = { medical: true, specialty: 'PRIMARYCARE', type: 'CONVERSATION' };

const BAD: [string, Partial<TranscribeUrlOptions> | Record<string, unknown>, string][] = [
  ['unknown option', { langaugeCode: 'en-US' }, 'langaugeCode'],
  ['no region', { region: undefined }, 'region'],
  ['bad region', { region: 'us-west-2.evil.com/' }, 'region'],
  ['no credentials', { credentials: undefined }, 'credentials'],
  [
    'credentials without secret',
    { credentials: { accessKeyId: 'a', secretAccessKey: '' } },
    'credentials.secretAccessKey',
  ],
  ['bad date', { date: new Date(Number.NaN) }, 'date'],
  ['expiresIn over 300', { expiresIn: 301 }, 'expiresIn'],
  ['expiresIn zero', { expiresIn: 0 }, 'expiresIn'],
  ['expiresIn fraction', { expiresIn: 10.5 }, 'expiresIn'],
  ['no sampleRate', { sampleRate: undefined }, 'sampleRate'],
  ['sampleRate low', { sampleRate: 7999 }, 'sampleRate'],
  ['sampleRate high', { sampleRate: 48001 }, 'sampleRate'],
  ['sampleRate fraction', { sampleRate: 16000.5 }, 'sampleRate'],
  ['sampleRate string', { sampleRate: '16000' }, 'sampleRate'],
  ['mediaEncoding', { mediaEncoding: 'wav' }, 'mediaEncoding'],
  ['no language choice', { languageCode: undefined }, 'languageCode'],
  ['bad languageCode', { languageCode: 'en-us' }, 'languageCode'],
  [
    'languageCode + identifyLanguage',
    { identifyLanguage: true, languageOptions: ['en-US', 'de-DE'] },
    'identifyLanguage',
  ],
  [
    'languageCode + identifyMultipleLanguages',
    { identifyMultipleLanguages: true, languageOptions: ['en-US', 'de-DE'] },
    'identifyMultipleLanguages',
  ],
  ['both identify options', { ...ID, identifyMultipleLanguages: true }, 'identifyMultipleLanguages'],
  ['identifyLanguage not boolean', { ...ID, identifyLanguage: 'true' }, 'identifyLanguage'],
  ['identify without options', { ...ID, languageOptions: undefined }, 'languageOptions'],
  ['one language option', { ...ID, languageOptions: ['en-US'] }, 'languageOptions'],
  [
    'six language options',
    { ...ID, languageOptions: ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'ja-JP'] },
    'languageOptions',
  ],
  ['two dialects of one language', { ...ID, languageOptions: ['en-US', 'en-AU'] }, 'languageOptions'],
  ['unknown language option', { ...ID, languageOptions: ['en-US', 'xx-XX'] }, 'languageOptions'],
  ['empty language option', { ...ID, languageOptions: 'en-US,,de-DE' }, 'languageOptions'],
  ['languageOptions without identify', { languageOptions: ['en-US', 'de-DE'] }, 'languageOptions'],
  ['preferredLanguage not in options', { ...ID, preferredLanguage: 'fr-FR' }, 'preferredLanguage'],
  ['preferredLanguage without identify', { preferredLanguage: 'en-US' }, 'preferredLanguage'],
  ['vocabularyName with identifyLanguage', { ...ID, vocabularyName: 'v' }, 'vocabularyName'],
  ['vocabularyFilterName with identifyLanguage', { ...ID, vocabularyFilterName: 'f' }, 'vocabularyFilterName'],
  ['languageModelName with identifyLanguage', { ...ID, languageModelName: 'clm' }, 'languageModelName'],
  ['redaction with identifyLanguage', { ...ID, contentRedactionType: 'PII' }, 'contentRedactionType'],
  ['vocabularyNames without identify', { vocabularyNames: ['a'] }, 'vocabularyNames'],
  ['vocabularyFilterNames without identify', { vocabularyFilterNames: ['a'] }, 'vocabularyFilterNames'],
  ['vocabularyNames bad entry', { ...ID, vocabularyNames: ['ok', 'not ok'] }, 'vocabularyNames'],
  [
    'vocabularyNames too long',
    { ...ID, vocabularyNames: Array.from({ length: 20 }, (_, i) => 'v'.repeat(190) + i) },
    'vocabularyNames',
  ],
  ['vocabularyName pattern', { vocabularyName: 'has space' }, 'vocabularyName'],
  ['vocabularyName too long', { vocabularyName: 'v'.repeat(201) }, 'vocabularyName'],
  ['vocabularyName empty', { vocabularyName: '' }, 'vocabularyName'],
  ['vocabularyFilterName pattern', { vocabularyFilterName: 'a/b' }, 'vocabularyFilterName'],
  ['languageModelName pattern', { languageModelName: 'm&x' }, 'languageModelName'],
  [
    'vocabularyFilterMethod enum',
    { vocabularyFilterName: 'f', vocabularyFilterMethod: 'hide' },
    'vocabularyFilterMethod',
  ],
  ['vocabularyFilterMethod without filter', { vocabularyFilterMethod: 'mask' }, 'vocabularyFilterMethod'],
  ['sessionId not a UUID', { sessionId: 'my-session' }, 'sessionId'],
  ['sessionId short', { sessionId: '123e4567-e89b-12d3-a456-42661417400' }, 'sessionId'],
  ['numberOfChannels 3', { enableChannelIdentification: true, numberOfChannels: 3 }, 'numberOfChannels'],
  ['numberOfChannels without identification', { numberOfChannels: 2 }, 'numberOfChannels'],
  ['channel identification without count', { enableChannelIdentification: true }, 'enableChannelIdentification'],
  ['stability without stabilization', { partialResultsStability: 'high' }, 'partialResultsStability'],
  [
    'stability enum',
    { enablePartialResultsStabilization: true, partialResultsStability: 'max' },
    'partialResultsStability',
  ],
  [
    'identification and redaction',
    { contentIdentificationType: 'PII', contentRedactionType: 'PII' },
    'contentRedactionType',
  ],
  ['PHI outside medical', { contentIdentificationType: 'PHI' }, 'contentIdentificationType'],
  ['redaction enum', { contentRedactionType: 'PHI' }, 'contentRedactionType'],
  ['piiEntityTypes alone', { piiEntityTypes: ['NAME'] }, 'piiEntityTypes'],
  ['piiEntityTypes unknown', { contentRedactionType: 'PII', piiEntityTypes: ['NAME', 'SHOE_SIZE'] }, 'piiEntityTypes'],
  ['piiEntityTypes empty', { contentRedactionType: 'PII', piiEntityTypes: [] }, 'piiEntityTypes'],
  ['sessionResumeWindow 0', { sessionResumeWindow: 0 }, 'sessionResumeWindow'],
  ['sessionResumeWindow 301', { sessionResumeWindow: 301 }, 'sessionResumeWindow'],
  ['transcriptFormat enum', { transcriptFormat: 'verbatim' }, 'transcriptFormat'],
  ['showSpeakerLabel not boolean', { showSpeakerLabel: 1 }, 'showSpeakerLabel'],
  ['endpoint scheme', { endpoint: 'https://example.com' }, 'endpoint'],
  ['endpoint with query', { endpoint: 'ws://localhost:1/?a=b' }, 'endpoint'],
  ['endpoint with user info', { endpoint: 'ws://u:p@localhost:1' }, 'endpoint'],
  ['endpoint with a bad host', { endpoint: 'ws://exa mple:1' }, 'endpoint'],
  ['endpoint with a bad port', { endpoint: 'ws://localhost:99999' }, 'endpoint'],
  ['fips with endpoint', { endpoint: 'ws://localhost:1', fips: true }, 'fips'],
  ['dualStack with endpoint', { endpoint: 'ws://localhost:1', dualStack: true }, 'dualStack'],
  ['dualStack not boolean', { dualStack: 'true' }, 'dualStack'],
  ['extraQuery repeats an option', { extraQuery: { 'language-code': 'de-DE' } }, 'extraQuery'],
  ['extraQuery sets a signing parameter', { extraQuery: { 'X-Amz-Expires': '9999' } }, 'extraQuery'],
  ['extraQuery non-string', { extraQuery: { a: 1 } }, 'extraQuery'],
  ['specialty outside medical', { specialty: 'CARDIOLOGY' }, 'specialty'],
  ['type outside medical', { type: 'DICTATION' }, 'type'],
  ['medical without specialty', { ...MED, specialty: undefined }, 'specialty'],
  ['medical without type', { ...MED, type: undefined }, 'type'],
  ['medical specialty enum', { ...MED, specialty: 'DERMATOLOGY' }, 'specialty'],
  ['medical type enum', { ...MED, type: 'CHAT' }, 'type'],
  ['medical language', { ...MED, languageCode: 'en-GB' }, 'languageCode'],
  ['medical sample rate', { ...MED, sampleRate: 8000 }, 'sampleRate'],
  ['medical PII', { ...MED, contentIdentificationType: 'PII' }, 'contentIdentificationType'],
  ['medical redaction', { ...MED, contentRedactionType: 'PII' }, 'contentRedactionType'],
  ['medical language identification', { ...MED, ...ID }, 'identifyLanguage'],
  ['medical stabilization', { ...MED, enablePartialResultsStabilization: true }, 'enablePartialResultsStabilization'],
  ['medical vocabulary filter', { ...MED, vocabularyFilterName: 'f' }, 'vocabularyFilterName'],
  ['medical custom model', { ...MED, languageModelName: 'm' }, 'languageModelName'],
  ['medical transcript format', { ...MED, transcriptFormat: 'spoken' }, 'transcriptFormat'],
  ['medical resume window', { ...MED, sessionResumeWindow: 5 }, 'sessionResumeWindow'],
];

for (const [name, opts, option] of BAD) {
  rules(name, () => {
    assert.is(optionOf(opts), option);
  });
}

rules('limits themselves are accepted', () => {
  for (const o of [
    { sampleRate: 8000 },
    { sampleRate: 48000 },
    { expiresIn: 300 },
    { sessionResumeWindow: 1 },
    { sessionResumeWindow: 300 },
    { vocabularyName: 'v'.repeat(200) },
    { ...ID, languageOptions: ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT'] },
    { ...MED, sampleRate: 16000 },
    { contentRedactionType: 'PII', piiEntityTypes: ['ALL'] },
    { extraQuery: { 'x-amz-user-agent': 'me' } },
  ] as Partial<TranscribeUrlOptions>[]) {
    assert.ok(transcribeUrl({ ...BASE, ...o }).startsWith('wss://'), JSON.stringify(o));
  }
});

rules('nothing is signed when an option is bad (the error comes first, without secrets)', () => {
  try {
    transcribeUrl({ ...BASE, sampleRate: 1 });
    assert.unreachable();
  } catch (e) {
    const text = String(e) + JSON.stringify(e);
    for (const secret of [CREDS.secretAccessKey, CREDS.sessionToken]) assert.not.ok(text.includes(secret));
  }
});

/** The message, toString and JSON of the OptionError `o` causes; fails if it causes none. */
function errorText(o: Record<string, unknown>): string {
  try {
    transcribeUrl({ ...BASE, ...o } as TranscribeUrlOptions);
  } catch (e) {
    assert.instance(e, OptionError, String(e));
    return `${(e as Error).message}\n${String(e)}\n${JSON.stringify(e)}`;
  }
  throw new Error(`expected an OptionError for ${Object.keys(o).join(', ')}`);
}

rules('a secret given as any option is refused without being echoed', () => {
  for (const option of Object.keys(EVERY_URL_OPTION)) {
    for (const secret of [FAKE_SECRET_KEY, FAKE_TOKEN]) {
      assertNoSecret(errorText({ [option]: secret }), option);
      // In a list too, and where the option's companions are on (its own check must still come first).
      assertNoSecret(errorText({ ...ID, [option]: [secret] }), `${option} as a list`);
      assertNoSecret(errorText({ ...MED, [option]: secret }), `${option} with medical`);
    }
  }
  assertNoSecret(errorText({ extraQuery: { 'X-Amz-Security-Token': FAKE_TOKEN } }), 'extraQuery value');
  assertNoSecret(errorText({ extraQuery: { a: FAKE_TOKEN, b: 1 } }), 'extraQuery value next to a bad one');
  assertNoSecret(
    errorText({ endpoint: `wss://AKID:${encodeURIComponent(FAKE_SECRET_KEY)}@h:1` }),
    'endpoint user info',
  );
  assertNoSecret(errorText({ endpoint: `wss://h:1/?X-Amz-Security-Token=${FAKE_TOKEN}` }), 'endpoint query');
});

rules('what an error may echo: short plain values; a secret-shaped or long one only by its length', () => {
  assert.match(
    errorText({ region: FAKE_SECRET_KEY }),
    /region: must be an AWS region such as us-east-1, got a string of 40 characters \(not shown\)/,
  );
  assert.match(
    errorText({ vocabularyName: FAKE_TOKEN }),
    new RegExp(`got a string of ${FAKE_TOKEN.length} characters \\(not shown\\)`),
  );
  assert.match(errorText({ region: 'us_east_1' }), /got "us_east_1"/);
  assert.match(errorText({ sampleRate: 7999 }), /got 7999/);
  assert.match(errorText({ showSpeakerLabel: 'yes' }), /true or false, got "yes"/);
  assert.match(errorText({ mediaEncoding: { secret: FAKE_SECRET_KEY } }), /got an object/);
});

rules('messages say what is allowed and what was given', () => {
  const message = (o: Partial<TranscribeUrlOptions> | Record<string, unknown>): string => {
    try {
      transcribeUrl({ ...BASE, ...o } as TranscribeUrlOptions);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`expected an OptionError for ${JSON.stringify(o)}`);
  };
  assert.match(message({ mediaEncoding: 'wav' }), /pcm, ogg-opus, flac, g711-alaw, g711-ulaw, g729.*"wav"/);
  assert.match(message({ sampleRate: 7999 }), /8000 to 48000.*7999/);
  assert.match(message({ ...MED, sampleRate: 8000 }), /16000 to 48000.*8000/);
  assert.match(message({ ...MED, languageCode: 'en-GB' }), /en-US.*"en-GB"/);
  assert.match(message({ languageCode: 'en-us' }), /STREAMING_LANGUAGE_CODES.*"en-us"/);
  assert.match(
    message({ contentRedactionType: 'PII', piiEntityTypes: ['NAME', 'SHOE_SIZE'] }),
    /VEHICLE_IDENTIFICATION_NUMBER.*"SHOE_SIZE"/,
  );
  assert.match(message({ vocabularyName: 'has space' }), /1 to 200 characters/);
  assert.match(message({ sessionId: 'my-session' }), /UUID/);
  assert.match(message({ ...ID, languageOptions: ['en-US', 'en-AU'] }), /one dialect per language/);
  assert.match(message({ vocabularyFilterMethod: 'mask' }), /needs vocabularyFilterName or vocabularyFilterNames/);
  assert.match(
    message({ ...ID, vocabularyName: 'v' }),
    /cannot be combined with identifyLanguage; use vocabularyNames/,
  );
  assert.match(
    message({ vocabularyNames: ['a'] }),
    /needs identifyLanguage or identifyMultipleLanguages; use vocabularyName /,
  );
  assert.match(message({ ...MED, transcriptFormat: 'spoken' }), /not supported by Transcribe Medical/);
  assert.match(message({ ...MED, type: undefined }), /required with medical/);
});

rules('medical: false booleans of options it does not take are accepted and not sent', () => {
  const url = transcribeUrl({
    ...BASE,
    ...MED,
    identifyLanguage: false,
    enablePartialResultsStabilization: false,
    fips: false,
  });
  assert.equal(wire(url), {
    'language-code': 'en-US',
    'media-encoding': 'pcm',
    'sample-rate': '16000',
    specialty: 'PRIMARYCARE',
    type: 'CONVERSATION',
  });
});

rules('options that are not an object, and an extraQuery that is not one, are option errors', () => {
  for (const bad of [null, 'us-east-1']) {
    try {
      transcribeUrl(bad as unknown as TranscribeUrlOptions);
      assert.unreachable();
    } catch (e) {
      assert.is((e as OptionError).option, 'options');
    }
  }
  assert.is(optionOf({ extraQuery: null }), 'extraQuery');
  assert.is(optionOf({ extraQuery: 'a=b' }), 'extraQuery');
  assert.is(
    optionOf({ extraQuery: { 'vocabulary-name': 'v' } }),
    'extraQuery',
    'a parameter name even when its option is not given',
  );
  assert.is(optionOf({ extraQuery: { '': 'v' } }), 'extraQuery');
});

rules.run();

// --- smithy re-signs the same URL ----------------------------------------------------------------

const resign = suite('transcribeUrl: @smithy/signature-v4 re-signing gives the same URL');

async function smithyPresign(url: string, o: TranscribeUrlOptions): Promise<Map<string, string[]>> {
  const p = parse(url);
  const m = /^(wss?):\/\/([^:/]+)(?::(\d+))?$/.exec(p.origin)!;
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of p.query) if (!k.startsWith('X-Amz-')) query[k] = v.length === 1 ? v[0]! : v;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: o.credentials.accessKeyId,
      secretAccessKey: o.credentials.secretAccessKey,
      ...(o.credentials.sessionToken ? { sessionToken: o.credentials.sessionToken } : {}),
    },
    region: o.region,
    service: 'transcribe',
    sha256: Sha256,
  });
  // What the JS SDK's websocket presigner does: host with its port as the only header, empty body.
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: `${m[1]}:`,
      hostname: m[2]!,
      ...(m[3] ? { port: Number(m[3]) } : {}),
      path: p.path,
      query,
      headers: { host: m[2]! + (m[3] ? `:${m[3]}` : '') },
      body: '',
    },
    { signingDate: o.date!, expiresIn: o.expiresIn ?? 300 },
  );
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(signed.query ?? {})) out.set(k, Array.isArray(v) ? v.map(String) : [String(v)]);
  return out;
}

const RESIGN: Partial<TranscribeUrlOptions>[] = [
  {},
  { credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } },
  {
    region: 'eu-central-1',
    sampleRate: 8000,
    mediaEncoding: 'flac',
    showSpeakerLabel: true,
    sessionId: '123e4567-e89b-12d3-a456-426614174000',
    expiresIn: 60,
  },
  {
    fips: true,
    region: 'us-east-1',
    vocabularyFilterName: 'f',
    vocabularyFilterMethod: 'mask',
    enablePartialResultsStabilization: true,
    partialResultsStability: 'medium',
  },
  { dualStack: true, fips: true, region: 'us-gov-west-1' },
  { region: 'cn-north-1', contentRedactionType: 'PII', piiEntityTypes: ['NAME', 'ADDRESS', 'CREDIT_DEBIT_NUMBER'] },
  {
    ...ID,
    preferredLanguage: 'de-DE',
    vocabularyNames: ['a', 'b'],
    transcriptFormat: 'spoken',
    sessionResumeWindow: 120,
  },
  { ...MED, enableChannelIdentification: true, numberOfChannels: 2, contentIdentificationType: 'PHI' },
  { endpoint: 'ws://127.0.0.1:8099', region: 'us-east-1' },
  {
    endpoint: 'wss://proxy.example.com:4443/prefix',
    extraQuery: { 'x-amz-user-agent': 'aws-sdk-js/3.1141.0', 'odd key': "it's (a) *test*!" },
  },
];

RESIGN.forEach((extra, i) => {
  resign(`case ${i}: ${Object.keys(extra).join(', ') || 'defaults'}`, async () => {
    const o = { ...BASE, ...extra } as TranscribeUrlOptions;
    const url = transcribeUrl(o);
    const theirs = await smithyPresign(url, o);
    const ours = parse(url).query;
    assert.equal(ours.get('X-Amz-Signature'), theirs.get('X-Amz-Signature'));
    assert.equal(new Map([...ours].sort()), new Map([...theirs].sort()));
  });
});

resign(
  'the signature covers the port: signing without :8443 gives a different one (amplify-backend#3015)',
  async () => {
    const url = transcribeUrl(BASE);
    const p = parse(url);
    const query: Record<string, string> = {};
    for (const [k, v] of p.query) if (!k.startsWith('X-Amz-')) query[k] = v[0]!;
    const signer = new SignatureV4({ credentials: CREDS, region: 'us-west-2', service: 'transcribe', sha256: Sha256 });
    const host = 'transcribestreaming.us-west-2.amazonaws.com';
    const noPort = await signer.presign(
      { method: 'GET', protocol: 'wss:', hostname: host, path: p.path, query, headers: { host } },
      { signingDate: DATE, expiresIn: 300 },
    );
    assert.is.not(String(noPort.query?.['X-Amz-Signature']), p.query.get('X-Amz-Signature')![0]);
  },
);

resign('redactUrl hides signature, key id and token of a transcribe URL', () => {
  const url = transcribeUrl(BASE);
  const sig = parse(url).query.get('X-Amz-Signature')![0]!;
  const red = redactUrl(url);
  for (const s of [sig, CREDS.accessKeyId, encodeURIComponent(CREDS.sessionToken), CREDS.sessionToken])
    assert.not.ok(red.includes(s), s);
  assert.ok(red.includes('language-code=en-US'));
  assert.ok(red.includes('X-Amz-Credential=REDACTED%2F20261125%2Fus-west-2%2Ftranscribe%2Faws4_request'));
});

resign.run();
