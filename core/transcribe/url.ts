/**
 * The presigned WebSocket URL of a Transcribe streaming session. Every StartStreamTranscription
 * parameter travels in the query (the HTTP/2 header `x-amzn-transcribe-<name>` becomes `<name>`,
 * per the JS SDK's websocket middleware), so every option is checked here, before signing: a bad
 * value would otherwise surface as a socket that closes with no reason given.
 *
 * Sources: the Transcribe docs ("Setting up a WebSocket stream", the StartStreamTranscription and
 * StartMedicalStreamTranscription API references) and the service model in
 * @aws-sdk/client-transcribe-streaming 3.1141.0 (names, enums, ranges, patterns).
 *
 * One table row per option (its rule, what Transcribe Medical makes of it, what it needs, excludes
 * and is required with) drives both the checks and the query. The first bad option found is reported.
 */

import { isStreamingLanguageCode } from './language-codes.js';
import type { StreamingLanguageCode } from './language-codes.js';
import { describeValue } from '../sigv4/redact.js';
import { presignParsed } from '../sigv4/sigv4.js';
import type { Credentials } from '../sigv4/credentials.js';
import type { QueryPair } from '../sigv4/sigv4.js';
import { uriEncode } from '../encoding/uri-encode.js';
import { streamEndpoint } from './endpoint.js';
import { BOOLEAN, fail, list, oneOf, pattern, range, rule } from './url-rules.js';
import type { Rule } from './url-rules.js';

// The enums of the service model; the option types below derive from these lists, which the
// rules also check against (and print, in this order, when a value is not one of them).
const MEDIA_ENCODINGS = ['pcm', 'ogg-opus', 'flac', 'g711-alaw', 'g711-ulaw', 'g729'] as const;
const VOCABULARY_FILTER_METHODS = ['remove', 'mask', 'tag'] as const;
const PARTIAL_RESULTS_STABILITIES = ['high', 'medium', 'low'] as const;
const TRANSCRIPT_FORMATS = ['written', 'spoken'] as const;
const MEDICAL_SPECIALTIES = ['PRIMARYCARE', 'CARDIOLOGY', 'NEUROLOGY', 'ONCOLOGY', 'RADIOLOGY', 'UROLOGY'] as const;
const MEDICAL_TYPES = ['CONVERSATION', 'DICTATION'] as const;
// biome-ignore format: a table of names, not one a line
const PII_ENTITY_TYPES = [
  'ADDRESS', 'BANK_ACCOUNT_NUMBER', 'BANK_ROUTING', 'CREDIT_DEBIT_CVV', 'CREDIT_DEBIT_EXPIRY', 'CREDIT_DEBIT_NUMBER',
  'EMAIL', 'NAME', 'PHONE', 'PIN', 'SSN', 'AGE', 'DATE_TIME', 'LICENSE_PLATE', 'PASSPORT_NUMBER', 'PASSWORD',
  'USERNAME', 'VEHICLE_IDENTIFICATION_NUMBER', 'ALL',
] as const;

export type TranscribeMediaEncoding = (typeof MEDIA_ENCODINGS)[number];
export type MedicalSpecialty = (typeof MEDICAL_SPECIALTIES)[number];
export type MedicalType = (typeof MEDICAL_TYPES)[number];
export type PiiEntityType = (typeof PII_ENTITY_TYPES)[number];

/**
 * Options of `transcribeUrl`. Each maps to the query parameter in brackets. Booleans are sent only
 * when true (false is the service default for all of them). Lists take an array or a comma string.
 */
