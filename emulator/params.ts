/**
 * Validation of the StartStreamTranscription parameters of an upgrade, as AWS does it: per-field
 * constraints first (reported together, in the service's "N validation errors detected" form, with
 * the model's member names), then the combination rules (BadRequestException). Sources: the service
 * model (client-transcribe-streaming 3.1141.0 / api-models-aws) and the developer guide; the exact
 * wording of the combination messages is not documented and is approximated.
 */
import { STREAMING_LANGUAGE_CODES } from '../core/transcribe/language-codes.js';

type FieldRule =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'text'; min: number; max: number; pattern: RegExp; patternText: string };

interface Field {
  /** The model's member name, which AWS's validation messages use. */
  member: string;
  rule: FieldRule;
}

const NAME = { kind: 'text', min: 1, max: 200, pattern: /^[0-9a-zA-Z._-]+$/, patternText: '^[0-9a-zA-Z._-]+' } as const;
const NAMES = {
  kind: 'text',
  min: 1,
  max: 3000,
  pattern: /^[a-zA-Z0-9,._-]+$/,
  patternText: '^[a-zA-Z0-9,-._]+',
} as const;
const BOOL = { kind: 'bool' } as const;
const SESSION_ID = {
  kind: 'text',
  min: 36,
  max: 36,
  pattern: /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/,
  patternText: '[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}',
} as const;
// g711-alaw, g711-ulaw and g729 arrived with the 2026 model (protocol.md §4.2).
const ENCODINGS = ['pcm', 'ogg-opus', 'flac', 'g711-alaw', 'g711-ulaw', 'g729'] as const;

const STANDARD: Readonly<Record<string, Field>> = {
  'language-code': { member: 'languageCode', rule: { kind: 'enum', values: STREAMING_LANGUAGE_CODES } },
  'media-encoding': { member: 'mediaEncoding', rule: { kind: 'enum', values: ENCODINGS } },
  'sample-rate': { member: 'mediaSampleRateHertz', rule: { kind: 'int', min: 8000, max: 48000 } },
  'vocabulary-name': { member: 'vocabularyName', rule: NAME },
  'session-id': { member: 'sessionId', rule: SESSION_ID },
  'vocabulary-filter-name': { member: 'vocabularyFilterName', rule: NAME },
  'vocabulary-filter-method': {
    member: 'vocabularyFilterMethod',
    rule: { kind: 'enum', values: ['remove', 'mask', 'tag'] },
  },
  'show-speaker-label': { member: 'showSpeakerLabel', rule: BOOL },
  'enable-channel-identification': { member: 'enableChannelIdentification', rule: BOOL },
  'number-of-channels': { member: 'numberOfChannels', rule: { kind: 'int', min: 2, max: 2 } },
  'enable-partial-results-stabilization': { member: 'enablePartialResultsStabilization', rule: BOOL },
  'partial-results-stability': {
    member: 'partialResultsStability',
    rule: { kind: 'enum', values: ['high', 'medium', 'low'] },
  },
  'content-identification-type': { member: 'contentIdentificationType', rule: { kind: 'enum', values: ['PII'] } },
  'content-redaction-type': { member: 'contentRedactionType', rule: { kind: 'enum', values: ['PII'] } },
  'pii-entity-types': {
    member: 'piiEntityTypes',
    rule: { kind: 'text', min: 1, max: 300, pattern: /^[A-Z_, ]+$/, patternText: '^[A-Z_, ]+' },
  },
  'language-model-name': { member: 'languageModelName', rule: NAME },
  'identify-language': { member: 'identifyLanguage', rule: BOOL },
  'language-options': {
    member: 'languageOptions',
    rule: { kind: 'text', min: 1, max: 200, pattern: /^[a-zA-Z-,]+$/, patternText: '^[a-zA-Z-,]+' },
  },
  'preferred-language': { member: 'preferredLanguage', rule: { kind: 'enum', values: STREAMING_LANGUAGE_CODES } },
  'identify-multiple-languages': { member: 'identifyMultipleLanguages', rule: BOOL },
  'vocabulary-names': { member: 'vocabularyNames', rule: NAMES },
  'vocabulary-filter-names': { member: 'vocabularyFilterNames', rule: NAMES },
  'session-resume-window': { member: 'sessionResumeWindow', rule: { kind: 'int', min: 1, max: 300 } },
  'transcript-format': { member: 'transcriptFormat', rule: { kind: 'enum', values: ['written', 'spoken'] } },
};

