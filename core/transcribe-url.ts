/**
 * The presigned WebSocket URL of a Transcribe streaming session. Every StartStreamTranscription
 * parameter travels in the query (the HTTP/2 header `x-amzn-transcribe-<name>` becomes `<name>`,
 * per the JS SDK's websocket middleware), so every option is checked here, before signing: a bad
 * value would otherwise surface as a socket that closes with no reason given.
 *
 * Sources: the Transcribe docs ("Setting up a WebSocket stream", the StartStreamTranscription and
 * StartMedicalStreamTranscription API references) and the service model in
 * @aws-sdk/client-transcribe-streaming 3.1141.0 (names, enums, ranges, patterns).
 */

import { OptionError } from './errors.js';
import { isStreamingLanguageCode } from './language-codes.js';
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

/** Option -> query parameter, for the options that are query parameters. */
const WIRE: Partial<Record<Key, string>> = {
  languageCode: 'language-code',
  sampleRate: 'sample-rate',
  mediaEncoding: 'media-encoding',
  vocabularyName: 'vocabulary-name',
  sessionId: 'session-id',
  vocabularyFilterName: 'vocabulary-filter-name',
  vocabularyFilterMethod: 'vocabulary-filter-method',
  showSpeakerLabel: 'show-speaker-label',
  enableChannelIdentification: 'enable-channel-identification',
  numberOfChannels: 'number-of-channels',
  enablePartialResultsStabilization: 'enable-partial-results-stabilization',
  partialResultsStability: 'partial-results-stability',
  contentIdentificationType: 'content-identification-type',
  contentRedactionType: 'content-redaction-type',
  piiEntityTypes: 'pii-entity-types',
  languageModelName: 'language-model-name',
  identifyLanguage: 'identify-language',
  languageOptions: 'language-options',
  preferredLanguage: 'preferred-language',
  identifyMultipleLanguages: 'identify-multiple-languages',
  vocabularyNames: 'vocabulary-names',
  vocabularyFilterNames: 'vocabulary-filter-names',
  sessionResumeWindow: 'session-resume-window',
  transcriptFormat: 'transcript-format',
  specialty: 'specialty',
  type: 'type',
};

const OTHER_KEYS: readonly Key[] = ['region', 'credentials', 'medical', 'endpoint', 'fips', 'expiresIn', 'date', 'extraQuery'];
const KNOWN = new Set<string>([...Object.keys(WIRE), ...OTHER_KEYS]);
const BOOLEANS = new Set<string>([
  'identifyLanguage',
  'identifyMultipleLanguages',
  'showSpeakerLabel',
  'enableChannelIdentification',
  'enablePartialResultsStabilization',
  'medical',
  'fips',
]);
/** What StartMedicalStreamTranscription accepts besides the non-wire options. */
const MEDICAL_KEYS = new Set<string>([
  'languageCode',
  'sampleRate',
  'mediaEncoding',
  'vocabularyName',
  'specialty',
  'type',
  'showSpeakerLabel',
  'sessionId',
  'enableChannelIdentification',
  'numberOfChannels',
  'contentIdentificationType',
]);

const ENUMS: Partial<Record<Key, readonly string[]>> = {
  mediaEncoding: ['pcm', 'ogg-opus', 'flac', 'g711-alaw', 'g711-ulaw', 'g729'],
  vocabularyFilterMethod: ['remove', 'mask', 'tag'],
  partialResultsStability: ['high', 'medium', 'low'],
  contentRedactionType: ['PII'],
  transcriptFormat: ['written', 'spoken'],
  specialty: ['PRIMARYCARE', 'CARDIOLOGY', 'NEUROLOGY', 'ONCOLOGY', 'RADIOLOGY', 'UROLOGY'],
  type: ['CONVERSATION', 'DICTATION'],
};
const PII_TYPES = new Set<string>([
  'ADDRESS', 'BANK_ACCOUNT_NUMBER', 'BANK_ROUTING', 'CREDIT_DEBIT_CVV', 'CREDIT_DEBIT_EXPIRY', 'CREDIT_DEBIT_NUMBER',
  'EMAIL', 'NAME', 'PHONE', 'PIN', 'SSN', 'AGE', 'DATE_TIME', 'LICENSE_PLATE', 'PASSPORT_NUMBER', 'PASSWORD',
  'USERNAME', 'VEHICLE_IDENTIFICATION_NUMBER', 'ALL',
]);
/** Options whose value is a list (array or comma string), joined with commas on the wire. */
const LISTS = new Set<string>(['languageOptions', 'vocabularyNames', 'vocabularyFilterNames', 'piiEntityTypes']);

