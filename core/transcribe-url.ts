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
 * One table row per option drives both the check and the query; how options depend on each other
 * is three small tables (needs, excludes, required with). The first bad option found is reported.
 */

import { OptionError } from './errors.js';
import { STREAMING_LANGUAGE_CODES } from './language-codes.js';
import type { StreamingLanguageCode } from './language-codes.js';
import { parseUrl, presignParsed } from './sigv4.js';
import type { Credentials, ParsedUrl, QueryPair } from './sigv4.js';
import { uriEncode } from './uri-encode.js';

export type TranscribeMediaEncoding = 'pcm' | 'ogg-opus' | 'flac' | 'g711-alaw' | 'g711-ulaw' | 'g729';
export type MedicalSpecialty = 'PRIMARYCARE' | 'CARDIOLOGY' | 'NEUROLOGY' | 'ONCOLOGY' | 'RADIOLOGY' | 'UROLOGY';
export type MedicalType = 'CONVERSATION' | 'DICTATION';
export type PiiEntityType =
  | 'ADDRESS'
  | 'BANK_ACCOUNT_NUMBER'
  | 'BANK_ROUTING'
  | 'CREDIT_DEBIT_CVV'
  | 'CREDIT_DEBIT_EXPIRY'
  | 'CREDIT_DEBIT_NUMBER'
  | 'EMAIL'
  | 'NAME'
  | 'PHONE'
  | 'PIN'
  | 'SSN'
  | 'AGE'
  | 'DATE_TIME'
  | 'LICENSE_PLATE'
  | 'PASSPORT_NUMBER'
  | 'PASSWORD'
  | 'USERNAME'
  | 'VEHICLE_IDENTIFICATION_NUMBER'
  | 'ALL';

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
  vocabularyFilterMethod?: 'remove' | 'mask' | 'tag' | undefined;
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
  partialResultsStability?: 'high' | 'medium' | 'low' | undefined;
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
  transcriptFormat?: 'written' | 'spoken' | undefined;
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
  /** Use the FIPS endpoint `transcribestreaming-fips.<region>`. */
  fips?: boolean | undefined;
  /** Seconds the URL is valid, 1..300 (Transcribe's maximum); default 300. */
  expiresIn?: number | undefined;
  /** Signing time; now by default. */
  date?: Date | undefined;
  /** Extra query parameters, signed with the rest (e.g. `x-amz-user-agent`); may not repeat a known one. */
  extraQuery?: Record<string, string> | undefined;
}

type Key = keyof TranscribeUrlOptions;

/** A list option: an array or a comma string of values checked by `of`, at most `chars` joined. */
interface List {
  of: Scalar;
  chars: number;
}
/**
 * A single value: `true` a boolean, `[min, max]` a whole number in that range, a string array
 * one of its values, a RegExp a string matching it.
 */
type Scalar = true | readonly [number, number] | readonly string[] | RegExp;
type Rule = Scalar | List;
/** Rules by option; 0: checked elsewhere (by the signer or below), or as in the standard table. */
type Rules = { readonly [K in Key]?: Rule | 0 };