const MEDICAL: Readonly<Record<string, Field>> = {
  'language-code': { member: 'languageCode', rule: { kind: 'enum', values: ['en-US'] } },
  'media-encoding': { member: 'mediaEncoding', rule: { kind: 'enum', values: ENCODINGS } },
  'sample-rate': { member: 'mediaSampleRateHertz', rule: { kind: 'int', min: 16000, max: 48000 } },
  'vocabulary-name': { member: 'vocabularyName', rule: NAME },
  specialty: {
    member: 'specialty',
    rule: { kind: 'enum', values: ['PRIMARYCARE', 'CARDIOLOGY', 'NEUROLOGY', 'ONCOLOGY', 'RADIOLOGY', 'UROLOGY'] },
  },
  type: { member: 'type', rule: { kind: 'enum', values: ['CONVERSATION', 'DICTATION'] } },
  'show-speaker-label': { member: 'showSpeakerLabel', rule: BOOL },
  'session-id': { member: 'sessionId', rule: SESSION_ID },
  'enable-channel-identification': { member: 'enableChannelIdentification', rule: BOOL },
  'number-of-channels': { member: 'numberOfChannels', rule: { kind: 'int', min: 2, max: 2 } },
  'content-identification-type': { member: 'contentIdentificationType', rule: { kind: 'enum', values: ['PHI'] } },
};

const REQUIRED_STANDARD = ['media-encoding', 'sample-rate'] as const;
const REQUIRED_MEDICAL = ['language-code', 'media-encoding', 'sample-rate', 'specialty', 'type'] as const;

/** The settings the emulator acts on, parsed from a valid query. */
export interface StreamParams {
  medical: boolean;
  sessionId: string | undefined;
  languageCode: string | undefined;
  mediaEncoding: string;
  sampleRate: number;
  channels: number;
  channelIdentification: boolean;
  showSpeakerLabel: boolean;
  stabilization: boolean;
  stability: 'high' | 'medium' | 'low';
  identifyLanguage: boolean;
  identifyMultipleLanguages: boolean;
  languageOptions: string[];
  preferredLanguage: string | undefined;
}

export interface ParamsRejection {
  exceptionType: 'BadRequestException';
  message: string;
}

export type ParamsResult = { ok: true; params: StreamParams } | { ok: false; rejection: ParamsRejection };

function constraintError(field: Field, value: string): string | undefined {
  const at = `Value '${value}' at '${field.member}' failed to satisfy constraint: Member must`;
  const rule = field.rule;
  switch (rule.kind) {
    case 'enum':
      return rule.values.includes(value) ? undefined : `${at} satisfy enum value set: [${rule.values.join(', ')}]`;
    case 'bool':
      return value === 'true' || value === 'false' ? undefined : `${at} be a boolean (true or false)`;
    case 'int': {
      if (!/^-?\d+$/.test(value)) return `${at} be an integer`;
      const n = Number(value);
      if (n < rule.min) return `${at} have value greater than or equal to ${rule.min}`;
      if (n > rule.max) return `${at} have value less than or equal to ${rule.max}`;
      return undefined;
    }
    case 'text':
      if (value.length < rule.min) return `${at} have length greater than or equal to ${rule.min}`;
      if (value.length > rule.max) return `${at} have length less than or equal to ${rule.max}`;
      return rule.pattern.test(value) ? undefined : `${at} satisfy regular expression pattern: ${rule.patternText}`;
  }
}

const bad = (message: string): ParamsResult => ({
  ok: false,
  rejection: { exceptionType: 'BadRequestException', message },
});

