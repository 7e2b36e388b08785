/**
 * Options of the LiveKit STT: the service's options (same names, same AWS_* fallbacks, resolved by
 * the Node adapter), plus what agents-js STT plugins take (`language`, `interimResults`).
 */

import { randomUUID } from 'node:crypto';
import type { APIConnectOptions } from '@livekit/agents';
import type {
  AWSTranscribeSettings,
  AWSTranscribeSTTServiceOptions,
  Language,
  Logger,
  StreamParameters,
} from '../node.js';
import { agents } from './peers.js';

export interface STTOptions extends Omit<AWSTranscribeSTTServiceOptions, 'language'> {
  /**
   * Language of the speech: a `Language` value or an AWS streaming code (`'en-US'`, `'en'`…);
   * default en-US. Wins over `settings.language`. Unused with `identifyLanguage`.
   */
  language?: Language | string;
  /** Emit INTERIM_TRANSCRIPT events (default true). START/END_OF_SPEECH come either way. */
  interimResults?: boolean;
}

/** What `updateOptions` takes: the service's `updateSettings` delta. */
export type STTUpdate = AWSTranscribeSettings & StreamParameters;

/** `o` with `update` applied, as the service applies it to its own settings and parameters. */
export function withUpdate(o: STTOptions, update: STTUpdate): STTOptions {
  const { language, model, ...params } = update;
  const next: STTOptions = { ...o, ...params };
  if (language !== undefined) next.language = language;
  if (model !== undefined) next.settings = { ...next.settings, model };
  return next;
}

/** Only 8 and 16 kHz go on the wire; every other rate is resampled to 16 kHz (the service's rule). */
export function wireRate(o: STTOptions): 8000 | 16000 {
  return o.sampleRate === 8000 ? 8000 : 16000;
}

/**
 * The service's options for one stream. The framework's `maxRetry` becomes the service's
 * reconnect attempts per incident and its `timeoutMs` the handshake's bound (unless set
 * explicitly): the service reconnects without losing audio, which a framework retry cannot (it
 * starts a new run; frames the failed run took are gone).
 */
export function serviceOptions(o: STTOptions, label: string, conn?: APIConnectOptions): AWSTranscribeSTTServiceOptions {
  const { language, interimResults: _, ...rest } = o;
  // A session id of our own unless given: AWS logs it, and it is the events' `requestId`.
  const out: AWSTranscribeSTTServiceOptions = {
    ...rest,
    sessionId: o.sessionId ?? randomUUID(),
    logger: o.logger ?? agentsLogger(label),
  };
  if (language !== undefined) out.settings = { ...o.settings, language };
  if (o.maxReconnectAttempts === undefined && conn)
    out.maxReconnectAttempts = Math.min(100, Math.max(0, Math.trunc(conn.maxRetry)));
  // The framework's connect timeout bounds each handshake (within the service's own range).
  if (o.connectTimeoutMs === undefined && conn)
    out.connectTimeoutMs = Math.min(300_000, Math.max(100, Math.trunc(conn.timeoutMs)));
  return out;
}

/** The service's messages through the framework's logger (pino), or the console before it is initialised. */
export function agentsLogger(label: string): Logger {
  const to = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string) => {
    let logger: ReturnType<typeof agents.log> | undefined;
    try {
      logger = agents.log();
    } catch {
      // initializeLogger() not called (a script, not `cli.runApp`): warnings and errors still show.
      if (level === 'warn' || level === 'error') console[level](`[${label}] ${message}`);
      return;
    }
    logger.child({ stt: label })[level](message);
  };
  return { debug: to('debug'), info: to('info'), warn: to('warn'), error: to('error') };
}
