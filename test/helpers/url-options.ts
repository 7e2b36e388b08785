import type { TranscribeUrlOptions } from '../../dist/core/index.js';

/** Every option of transcribeUrl (a Record, so the type checker says when one is added and missing here). */
export const EVERY_URL_OPTION: Record<keyof TranscribeUrlOptions, true> = {
  region: true,
  credentials: true,
  sampleRate: true,
  mediaEncoding: true,
  languageCode: true,
  identifyLanguage: true,
  identifyMultipleLanguages: true,
  languageOptions: true,
  preferredLanguage: true,
  vocabularyName: true,
  vocabularyNames: true,
  vocabularyFilterName: true,
  vocabularyFilterNames: true,
  vocabularyFilterMethod: true,
  sessionId: true,
  showSpeakerLabel: true,
  enableChannelIdentification: true,
  numberOfChannels: true,
  enablePartialResultsStabilization: true,
  partialResultsStability: true,
  contentIdentificationType: true,
  contentRedactionType: true,
  piiEntityTypes: true,
  languageModelName: true,
  sessionResumeWindow: true,
  transcriptFormat: true,
  medical: true,
  specialty: true,
  type: true,
  endpoint: true,
  fips: true,
  dualStack: true,
  expiresIn: true,
  date: true,
  extraQuery: true,
};

/** The transcribeUrl options the service sets itself; every other one is a stream parameter. */
export const SET_BY_THE_SERVICE: ReadonlySet<string> = new Set<keyof TranscribeUrlOptions>([
  'region',
  'credentials',
  'languageCode',
  'sampleRate',
  'mediaEncoding',
  'date',
  'expiresIn',
]);

/** The stream parameters: what of transcribeUrl's options the service passes through (StreamParameters). */
export const STREAM_PARAMETERS: readonly string[] = Object.keys(EVERY_URL_OPTION).filter(
  (k) => !SET_BY_THE_SERVICE.has(k),
);