export interface TranscribeUrlOptions {
  /** AWS region, e.g. `us-east-1`; also the signing region. */
  region: string;
  credentials: Credentials;
  /** [sample-rate] Hz, integer 8000..48000 (medical: 16000..48000); must match the audio. */
  sampleRate: number;
  /** [media-encoding] Default `pcm` (signed 16-bit little-endian, no WAV header). */
  mediaEncoding?: TranscribeMediaEncoding | undefined;
  /** [language-code] Exactly one of languageCode, identifyLanguage, identifyMultipleLanguages. */
  languageCode?: StreamingLanguageCode | undefined;
  /** [identify-language] Needs languageOptions. */
  identifyLanguage?: boolean | undefined;
  /** [identify-multiple-languages] Needs languageOptions. */
  identifyMultipleLanguages?: boolean | undefined;
  /** [language-options] 2..5 codes, at most one dialect per language (not en-US with en-AU). */
  languageOptions?: string | readonly StreamingLanguageCode[] | undefined;
  /** [preferred-language] One of languageOptions. */
  preferredLanguage?: StreamingLanguageCode | undefined;
  /** [vocabulary-name] 1..200 of `[0-9a-zA-Z._-]`; with languageCode (identify* use vocabularyNames). */
  vocabularyName?: string | undefined;
  /** [vocabulary-names] With identifyLanguage/identifyMultipleLanguages. */
  vocabularyNames?: string | readonly string[] | undefined;
  /** [vocabulary-filter-name] Like vocabularyName. */
  vocabularyFilterName?: string | undefined;
  /** [vocabulary-filter-names] Like vocabularyNames. */
  vocabularyFilterNames?: string | readonly string[] | undefined;
  /** [vocabulary-filter-method] `mask` (***), `remove`, or `tag`; needs a vocabulary filter. */
  vocabularyFilterMethod?: (typeof VOCABULARY_FILTER_METHODS)[number] | undefined;
  /** [session-id] A UUID; the service makes one up otherwise. */
  sessionId?: string | undefined;
  /** [show-speaker-label] Speaker diarization. */
  showSpeakerLabel?: boolean | undefined;
  /** [enable-channel-identification] Needs numberOfChannels: 2. */
  enableChannelIdentification?: boolean | undefined;
  /** [number-of-channels] Must be 2; needs enableChannelIdentification. */
  numberOfChannels?: number | undefined;
  /** [enable-partial-results-stabilization] */
  enablePartialResultsStabilization?: boolean | undefined;
  /** [partial-results-stability] Needs enablePartialResultsStabilization. */
  partialResultsStability?: (typeof PARTIAL_RESULTS_STABILITIES)[number] | undefined;
  /** [content-identification-type] `PII` (medical: `PHI`); not with contentRedactionType. */
  contentIdentificationType?: 'PII' | 'PHI' | undefined;
  /** [content-redaction-type] `PII`; not with contentIdentificationType nor language identification. */
  contentRedactionType?: 'PII' | undefined;
  /** [pii-entity-types] Needs contentIdentificationType or contentRedactionType. */
  piiEntityTypes?: string | readonly PiiEntityType[] | undefined;
  /** [language-model-name] Custom language model; with languageCode only. */
  languageModelName?: string | undefined;
  /** [session-resume-window] Minutes, 1..300, during which the session can be resumed. */
  sessionResumeWindow?: number | undefined;
  /** [transcript-format] `written` ($50, the service default) or `spoken` (fifty dollars). */
  transcriptFormat?: (typeof TRANSCRIPT_FORMATS)[number] | undefined;
  /** Transcribe Medical (`/medical-stream-transcription-websocket`): needs specialty and type, en-US. */
  medical?: boolean | undefined;
  /** [specialty] Medical only. */
  specialty?: MedicalSpecialty | undefined;
  /** [type] Medical only. */
  type?: MedicalType | undefined;
  /**
   * A `ws://` or `wss://` URL to connect to instead of AWS (e.g. the emulator). Its host and port
   * are what gets signed; a path in it prefixes the Transcribe path.
   */
  endpoint?: string | URL | undefined;
  /** Use the FIPS endpoint `transcribestreaming-fips.<region>…`; not with `endpoint`. */
  fips?: boolean | undefined;
  /**
   * Use the dual-stack (IPv4 and IPv6) endpoint `transcribestreaming.<region>.api.aws` (China:
   * `api.amazonwebservices.com.cn`), the official client's `useDualstackEndpoint`; with `fips`,
   * `transcribestreaming-fips.<region>.api.aws`. Not with `endpoint`. A region without a dual-stack
   * endpoint fails to connect (the host does not resolve).
   */
  dualStack?: boolean | undefined;
  /** Seconds the URL is valid, 1..300 (Transcribe's maximum); default 300. */
  expiresIn?: number | undefined;
  /** Signing time; now by default. */
  date?: Date | undefined;
  /** Extra query parameters, signed with the rest (e.g. `x-amz-user-agent`); may not repeat a known one. */
  extraQuery?: Record<string, string> | undefined;
}

