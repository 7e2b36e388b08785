/**
 * The service options the command-line flags stand for, and a check of their combination before
 * anything is opened: a bad one is reported against its flag (exit 2), not as a refused stream.
 */

import { TranscribeError, transcribeUrl } from '../adapters/node.js';
import type { AWSTranscribeSTTServiceOptions, StreamingLanguageCode } from '../adapters/node.js';
import type { TranscribeArgs } from './args.js';
import { CliError, EXIT_USAGE } from './cli-error.js';

/** The service options the flags stand for (credentials and endpoint are added per run). */
export function serviceOptions(a: TranscribeArgs): AWSTranscribeSTTServiceOptions {
  const o: AWSTranscribeSTTServiceOptions = {};
  if (a.region !== undefined) o.region = a.region;
  if (a.endpoint !== undefined) o.endpoint = a.endpoint;
  if (a.language !== undefined) o.settings = { language: a.language };
  if (a.identifyLanguage) o.identifyLanguage = true;
  if (a.identifyMultipleLanguages) o.identifyMultipleLanguages = true;
  if (a.languageOptions) o.languageOptions = a.languageOptions as StreamingLanguageCode[];
  if (a.preferredLanguage !== undefined) o.preferredLanguage = a.preferredLanguage as StreamingLanguageCode;
  const identify = a.identifyLanguage || a.identifyMultipleLanguages;
  if (a.vocabulary !== undefined) {
    if (identify) o.vocabularyNames = a.vocabulary;
    else o.vocabularyName = a.vocabulary;
  }
  if (a.vocabularyFilter !== undefined) {
    if (identify) o.vocabularyFilterNames = a.vocabularyFilter;
    else o.vocabularyFilterName = a.vocabularyFilter;
  }
  if (a.vocabularyFilterMethod !== undefined) o.vocabularyFilterMethod = a.vocabularyFilterMethod;
  if (a.speakerLabels) o.showSpeakerLabel = true;
  if (a.channelIdentification) {
    o.enableChannelIdentification = true;
    o.numberOfChannels = 2;
  }
  return o;
}

/** Service option -> the flag that set it, for messages. */
const FLAG_OF: Record<string, string> = {
  region: '--region',
  endpoint: '--endpoint',
  languageCode: '--language',
  languageOptions: '--language-options',
  preferredLanguage: '--preferred-language',
  identifyLanguage: '--identify-language',
  identifyMultipleLanguages: '--identify-multiple-languages',
  vocabularyName: '--vocabulary',
  vocabularyNames: '--vocabulary',
  vocabularyFilterName: '--vocabulary-filter',
  vocabularyFilterNames: '--vocabulary-filter',
  vocabularyFilterMethod: '--vocabulary-filter-method',
  showSpeakerLabel: '--speaker-labels',
  enableChannelIdentification: '--channel-identification',
  numberOfChannels: '--channel-identification',
};

/**
 * Signs a throwaway URL with the same parameters (and placeholder keys) so a bad combination is
 * reported against its flag now, not after the audio was opened and credentials were fetched.
 */
export function precheck(o: AWSTranscribeSTTServiceOptions, a: TranscribeArgs): void {
  try {
    const { settings: _s, ...params } = o;
    transcribeUrl({
      ...params,
      ...(a.language !== undefined
        ? { languageCode: a.language as StreamingLanguageCode }
        : !(a.identifyLanguage || a.identifyMultipleLanguages)
          ? { languageCode: 'en-US' }
          : {}),
      region: o.region ?? 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'placeholder' },
      sampleRate: 16000,
      mediaEncoding: 'pcm',
    });
  } catch (err) {
    if (!(err instanceof TranscribeError)) throw err;
    const option = (err as { option?: string }).option;
    const flag = option !== undefined ? FLAG_OF[option] : undefined;
    throw new CliError(flag ? err.message.replace(new RegExp(`^${option}:`), `${flag}:`) : err.message, EXIT_USAGE);
  }
}
