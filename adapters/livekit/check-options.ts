/**
 * The options checked when they are given (the STT's constructor, `updateOptions`) rather than
 * when a stream starts: a value Transcribe would refuse throws the OptionError the service's
 * start() would reject with, before it is stored, so it never reaches the streams to come. A
 * service that is never started does the checking (its constructor checks ranges, the language
 * and what goes with `url`; `checkSettings()` signs the stream parameters once with a throwaway
 * key). Nothing is sent.
 */

import { AWSTranscribeSTTService } from '../node.js';
import type { STTOptions } from './options.js';
import { serviceOptions } from './options.js';

/** Throws an OptionError for options a stream would be refused with. */
export function checkOptions(o: STTOptions, label: string): void {
  new AWSTranscribeSTTService(serviceOptions(o, label)).checkSettings();
}