type Key = keyof TranscribeUrlOptions;

/** What every option may declare: how its value is checked and which other options it depends on. */
interface OptionSpec {
  /** Its check here; none for the options checked where they are used (see URL_OPTIONS). */
  readonly rule?: Rule;
  /** At least one of these must be on (given, and not false) too. */
  readonly needs?: readonly Key[];
  /** None of these may be on. */
  readonly excludes?: readonly Key[];
}

/** An option sent as a query parameter. */
interface QueryOption extends OptionSpec {
  readonly rule: Rule;
  /** What Transcribe Medical makes of it: the same rule, a rule of its own, or a refusal. */
  readonly medical: 'same rule' | 'not supported' | Rule;
  /** It must be given when one of these is on. */
  readonly requiredWith?: readonly Key[];
}

// Service-model patterns and enums.
const NAME = pattern(/^[0-9a-zA-Z._-]{1,200}$/, '1 to 200 characters of 0-9 a-z A-Z . _ -');
const LANGUAGE = rule((v) => isStreamingLanguageCode(v as string), 'one of STREAMING_LANGUAGE_CODES, e.g. en-US');
const PII = oneOf(['PII']);
const MAX_EXPIRES = 300;
/** The two ways of language identification: with either, languageCode is left out. */
const IDENTIFY: readonly Key[] = ['identifyLanguage', 'identifyMultipleLanguages'];

const LANGUAGES = list(LANGUAGE);

/** 2 to 5 language codes, at most one dialect per language (not en-US with en-AU). */
function languageOptions(option: string, v: unknown): string {
  const joined = LANGUAGES(option, v);
  const languages = joined.split(',').map((c) => c.slice(0, c.indexOf('-')));
  if (languages.length < 2 || languages.length > 5 || languages.some((l, i) => languages.indexOf(l) < i))
    fail(option, `must list 2 to 5 language codes, one dialect per language at most; got ${joined}`);
  return joined;
}

