// What a hostile scenario's child process reports (one JSON line on stdout) and the runner checks.
// Every text in it has been scrubbed of secrets by the child; the runner scrubs again before printing.

/** An error as the application saw it. */
export interface ErrInfo {
  name: string;
  code: string | undefined;
  retryable: boolean | undefined;
  /** From the error frame; undefined for thrown or rejected errors. */
  fatal: boolean | undefined;
  isTranscribeError: boolean;
  exceptionType: string | undefined;
  status: number | undefined;
  /** `option` of an OptionError. */
  option: string | undefined;
  message: string;
  messageLength: number;
  /** Control characters (ANSI escapes, CR, NUL...) in the message. */
  controlChars: number;
  /** ms since the scenario started. */
  at: number;
}

export interface Settled {
  state: 'resolved' | 'rejected' | 'pending';
  ms: number;
  error?: ErrInfo;
  /** The resolved value's shape, for stop(): `{ complete, error }` as seen. */
  value?: unknown;
}

export interface StopShape {
  type: string;
  complete: unknown;
  error: ErrInfo | null | undefined;
}

export interface ConnectionRecord {
  n: number;
  /** ms since the scenario started. */
  upgradeAt: number;
  openedAt: number | undefined;
  closedAt: number | undefined;
  /** The close the client sent (or 1006 when the TCP connection just ended). */
  closeCode: number | undefined;
  closeReasonLength: number | undefined;
  /** Audio bytes received in AudioEvents. */
  audioBytes: number;
  endOfStream: boolean;
  /** Query parameters that matter to the checks (language-code...), never the signature. */
  query: Record<string, string>;
}

export interface ServerRecord {
  upgrades: number;
  /** Plain HTTP requests (no Upgrade header): the Node adapter's diagnostic GET. */
  plainGets: number;
  plainGetAt: number[];
  connections: ConnectionRecord[];
}

export interface TranscriptRecord {
  type: string;
  text: string;
  length: number;
  /** As delivered: a number, or whatever a broken result carried. */
  start: unknown;
  end: unknown;
  channel: unknown;
}

export interface Report {
  scenario: string;
  /** The scenario function threw (a harness or scenario bug, or a misuse error it did not expect). */
  harnessError?: string;
  watchdog: boolean;
  uncaught: string[];
  unhandled: string[];
  start?: Settled;
  stop?: Settled;
  /** Error frames from `on('error')`. */
  errors: ErrInfo[];
  /** Error frames from `frames()`. */
  frameErrors: ErrInfo[];
  events: Record<string, number>;
  /** Errors thrown synchronously (pushAudio, constructor...) or by calls the scenario expected to reject. */
  thrown: (ErrInfo & { call: string })[];
  logs: { level: string; message: string }[];
  /** Secrets found in what the library handed out, by where (never the value). */
  leaks: { where: string; kind: string }[];
  servers: ServerRecord[];
  /** Transcription and interim frames as delivered (text cut to 60 characters). */
  transcripts: TranscriptRecord[];
  facts: Record<string, unknown>;
  ms: number;
}