// Service-model patterns.
const NAME = /^[0-9a-zA-Z._-]{1,200}$/;
const UUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const AWS_REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const SIGNING_REGION_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ENDPOINT_RE = /^(wss?):\/\/([^/?#@]+)(\/[^?#]*)?$/i;

const MAX_EXPIRES = 300;
const IDENTIFY = 'identifyLanguage identifyMultipleLanguages';

function words(s: string): string[] {
  return s.split(' ');
}

/** The StartStreamTranscription query parameters; each one's wire name is its kebab-case. */
const PARAMS: Rules = {
  languageCode: STREAMING_LANGUAGE_CODES,
  sampleRate: [8000, 48000],
  mediaEncoding: words('pcm ogg-opus flac g711-alaw g711-ulaw g729'),
  vocabularyName: NAME,
  sessionId: UUID,
  vocabularyFilterName: NAME,
  vocabularyFilterMethod: words('remove mask tag'),
  showSpeakerLabel: true,
  enableChannelIdentification: true,
  numberOfChannels: [2, 2],
  enablePartialResultsStabilization: true,
  partialResultsStability: words('high medium low'),
  contentIdentificationType: ['PII'],
  contentRedactionType: ['PII'],
  piiEntityTypes: {
    of: words(
      'ADDRESS BANK_ACCOUNT_NUMBER BANK_ROUTING CREDIT_DEBIT_CVV CREDIT_DEBIT_EXPIRY CREDIT_DEBIT_NUMBER EMAIL NAME PHONE PIN ' +
        'SSN AGE DATE_TIME LICENSE_PLATE PASSPORT_NUMBER PASSWORD USERNAME VEHICLE_IDENTIFICATION_NUMBER ALL',
    ),
    chars: 300,
  },
  languageModelName: NAME,
  identifyLanguage: true,
  languageOptions: { of: STREAMING_LANGUAGE_CODES, chars: 200 },
  preferredLanguage: STREAMING_LANGUAGE_CODES,
  identifyMultipleLanguages: true,
  vocabularyNames: { of: NAME, chars: 3000 },
  vocabularyFilterNames: { of: NAME, chars: 3000 },
  sessionResumeWindow: [1, 300],
  transcriptFormat: words('written spoken'),
  specialty: words('PRIMARYCARE CARDIOLOGY NEUROLOGY ONCOLOGY RADIOLOGY UROLOGY'),
  type: words('CONVERSATION DICTATION'),
};

/** The options that are not query parameters. */
const OTHERS: Rules = { region: 0, credentials: 0, medical: true, endpoint: 0, fips: true, expiresIn: [1, MAX_EXPIRES], date: 0, extraQuery: 0 };

/** The parameters StartMedicalStreamTranscription takes, with its own rule where it differs. */
const MEDICAL: Rules = {
  languageCode: ['en-US'],
  sampleRate: [16000, 48000],
  contentIdentificationType: ['PHI'],
  mediaEncoding: 0,
  vocabularyName: 0,
  specialty: 0,
  type: 0,
  showSpeakerLabel: 0,
  sessionId: 0,
  enableChannelIdentification: 0,
  numberOfChannels: 0,
};

// How options depend on each other: option -> space-separated options.
/** It needs one of these on too. */
const NEEDS: Partial<Record<Key, string>> = {
  languageOptions: IDENTIFY,
  preferredLanguage: IDENTIFY,
  vocabularyNames: IDENTIFY,
  vocabularyFilterNames: IDENTIFY,
  vocabularyFilterMethod: 'vocabularyFilterName vocabularyFilterNames',
  numberOfChannels: 'enableChannelIdentification',
  enableChannelIdentification: 'numberOfChannels',
  partialResultsStability: 'enablePartialResultsStabilization',
  piiEntityTypes: 'contentIdentificationType contentRedactionType',
  specialty: 'medical',
  type: 'medical',
};
/** It cannot be combined with any of these (exactly one way of choosing the language, …). */
const EXCLUDES: Partial<Record<Key, string>> = {
  identifyLanguage: 'languageCode',
  identifyMultipleLanguages: 'languageCode identifyLanguage',
  vocabularyName: IDENTIFY,
  vocabularyFilterName: IDENTIFY,
  languageModelName: IDENTIFY,
  contentRedactionType: 'contentIdentificationType ' + IDENTIFY,
  fips: 'endpoint',
};
/** It is required when one of these is on. */
const REQUIRED_WITH: Partial<Record<Key, string>> = { languageOptions: IDENTIFY, specialty: 'medical', type: 'medical' };

function fail(option: string, message: string): never {
  throw new OptionError(option, message);
}

/** `languageCode` -> `language-code`. */
function wire(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** What `rule` allows, when `v` is not that; undefined when it is. */
function problem(rule: Scalar, v: unknown): string | undefined {
  if (rule === true) return typeof v === 'boolean' ? undefined : 'true or false';
  if (rule instanceof RegExp) return typeof v === 'string' && rule.test(v) ? undefined : 'a string matching ' + rule.source;
  if (typeof rule[0] === 'number') {
    const [min, max] = rule as readonly [number, number];
    return Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : min === max ? String(min) : `a whole number from ${min} to ${max}`;
  }
  // The 99 language codes are named, not listed.
  const values = rule as readonly unknown[];
  return values.includes(v) ? undefined : 'one of ' + (rule === STREAMING_LANGUAGE_CODES ? 'STREAMING_LANGUAGE_CODES, e.g. en-US' : values.join(', '));
}

/** Check `v` against `rule` (throws naming `option`); returns its wire form (lists comma-joined). */
function check(option: string, rule: Rule, v: unknown): string {
  if ((rule as List).of === undefined) {
    const allowed = problem(rule as Scalar, v);
    if (allowed) fail(option, `must be ${allowed}, got ${JSON.stringify(v)}`);
    return String(v);
  }
  const { of, chars } = rule as List;
  const items: unknown = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v;
  if (!Array.isArray(items) || items.length === 0) fail(option, 'must be a non-empty array or comma-separated string');
  for (const item of items) {
    const allowed = problem(of, item);
    if (allowed) fail(option, `entries must be ${allowed}, got ${JSON.stringify(item)}`);
  }
  const joined = items.join(',');
  if (joined.length > chars) fail(option, `must be at most ${chars} characters once comma-joined`);
  return joined;
}

/** The list form of a name option is its plural (vocabularyName, vocabularyNames): a hint. */
function twin(key: string): string {
  const other = key.endsWith('s') ? key.slice(0, -1) : key + 's';
  return other in PARAMS ? `; use ${other} instead` : '';
}

/** Where the session connects: scheme, host (with port) and path, as the signer wants them. */
function target(o: TranscribeUrlOptions): ParsedUrl {
  const path = o.medical === true ? '/medical-stream-transcription-websocket' : '/stream-transcription-websocket';
  if (o.endpoint !== undefined) {
    const raw = String(o.endpoint);
    const m = ENDPOINT_RE.exec(raw);
    if (m === null) fail('endpoint', 'must be a ws:// or wss:// URL without query, fragment or user info, e.g. ws://127.0.0.1:8080');
    let url: ParsedUrl;
    try {
      url = parseUrl(m[1]!.toLowerCase() + '://' + m[2]! + (m[3] ?? '').replace(/\/+$/, '') + path);
    } catch (e) {
      fail('endpoint', `${(e as Error).message.replace(/^url: /, '')}: ${JSON.stringify(raw)}`);
    }
    return { ...url, query: '' };
  }
  // Per the endpoint rule set: China partitions live under amazonaws.com.cn; port 8443 for WebSocket.
  const domain = o.region.startsWith('cn-') ? '.amazonaws.com.cn:8443' : '.amazonaws.com:8443';
  const host = (o.fips === true ? 'transcribestreaming-fips.' : 'transcribestreaming.') + o.region + domain;
  return { scheme: 'wss', host, path, query: '' };
}

/** Check every option (throws `OptionError` naming the first bad one); returns the canonical query pairs. */
function queryOf(o: TranscribeUrlOptions): QueryPair[] {
  if (o === null || typeof o !== 'object') fail('options', 'must be an object');
  const medical = o.medical === true;
  const on = (k: string): boolean => o[k as Key] !== undefined && o[k as Key] !== false;
  const any = (keys: string): string | undefined => words(keys).find(on);

  // Each option by itself, in the order given; collects the wire values of the parameters.
  const values: Record<string, string> = { 'media-encoding': 'pcm' };
  for (const key of Object.keys(o) as Key[]) {
    const v = o[key];
    const param = key in PARAMS;
    if (!param && !(key in OTHERS)) fail(key, 'is not a transcribeUrl option (check the spelling; see TranscribeUrlOptions)');
    if (v === undefined) continue;
    let rule = (param ? PARAMS : OTHERS)[key];
    if (medical && param && v !== false) {
      if (!(key in MEDICAL)) fail(key, 'is not supported by Transcribe Medical streaming');
      rule = MEDICAL[key] || rule;
    }
    // Booleans are sent only when true (false is the service default for all of them).
    if (rule) {
      const value = check(key, rule, v);
      if (param && v !== false) values[wire(key)] = value;
    }
  }

  // Where, and what is required.
  if (typeof o.region !== 'string' || !(o.endpoint === undefined ? AWS_REGION_RE : SIGNING_REGION_RE).test(o.region))
    fail('region', `must be an AWS region such as us-east-1, got ${JSON.stringify(o.region)}`);
  if (o.sampleRate === undefined) fail('sampleRate', 'is required: the rate of the audio in Hz');
  if (!on('languageCode') && !any(IDENTIFY)) fail('languageCode', 'is required unless identifyLanguage or identifyMultipleLanguages is true');

  // The options together.
  for (const [key, others] of Object.entries(NEEDS))
    if (on(key) && !any(others)) fail(key, `needs ${words(others).join(' or ')}${twin(key)}`);
  for (const [key, others] of Object.entries(EXCLUDES)) {
    const clash = any(others);
    if (on(key) && clash) fail(key, `cannot be combined with ${clash}${twin(key)}`);
  }
  for (const [key, others] of Object.entries(REQUIRED_WITH)) {
    const by = any(others);
    if (!on(key) && by) fail(key, `is required with ${by}`);
  }
  const languages = values['language-options']?.split(',') ?? [];
  if (languages.length === 1 || languages.length > 5) fail('languageOptions', `must list 2 to 5 language codes, got ${languages.length}`);
  if (new Set(languages.map((c) => c.split('-')[0])).size < languages.length)
    fail('languageOptions', 'must have one dialect per language at most (not en-US with en-AU)');
  if (on('preferredLanguage') && !languages.includes(o.preferredLanguage!)) fail('preferredLanguage', 'must be one of languageOptions');

  // Wire names need no encoding; values are encoded (lists carry commas).
  const q: QueryPair[] = Object.entries(values).map(([k, v]) => ({ k, v: uriEncode(v) }));
  if (o.extraQuery !== undefined) {
    if (typeof o.extraQuery !== 'object' || o.extraQuery === null) fail('extraQuery', 'must be an object of string values');
    for (const [name, value] of Object.entries(o.extraQuery)) {
      if (typeof value !== 'string') fail('extraQuery', `value of ${JSON.stringify(name)} must be a string`);
      const lower = name.toLowerCase();
      if (name === '' || name in values || Object.keys(PARAMS).map(wire).includes(name) || (lower.startsWith('x-amz-') && lower !== 'x-amz-user-agent'))
        fail('extraQuery', `cannot set ${JSON.stringify(name)}: it is a transcribeUrl option or a signing parameter`);
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
    { service: 'transcribe', region: opts.region, credentials: opts.credentials, expiresIn: opts.expiresIn ?? MAX_EXPIRES, date: opts.date },
    target(opts),
    pairs,
  );
}