/** The StartStreamTranscription query parameters; each one's wire name is its kebab-case. */
const QUERY_OPTIONS: { readonly [K in Key]?: QueryOption } = {
  languageCode: { rule: LANGUAGE, medical: oneOf(['en-US']), requiredWith: ['medical'] },
  sampleRate: { rule: range(8000, 48000), medical: range(16000, 48000) },
  mediaEncoding: { rule: oneOf(MEDIA_ENCODINGS), medical: 'same rule' },
  vocabularyName: { rule: NAME, medical: 'same rule', excludes: IDENTIFY },
  sessionId: { rule: pattern(/^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i, 'a UUID'), medical: 'same rule' },
  vocabularyFilterName: { rule: NAME, medical: 'not supported', excludes: IDENTIFY },
  vocabularyFilterMethod: {
    rule: oneOf(VOCABULARY_FILTER_METHODS),
    medical: 'not supported',
    needs: ['vocabularyFilterName', 'vocabularyFilterNames'],
  },
  showSpeakerLabel: { rule: BOOLEAN, medical: 'same rule' },
  enableChannelIdentification: { rule: BOOLEAN, medical: 'same rule', needs: ['numberOfChannels'] },
  numberOfChannels: { rule: oneOf([2]), medical: 'same rule', needs: ['enableChannelIdentification'] },
  enablePartialResultsStabilization: { rule: BOOLEAN, medical: 'not supported' },
  partialResultsStability: {
    rule: oneOf(PARTIAL_RESULTS_STABILITIES),
    medical: 'not supported',
    needs: ['enablePartialResultsStabilization'],
  },
  contentIdentificationType: { rule: PII, medical: oneOf(['PHI']) },
  contentRedactionType: { rule: PII, medical: 'not supported', excludes: ['contentIdentificationType', ...IDENTIFY] },
  piiEntityTypes: {
    rule: list(oneOf(PII_ENTITY_TYPES), 300),
    medical: 'not supported',
    needs: ['contentIdentificationType', 'contentRedactionType'],
  },
  languageModelName: { rule: NAME, medical: 'not supported', excludes: IDENTIFY },
  // Exactly one of languageCode, identifyLanguage, identifyMultipleLanguages (queryOf asks for one).
  identifyLanguage: { rule: BOOLEAN, medical: 'not supported', excludes: ['languageCode'] },
  languageOptions: { rule: languageOptions, medical: 'not supported', needs: IDENTIFY, requiredWith: IDENTIFY },
  preferredLanguage: { rule: LANGUAGE, medical: 'not supported', needs: IDENTIFY },
  identifyMultipleLanguages: {
    rule: BOOLEAN,
    medical: 'not supported',
    excludes: ['languageCode', 'identifyLanguage'],
  },
  vocabularyNames: { rule: list(NAME, 3000), medical: 'not supported', needs: IDENTIFY },
  vocabularyFilterNames: { rule: list(NAME, 3000), medical: 'not supported', needs: IDENTIFY },
  sessionResumeWindow: { rule: range(1, 300), medical: 'not supported' },
  transcriptFormat: { rule: oneOf(TRANSCRIPT_FORMATS), medical: 'not supported' },
  specialty: { rule: oneOf(MEDICAL_SPECIALTIES), medical: 'same rule', needs: ['medical'], requiredWith: ['medical'] },
  type: { rule: oneOf(MEDICAL_TYPES), medical: 'same rule', needs: ['medical'], requiredWith: ['medical'] },
};

/**
 * The options that choose the URL or sign it instead of being sent. Those without a rule are
 * checked where they are used: region, endpoint and extraQuery below, credentials and date by the signer.
 */
const URL_OPTIONS: { readonly [K in Key]?: OptionSpec } = {
  region: {},
  credentials: {},
  medical: { rule: BOOLEAN },
  endpoint: {},
  fips: { rule: BOOLEAN, excludes: ['endpoint'] },
  dualStack: { rule: BOOLEAN, excludes: ['endpoint'] },
  expiresIn: { rule: range(1, MAX_EXPIRES) },
  date: {},
  extraQuery: {},
};

/** Option -> query parameter: its kebab-case (`languageCode` -> `language-code`), computed once. */
const WIRE: Record<string, string> = {};
for (const key in QUERY_OPTIONS) WIRE[key] = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The query options that are required with others, with those others (from QUERY_OPTIONS, once). */
const REQUIRED_WITH: [Key, readonly Key[]][] = [];
for (const key in QUERY_OPTIONS) {
  const requiredWith = QUERY_OPTIONS[key as Key]!.requiredWith;
  if (requiredWith !== undefined) REQUIRED_WITH.push([key as Key, requiredWith]);
}

/** The list form of a name option is its plural (vocabularyName, vocabularyNames): a hint. */
function twin(key: string): string {
  const other = key.endsWith('s') ? key.slice(0, -1) : `${key}s`;
  return other in QUERY_OPTIONS ? `; use ${other} instead` : '';
}