// Service-model patterns.
const NAME_RE = /^[0-9a-zA-Z._-]{1,200}$/;
const UUID_RE = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const AWS_REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const SIGNING_REGION_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ENDPOINT_RE = /^(wss?):\/\/([^/?#@]+)(\/[^?#]*)?$/i;

const MAX_EXPIRES = 300;

function fail(option: string, message: string): never {
  throw new OptionError(option, message);
}

function list(option: string, value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : Array.isArray(value) ? (value as unknown[]) : null;
  if (items === null) fail(option, 'must be an array of strings or a comma-separated string');
  if (items.length === 0) fail(option, 'must not be empty');
  for (const item of items) if (typeof item !== 'string' || item === '') fail(option, 'has an empty or non-string entry');
  return items as string[];
}

function names(option: string, value: unknown): string {
  const items = list(option, value);
  for (const n of items) if (!NAME_RE.test(n)) fail(option, `entry ${JSON.stringify(n)} must be 1..200 characters of 0-9 a-z A-Z . _ -`);
  const joined = items.join(',');
  if (joined.length > 3000) fail(option, 'is longer than 3000 characters in total');
  return joined;
}

function languageCode(option: string, value: unknown): string {
  if (typeof value !== 'string' || !isStreamingLanguageCode(value))
    fail(option, `${JSON.stringify(value)} is not a Transcribe streaming language code (e.g. en-US; see STREAMING_LANGUAGE_CODES)`);
  return value;
}

/** Where the session connects: scheme, host (with port) and path, as the signer wants them. */
function target(o: TranscribeUrlOptions): ParsedUrl {
  const path = o.medical === true ? '/medical-stream-transcription-websocket' : '/stream-transcription-websocket';
  if (o.endpoint !== undefined) {
    const raw = typeof o.endpoint === 'string' ? o.endpoint : String(o.endpoint);
    const m = ENDPOINT_RE.exec(raw);
    if (m === null) fail('endpoint', 'must be a ws:// or wss:// URL without query, fragment or user info, e.g. ws://127.0.0.1:8080');
    const prefix = (m[3] ?? '').replace(/\/+$/, '');
    let url: ParsedUrl;
    try {
      url = parseUrl(m[1]!.toLowerCase() + '://' + m[2]! + prefix + path);
    } catch (e) {
      fail('endpoint', `${(e as Error).message.replace(/^url: /, '')}: ${JSON.stringify(raw)}`);
    }
    return { scheme: url.scheme, host: url.host, path: url.path, query: '' };
  }
  // Per the endpoint rule set: China partitions live under amazonaws.com.cn; port 8443 for WebSocket.
  const domain = o.region.startsWith('cn-') ? '.amazonaws.com.cn:8443' : '.amazonaws.com:8443';
  const host = (o.fips === true ? 'transcribestreaming-fips.' : 'transcribestreaming.') + o.region + domain;
  return { scheme: 'wss', host, path, query: '' };
}

/** Check every option (throws `OptionError` naming the first bad one); returns the canonical query pairs. */
function queryOf(o: TranscribeUrlOptions): QueryPair[] {
  if (o === null || typeof o !== 'object') fail('options', 'must be an object');
  const given = Object.keys(o) as Key[];
  const medical = o.medical === true;
  // Per-option checks: known name, type of booleans, enum membership, medical's smaller set.
  for (const key of given) {
    if (!KNOWN.has(key)) fail(key, 'is not a transcribeUrl option (check the spelling; see TranscribeUrlOptions)');
    const v = o[key];
    if (v === undefined) continue;
    if (BOOLEANS.has(key) && typeof v !== 'boolean') fail(key, 'must be true or false');
    const allowed = ENUMS[key];
    if (allowed !== undefined && !allowed.includes(v as string)) fail(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    if (medical && v !== false && WIRE[key] !== undefined && !MEDICAL_KEYS.has(key)) fail(key, 'is not supported by Transcribe Medical streaming');
  }
  const set = (k: Key): boolean => o[k] !== undefined;

  // Where: region and endpoint.
  if (typeof o.region !== 'string' || !(o.endpoint === undefined ? AWS_REGION_RE : SIGNING_REGION_RE).test(o.region))
    fail('region', `must be an AWS region such as us-east-1, got ${JSON.stringify(o.region)}`);
  if (o.fips === true && set('endpoint')) fail('fips', 'has no effect with a custom endpoint; put the FIPS host in endpoint instead');
  if (set('expiresIn') && (!Number.isInteger(o.expiresIn) || o.expiresIn! < 1 || o.expiresIn! > MAX_EXPIRES))
    fail('expiresIn', `must be a whole number of seconds from 1 to ${MAX_EXPIRES} (Transcribe's limit), got ${String(o.expiresIn)}`);

  // Medical takes a smaller parameter set (checked above) and adds specialty/type.
  if (medical) {
    if (!set('specialty')) fail('specialty', 'is required with medical: true (e.g. PRIMARYCARE)');
    if (!set('type')) fail('type', 'is required with medical: true (CONVERSATION or DICTATION)');
    if (o.languageCode !== 'en-US') fail('languageCode', 'must be en-US for Transcribe Medical streaming');
  } else {
    if (set('specialty')) fail('specialty', 'is for Transcribe Medical only (set medical: true)');
    if (set('type')) fail('type', 'is for Transcribe Medical only (set medical: true)');
  }

  // Audio.
  const minRate = medical ? 16000 : 8000;
  if (typeof o.sampleRate !== 'number' || !Number.isInteger(o.sampleRate) || o.sampleRate < minRate || o.sampleRate > 48000)
    fail('sampleRate', `must be a whole number of Hz from ${minRate} to 48000 matching the audio, got ${String(o.sampleRate)}`);

  // Language: exactly one way of choosing it.
  const identify = o.identifyLanguage === true || o.identifyMultipleLanguages === true;
  const ways = (set('languageCode') ? 1 : 0) + (o.identifyLanguage === true ? 1 : 0) + (o.identifyMultipleLanguages === true ? 1 : 0);
  if (ways === 0) fail('languageCode', 'is required unless identifyLanguage or identifyMultipleLanguages is true');
  if (ways > 1) {
    fail(
      set('languageCode') ? (o.identifyLanguage === true ? 'identifyLanguage' : 'identifyMultipleLanguages') : 'identifyMultipleLanguages',
      'cannot be combined: give exactly one of languageCode, identifyLanguage, identifyMultipleLanguages',
    );
  }
  if (set('languageCode')) languageCode('languageCode', o.languageCode);
  let languageOptions: string[] | undefined;
  if (identify) {
    if (!set('languageOptions')) fail('languageOptions', 'is required with identifyLanguage / identifyMultipleLanguages (2 to 5 codes)');
    languageOptions = list('languageOptions', o.languageOptions);
    if (languageOptions.length < 2 || languageOptions.length > 5) fail('languageOptions', `must list 2 to 5 language codes, got ${languageOptions.length}`);
    const languages = new Set<string>();
    for (const code of languageOptions) {
      languageCode('languageOptions', code);
      const language = code.slice(0, code.indexOf('-'));
      if (languages.has(language)) fail('languageOptions', `has more than one dialect of "${language}"; keep one per language`);
      languages.add(language);
    }
    if (set('vocabularyName')) fail('vocabularyName', 'is not for language identification; use vocabularyNames');
    if (set('vocabularyFilterName')) fail('vocabularyFilterName', 'is not for language identification; use vocabularyFilterNames');
    if (set('languageModelName')) fail('languageModelName', 'cannot be combined with language identification');
    if (set('contentRedactionType')) fail('contentRedactionType', 'cannot be combined with language identification');
  } else {
    if (set('languageOptions')) fail('languageOptions', 'needs identifyLanguage or identifyMultipleLanguages');
    if (set('preferredLanguage')) fail('preferredLanguage', 'needs identifyLanguage or identifyMultipleLanguages and languageOptions');
    if (set('vocabularyNames')) fail('vocabularyNames', 'is for language identification; with languageCode use vocabularyName');
    if (set('vocabularyFilterNames')) fail('vocabularyFilterNames', 'is for language identification; with languageCode use vocabularyFilterName');
  }
  if (set('preferredLanguage')) {
    languageCode('preferredLanguage', o.preferredLanguage);
    if (!languageOptions!.includes(o.preferredLanguage!)) fail('preferredLanguage', 'must be one of languageOptions');
  }

  // Names.
  for (const k of ['vocabularyName', 'vocabularyFilterName', 'languageModelName'] as const) {
    if (set(k) && (typeof o[k] !== 'string' || !NAME_RE.test(o[k]))) fail(k, 'must be 1..200 characters of 0-9 a-z A-Z . _ -');
  }
  const vocabularyNames = set('vocabularyNames') ? names('vocabularyNames', o.vocabularyNames) : undefined;
  const vocabularyFilterNames = set('vocabularyFilterNames') ? names('vocabularyFilterNames', o.vocabularyFilterNames) : undefined;
  if (set('vocabularyFilterMethod') && !set('vocabularyFilterName') && !set('vocabularyFilterNames'))
    fail('vocabularyFilterMethod', 'needs vocabularyFilterName (or vocabularyFilterNames)');
  if (set('sessionId') && (typeof o.sessionId !== 'string' || !UUID_RE.test(o.sessionId)))
    fail('sessionId', 'must be a UUID such as 123e4567-e89b-12d3-a456-426614174000');

  // Channels and stabilization.
  if (set('numberOfChannels') && o.numberOfChannels !== 2) fail('numberOfChannels', `must be 2 (the only multi-channel count supported), got ${String(o.numberOfChannels)}`);
  if (set('numberOfChannels') && o.enableChannelIdentification !== true) fail('numberOfChannels', 'needs enableChannelIdentification: true');
  if (o.enableChannelIdentification === true && !set('numberOfChannels')) fail('enableChannelIdentification', 'needs numberOfChannels: 2');
  if (set('partialResultsStability') && o.enablePartialResultsStabilization !== true)
    fail('partialResultsStability', 'needs enablePartialResultsStabilization: true');

  // Content identification / redaction.
  if (set('contentIdentificationType')) {
    const want = medical ? 'PHI' : 'PII';
    if (o.contentIdentificationType !== want) fail('contentIdentificationType', `must be ${want}${medical ? ' for Transcribe Medical' : ''}`);
  }
  if (set('contentIdentificationType') && set('contentRedactionType'))
    fail('contentRedactionType', 'cannot be combined with contentIdentificationType; choose one');
  let piiEntityTypes: string | undefined;
  if (set('piiEntityTypes')) {
    if (!set('contentIdentificationType') && !set('contentRedactionType'))
      fail('piiEntityTypes', 'needs contentIdentificationType or contentRedactionType');
    const types = list('piiEntityTypes', o.piiEntityTypes);
    for (const t of types) if (!PII_TYPES.has(t)) fail('piiEntityTypes', `has unknown type ${JSON.stringify(t)}; valid: ${[...PII_TYPES].join(', ')}`);
    piiEntityTypes = types.join(',');
    if (piiEntityTypes.length > 300) fail('piiEntityTypes', 'is longer than 300 characters');
  }

  if (set('sessionResumeWindow') && (!Number.isInteger(o.sessionResumeWindow) || o.sessionResumeWindow! < 1 || o.sessionResumeWindow! > 300))
    fail('sessionResumeWindow', `must be a whole number of minutes from 1 to 300, got ${String(o.sessionResumeWindow)}`);

  // The query. Wire names need no encoding; values are encoded (lists carry commas).
  const q: QueryPair[] = [];
  if (o.mediaEncoding === undefined) q.push({ k: 'media-encoding', v: 'pcm' });
  for (const key of given) {
    const k = WIRE[key];
    const value = o[key];
    if (k === undefined || value === undefined || value === false) continue;
    let v: string;
    if (LISTS.has(key)) {
      v = key === 'languageOptions' ? languageOptions!.join(',') : key === 'vocabularyNames' ? vocabularyNames! : key === 'vocabularyFilterNames' ? vocabularyFilterNames! : piiEntityTypes!;
    } else v = String(value);
    q.push({ k, v: uriEncode(v) });
  }

  if (set('extraQuery')) {
    if (typeof o.extraQuery !== 'object' || o.extraQuery === null) fail('extraQuery', 'must be an object of string values');
    const taken = new Set(Object.values(WIRE));
    for (const [name, value] of Object.entries(o.extraQuery)) {
      if (typeof value !== 'string') fail('extraQuery', `value of ${JSON.stringify(name)} must be a string`);
      const lower = name.toLowerCase();
      if (name === '' || taken.has(name) || (lower.startsWith('x-amz-') && lower !== 'x-amz-user-agent'))
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