/** Validates the non-authentication query parameters of an upgrade to `medical` or standard streaming. */
export function validateParams(query: Readonly<Record<string, string>>, medical: boolean): ParamsResult {
  const fields = medical ? MEDICAL : STANDARD;
  const errors: string[] = [];
  for (const name of medical ? REQUIRED_MEDICAL : REQUIRED_STANDARD) {
    if (query[name] === undefined)
      errors.push(`Value null at '${fields[name]!.member}' failed to satisfy constraint: Member must not be null`);
  }
  // Unknown parameters are ignored, as the service ignores unmodelled ones (the JS SDK adds x-amz-user-agent).
  for (const name of Object.keys(query)) {
    const field = fields[name];
    const value = query[name];
    if (field === undefined || value === undefined) continue;
    const err = constraintError(field, value);
    if (err !== undefined) errors.push(err);
  }
  if (errors.length > 0) {
    return bad(`${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
  }
  const flag = (name: string): boolean => query[name] === 'true';
  const params: StreamParams = {
    medical,
    sessionId: query['session-id'],
    languageCode: query['language-code'],
    mediaEncoding: query['media-encoding']!,
    sampleRate: Number(query['sample-rate']),
    channels: query['number-of-channels'] === undefined ? 1 : Number(query['number-of-channels']),
    channelIdentification: flag('enable-channel-identification'),
    showSpeakerLabel: flag('show-speaker-label'),
    stabilization: flag('enable-partial-results-stabilization'),
    stability: (query['partial-results-stability'] as StreamParams['stability'] | undefined) ?? 'high',
    identifyLanguage: flag('identify-language'),
    identifyMultipleLanguages: flag('identify-multiple-languages'),
    languageOptions: query['language-options'] === undefined ? [] : query['language-options'].split(','),
    preferredLanguage: query['preferred-language'],
  };
  const combination = checkCombinations(query, params);
  return combination === undefined ? { ok: true, params } : bad(combination);
}

/** The cross-parameter rules of the developer guide; returns the first broken one's message. */
function checkCombinations(query: Readonly<Record<string, string>>, p: StreamParams): string | undefined {
  if (p.channelIdentification && query['number-of-channels'] === undefined) {
    return 'You must specify NumberOfChannels when EnableChannelIdentification is true.';
  }
  if (!p.channelIdentification && query['number-of-channels'] !== undefined) {
    return 'NumberOfChannels can only be set when EnableChannelIdentification is true.';
  }
  if (p.medical) return undefined;
  const modes =
    (p.languageCode !== undefined ? 1 : 0) + (p.identifyLanguage ? 1 : 0) + (p.identifyMultipleLanguages ? 1 : 0);
  if (modes === 0) {
    return 'You must include one of LanguageCode, IdentifyLanguage or IdentifyMultipleLanguages in your request.';
  }
  if (modes > 1) {
    return 'Use only one of LanguageCode, IdentifyLanguage or IdentifyMultipleLanguages in your request.';
  }
  if (query['content-identification-type'] !== undefined && query['content-redaction-type'] !== undefined) {
    return 'You can use either ContentIdentificationType or ContentRedactionType in your request, but not both.';
  }
  if (
    query['pii-entity-types'] !== undefined &&
    query['content-identification-type'] === undefined &&
    query['content-redaction-type'] === undefined
  ) {
    return 'PiiEntityTypes requires ContentIdentificationType or ContentRedactionType.';
  }
  if (query['preferred-language'] !== undefined && !(p.identifyLanguage || p.identifyMultipleLanguages)) {
    return 'PreferredLanguage can only be used with IdentifyLanguage or IdentifyMultipleLanguages.';
  }
  if (query['language-options'] !== undefined && !(p.identifyLanguage || p.identifyMultipleLanguages)) {
    return 'LanguageOptions can only be used with IdentifyLanguage or IdentifyMultipleLanguages.';
  }
  if (p.identifyLanguage || p.identifyMultipleLanguages) {
    const which = p.identifyLanguage ? 'IdentifyLanguage' : 'IdentifyMultipleLanguages';
    if (p.languageOptions.length < 2) {
      return `${which} requires LanguageOptions with at least two language codes.`;
    }
    const languages = new Set<string>();
    for (const code of p.languageOptions) {
      if (!(STREAMING_LANGUAGE_CODES as readonly string[]).includes(code)) {
        return (
          `The language code '${code}' in LanguageOptions isn't supported for streaming. Check the supported ` +
          `languages and try your request again.`
        );
      }
      const language = code.split('-')[0]!;
      if (languages.has(language)) {
        return `LanguageOptions can include only one dialect per language; '${code}' repeats '${language}'.`;
      }
      languages.add(language);
    }
    if (p.preferredLanguage !== undefined && !p.languageOptions.includes(p.preferredLanguage)) {
      return `PreferredLanguage '${p.preferredLanguage}' must be one of the LanguageOptions.`;
    }
    if (query['vocabulary-name'] !== undefined) {
      return `VocabularyName can't be used with ${which}; use VocabularyNames.`;
    }
    if (query['vocabulary-filter-name'] !== undefined) {
      return `VocabularyFilterName can't be used with ${which}; use VocabularyFilterNames.`;
    }
    if (query['language-model-name'] !== undefined) {
      return `LanguageModelName can't be used with ${which}.`;
    }
    if (query['content-redaction-type'] !== undefined || query['content-identification-type'] !== undefined) {
      return `Content identification and redaction can't be used with ${which}.`;
    }
    if (p.mediaEncoding !== 'pcm' && p.mediaEncoding !== 'flac') {
      return `${which} supports only pcm and flac media encodings.`;
    }
  } else if (query['vocabulary-names'] !== undefined || query['vocabulary-filter-names'] !== undefined) {
    return (
      'VocabularyNames and VocabularyFilterNames can only be used with IdentifyLanguage or ' +
      'IdentifyMultipleLanguages.'
    );
  }
  return undefined;
}