/** Check every option (throws `OptionError` naming the first bad one); returns the canonical query pairs. */
function queryOf(o: TranscribeUrlOptions): QueryPair[] {
  if (o === null || typeof o !== 'object') fail('options', 'must be an object');
  const medical = o.medical === true;
  const on = (k: Key): boolean => o[k] !== undefined && o[k] !== false;
  /** The first of `keys` that is on. */
  const anyOn = (keys: readonly Key[] | undefined): Key | undefined => keys?.find(on);

  // Each option by itself and with the others, in the order given; collects the parameters' wire values.
  const values: Record<string, string> = { 'media-encoding': 'pcm' };
  for (const key of Object.keys(o) as Key[]) {
    const v = o[key];
    const param = QUERY_OPTIONS[key];
    const spec = param ?? URL_OPTIONS[key] ?? fail(key, 'is not a transcribeUrl option (check the spelling)');
    if (v === undefined) continue;
    // Booleans are sent only when true (false is the service default for all of them).
    const sent = param !== undefined && v !== false;
    // Transcribe Medical takes fewer parameters, a few with its own rule.
    let check = spec.rule;
    if (sent && medical) {
      if (param.medical === 'not supported') fail(key, 'is not supported by Transcribe Medical streaming');
      if (param.medical !== 'same rule') check = param.medical;
    }
    if (check !== undefined) {
      const value = check(key, v);
      if (sent) values[WIRE[key]!] = value;
    }
    if (v !== false) {
      if (spec.needs !== undefined && anyOn(spec.needs) === undefined)
        fail(key, `needs ${spec.needs.join(' or ')}${twin(key)}`);
      const clash = anyOn(spec.excludes);
      if (clash === 'endpoint') fail(key, 'cannot be combined with endpoint (which is used as given)');
      if (clash !== undefined) fail(key, `cannot be combined with ${clash}${twin(key)}`);
    }
  }

  // What is required. The region is part of the AWS host name, so only region-shaped names pass;
  // with a custom endpoint it is only the signing scope.
  if (
    typeof o.region !== 'string' ||
    !(o.endpoint === undefined ? /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/ : /^[a-z\d]+(-[a-z\d]+)*$/).test(o.region)
  )
    fail('region', `must be an AWS region such as us-east-1, got ${describeValue(o.region)}`);
  if (o.sampleRate === undefined) fail('sampleRate', 'is required: the rate of the audio in Hz');
  for (const [key, requiredWith] of REQUIRED_WITH) {
    const by = anyOn(requiredWith);
    if (by !== undefined && !on(key)) fail(key, `is required with ${by}`);
  }
  if (!on('languageCode') && anyOn(IDENTIFY) === undefined)
    fail('languageCode', 'is required unless identifyLanguage or identifyMultipleLanguages is true');
  // Here preferredLanguage implies language identification, and that implies languageOptions.
  if (on('preferredLanguage') && !values['language-options']!.split(',').includes(o.preferredLanguage!))
    fail('preferredLanguage', 'must be one of languageOptions');

  // Wire names need no encoding; values are encoded (lists carry commas).
  const q: QueryPair[] = [];
  for (const k in values) q.push({ k, v: uriEncode(values[k]!) });
  const extra = o.extraQuery;
  if (extra !== undefined) {
    if (
      extra === null ||
      typeof extra !== 'object' ||
      Array.isArray(extra) ||
      Object.values(extra).some((v) => typeof v !== 'string')
    )
      fail('extraQuery', 'must be an object of string values');
    for (const [name, value] of Object.entries(extra)) {
      const lower = name.toLowerCase();
      if (
        name === '' ||
        Object.values(WIRE).includes(name) ||
        (lower.startsWith('x-amz-') && lower !== 'x-amz-user-agent')
      )
        fail('extraQuery', `cannot set ${describeValue(name)}: it is a transcribeUrl option or a signing parameter`);
      q.push({ k: uriEncode(name), v: uriEncode(value) });
    }
  }
  return q;
}

/**
 * The presigned `wss://transcribestreaming.<region>.amazonaws.com:8443/stream-transcription-websocket?…`
 * URL for `opts`, signed for service `transcribe` with `host` (and its port) as the one signed
 * header and the empty payload hash. Throws `OptionError` (code `INVALID_OPTION`, `option` naming
 * the camelCase option) before signing when an option is invalid.
 */
export function transcribeUrl(opts: TranscribeUrlOptions): string {
  const pairs = queryOf(opts);
  return presignParsed(
    {
      service: 'transcribe',
      region: opts.region,
      credentials: opts.credentials,
      expiresIn: opts.expiresIn ?? MAX_EXPIRES,
      date: opts.date,
    },
    streamEndpoint(opts),
    pairs,
  );
}
