// Every hostile scenario with what the contract says must happen. `common()` (survived, no crash
// handler fired, no secret anywhere) runs for all of them first; these are the specific checks.
import type { Checks } from './checks.ts';

export interface Case {
  name: string;
  /** Script under test/hostile/, and its arguments. */
  file: string;
  args?: string[];
  /** Issue 14's words for the case, for the test title. */
  why: string;
  /**
   * The child's own deadline (it reports and exits then); default DEADLINE_MS. Must match the scenario's
   * deadlineMs.
   */
  deadlineMs?: number;
  check(c: Checks): void;
}

/** A child's own deadline unless its case says otherwise (the harness's default too). */
export const DEADLINE_MS = 15_000;

/** stopTimeoutMs (1500 in every scenario) + 1 s. */
const STOP = 2500;
/**
 * After a stream dropped mid-audio, the next one first hears again up to 2 s no final covered
 * (replaySeconds): stop() then also waits for that at twice real time, after a 1 s burst.
 */
const STOP_AFTER_REPLAY = STOP + 1000;

function final(c: Checks, text: string): void {
  c.ok(
    c.r.transcripts.some((t) => t.type === 'transcription' && t.text === text),
    `the final "${text}" should be delivered`,
  );
}

function upgrades(c: Checks): number {
  return c.r.servers[0]?.upgrades ?? 0;
}

const shape = (variant: string, o: { protocol: boolean; reconnect?: boolean; skipped?: string }): Case => ({
  name: `shape-${variant}`,
  file: 'shape.ts',
  args: [variant],
  why: o.protocol
    ? 'wrong-shaped event: skipped, one non-fatal PROTOCOL per stream, the stream goes on'
    : 'valid or unknown event: no error, the stream goes on',
  check(c) {
    c.startResolved(3000);
    c.noFatalFrame();
    if (o.protocol) c.errorFrame('PROTOCOL', { fatal: false, count: 1 });
    if (o.reconnect) c.errorFrame('CONNECTION_LOST', { fatal: false, retryable: true });
    if (!o.protocol && !o.reconnect) c.noErrorFrames();
    c.ok(
      upgrades(c) === (o.reconnect ? 2 : 1),
      `the bad event must not end the stream: expected ${o.reconnect ? 2 : 1} stream(s), got ${upgrades(c)}`,
    );
    final(c, 'hello world');
    if (o.skipped)
      c.ok(
        !c.r.transcripts.some((t) => t.text === o.skipped),
        `the wrong-shaped result "${o.skipped}" should be skipped, it was delivered`,
      );
    for (const t of c.r.transcripts) {
      c.ok(
        typeof t.start === 'number' && Number.isFinite(t.start) && typeof t.end === 'number' && Number.isFinite(t.end),
        `delivered times must be finite numbers, got ${JSON.stringify([t.start, t.end])}`,
      );
      if (o.reconnect && typeof t.start === 'number' && typeof t.end === 'number') {
        c.ok(
          t.start === Math.round(t.start * 1000) / 1000 && t.end === Math.round(t.end * 1000) / 1000,
          `shifted times must be rounded to the millisecond, got ${t.start}, ${t.end}`,
        );
      }
    }
    c.stopResult(STOP, true);
  },
});

const echo = (variant: string, why: string): Case => ({
  name: `echo-${variant}`,
  file: 'echo.ts',
  args: [variant],
  why,
  check(c) {
    c.ok((c.fact<number>('signaturesSeen') ?? 0) > 0, 'the server saw no signature: nothing was tested');
    if (variant === 'exception-message') c.errorFrame('BAD_REQUEST', { fatal: true });
    else if (variant === 'close-reason') c.errorFrame('CONNECTION_LOST', { retryable: true });
    else {
      c.startRejected('AUTH_FAILED', 4000);
      // The Node adapter learns a refusal's body by a plain GET; without it nothing was redacted.
      c.ok(
        (c.r.servers[0]?.plainGets ?? 0) >= 1,
        'the refusal body never reached the library (no diagnostic GET): nothing was tested',
      );
      if (c.r.facts.listen === 'none')
        c.ok(
          c.o.stderr.includes('AUTH_FAILED'),
          'with nobody listening the default logger should print AUTH_FAILED on stderr',
        );
    }
    // The replay and the audio pushed during the last backoff, both still to send at stop().
    c.stopResult(STOP_AFTER_REPLAY + 1500);
  },
});

const stereo = (variant: string, why: string): Case => ({
  name: `stereo-${variant}`,
  file: 'stereo.ts',
  args: [variant],
  why,
  check(c) {
    c.noErrorFrames();
    const thrown = c.r.thrown.filter((t) => t.call.startsWith('push-'));
    c.ok(
      !thrown.length,
      `${thrown.length} push(es) threw, e.g. ${thrown[0]?.name} ${thrown[0]?.code}: ` +
        `${thrown[0]?.message.slice(0, 120)}`,
    );
    const s =
      c.fact<{
        frames?: number;
        leftRms?: number;
        rightRms?: number;
        rightMaxAbs?: number;
        leftoverBytes?: number;
        samples?: number;
        rms?: number;
      }>('server') ?? {};
    if (variant === 'uint8-4n2-downmix') {
      c.ok(
        (s.samples ?? 0) >= 15_900 && (s.samples ?? 0) <= 16_000,
        `the server should get all 16000 samples, got ${s.samples}`,
      );
      c.ok((s.rms ?? 0) > 2000, `the downmixed tone should arrive (rms ${s.rms})`);
    } else if (variant.endsWith('-48k')) {
      c.ok(Math.abs((s.frames ?? 0) - 16_000) <= 200, `the server should get about 16000 frames, got ${s.frames}`);
      c.ok((s.leftRms ?? 0) > 6000, `the left channel should carry the tone (rms ${s.leftRms?.toFixed(0)})`);
      c.ok(
        (s.rightMaxAbs ?? Infinity) < 50,
        `the right channel must stay silent: peak ${s.rightMaxAbs}, rms ${s.rightRms?.toFixed(0)} (left and right ` +
          `swapped)`,
      );
    } else {
      c.ok(
        s.frames === 16_000 && s.leftoverBytes === 0,
        `the server should get exactly 16000 whole frames, got ${s.frames} (+${s.leftoverBytes} bytes)`,
      );
      c.ok((s.leftRms ?? 0) > 5000, `the left channel should carry the tone (rms ${s.leftRms?.toFixed(0)})`);
      c.ok(
        s.rightMaxAbs === 0,
        `the right channel must stay silent: peak ${s.rightMaxAbs}, rms ${s.rightRms?.toFixed(0)} (left and right ` +
          `swapped)`,
      );
    }
    c.stopResult(STOP, true);
  },
});

const failAfterOpen = (variant: 'close' | 'limit', code: string, baseMs: number, gaps: number): Case => ({
  name: `fail-after-open-${variant}`,
  file: 'fail-after-open.ts',
  args: [variant],
  why:
    `a server that ${variant === 'close' ? 'closes' : 'sends LimitExceededException'} 2.1 s after each open: ` +
    `backoff across incidents, not 26 streams a minute`,
  deadlineMs: 30_000,
  check(c) {
    c.errorFrame(code, { fatal: false, retryable: true });
    // stop() may come mid-outage with audio still to hear again (the replay): when the server keeps
    // failing, the stop is incomplete and its TIMEOUT is the one fatal frame; nothing else is fatal.
    c.ok(
      !c.frames.some((e) => e.fatal && e.code !== 'TIMEOUT'),
      `expected no fatal error frame but the stop's TIMEOUT, got: ${c.frames.map((e) => e.code).join(', ')}`,
    );
    const got = c.fact<number[]>('gapsMs') ?? [];
    c.ok(got.length >= gaps, `expected at least ${gaps} reconnects in the window, got ${got.length}`);
    // The jitter's lower bound (half the delay), less 10 % for timer slack.
    for (let k = 0; k < Math.min(gaps, got.length); k++) {
      const min = Math.round(0.9 * 0.5 * baseMs * 2 ** k);
      c.ok(
        got[k]! >= min,
        `reconnect ${k + 1} came ${got[k]} ms after the failure; backoff says at least ${min} ms (gaps: ` +
          `${got.join(', ')} ms)`,
      );
    }
    // The replay and the audio pushed during the last backoff, both still to send at stop().
    c.stopResult(STOP_AFTER_REPLAY + 1500);
  },
});

export const CASES: Case[] = [
  {
    name: 'control-clean',
    file: 'control-clean.ts',
    why: 'a well-behaved server: everything passes (checks the harness)',
    check(c) {
      c.startResolved(3000);
      c.noErrorFrames();
      final(c, 'hello world');
      final(c, 'goodbye');
      c.stopResult(STOP, true);
    },
  },
  // ---- Process crashes
  {
    name: 'garbage-frame',
    file: 'garbage-frame.ts',
    why: 'a non-event-stream binary frame: close 1000 (not 1002), retryable PROTOCOL, reconnect',
    check(c) {
      c.startResolved(3000);
      c.errorFrame('PROTOCOL', { fatal: false, retryable: true });
      c.noFatalFrame();
      c.ok(
        c.fact('firstCloseCode') === 1000,
        `the client should close the bad stream with 1000, the server saw ${String(c.fact('firstCloseCode'))}`,
      );
      c.ok(upgrades(c) >= 2, `the service should reconnect, streams: ${upgrades(c)}`);
      final(c, 'second stream works');
      c.stopResult(STOP, true);
    },
  },
  shape('results-empty-object', { protocol: true }),
  shape('results-null', { protocol: true }),
  shape('no-alternatives', { protocol: false }),
  shape('transcript-not-string', { protocol: true }),
  // A result whose Items cannot be read keeps its text (the Items are left off, and reported).
  shape('items-not-iterable', { protocol: true, reconnect: true }),
  shape('start-time-string', { protocol: true, reconnect: true, skipped: 'bad times' }),
  shape('unknown-event', { protocol: false }),
  // ---- Silent stalls
  {
    name: 'exception-no-close',
    file: 'exception-no-close.ts',
    why: 'an exception not followed by a close: reported, closed by the client, reconnected',
    check(c) {
      c.startResolved(3000);
      c.errorFrame('INTERNAL_FAILURE', { fatal: false, retryable: true });
      const sent = c.fact<number>('exceptionSentAt') ?? -1;
      const at = c.fact<number>('errorFrameAt');
      const closed = c.fact<number>('firstStreamClosedAt');
      c.ok(sent >= 0, 'the server never sent the exception');
      c.ok(
        at !== undefined && at - sent <= 1000,
        `the error frame should come within 1 s of the exception (came at ${at ?? 'never'}, sent at ${sent})`,
      );
      c.ok(
        closed !== undefined && closed - sent <= 2000,
        `the client should close the stream itself (closed at ${closed ?? 'never'}, exception at ${sent})`,
      );
      c.ok(upgrades(c) >= 2, `the service should reconnect, streams: ${upgrades(c)}`);
      c.stopResult(STOP, true);
    },
  },
  shape('results-not-array', { protocol: true }),
  {
    name: 'no-upgrade-answer',
    file: 'no-upgrade-answer.ts',
    why: 'TCP accepted, upgrade never answered: CONNECT_TIMEOUT per attempt, then start() rejects; no diagnostic GET',
    check(c) {
      c.startRejected('CONNECT_TIMEOUT', 3500);
      c.errorFrame('CONNECT_TIMEOUT', { fatal: false, retryable: true });
      c.errorFrame('CONNECT_TIMEOUT', { fatal: true });
      c.ok(
        c.fact('upgradeAttempts') === 2,
        `expected 2 attempts (maxReconnectAttempts 1), got ${String(c.fact('upgradeAttempts'))}`,
      );
      c.ok(
        c.r.servers[0]?.plainGets === 0,
        `a timed-out connect must send no diagnostic GET, the server got ${c.r.servers[0]?.plainGets}`,
      );
      c.stopResult(STOP);
    },
  },
  {
    name: 'credentials-never-resolve',
    file: 'credentials-never-resolve.ts',
    why: 'a credentials provider that never answers: CREDENTIALS_TIMEOUT, then start() rejects',
    check(c) {
      c.startRejected('CREDENTIALS_TIMEOUT', 3500);
      c.errorFrame('CREDENTIALS_TIMEOUT', { fatal: false, retryable: true });
      c.errorFrame('CREDENTIALS_TIMEOUT', { fatal: true });
      c.ok(upgrades(c) === 0, `no stream without credentials, the server saw ${upgrades(c)}`);
      c.stopResult(STOP);
    },
  },
  {
    name: 'cancel-during-connect',
    file: 'cancel-during-connect.ts',
    why: 'cancel() during a connect: start() settles, no diagnostic GET',
    check(c) {
      c.startSettled(1500);
      c.noFatalFrame();
      c.ok(
        c.fact('getsAfterCancel') === 0 && c.r.servers[0]?.plainGets === 0,
        `cancel() must send no diagnostic GET, the server got ${String(c.fact('getsAfterCancel'))} after it`,
      );
      c.ok(c.fact('state') === 'stopped', `state after cancel(): ${String(c.fact('state'))}`);
    },
  },
  // ---- Errors lost or misreported
  {
    name: 'drain-exception',
    file: 'drain-failure.ts',
    args: ['exception'],
    why: 'an exception while stop() drains: StopResult complete:false + fatal error frame',
    check(c) {
      c.startResolved(3000);
      c.ok(c.fact('endOfStreamSent') === true, 'the server never got the end of stream');
      c.stopResult(STOP, false, 'INTERNAL_FAILURE');
      c.errorFrame('INTERNAL_FAILURE', { fatal: true });
    },
  },
  {
    name: 'drain-abnormal-close',
    file: 'drain-failure.ts',
    args: ['abnormal-close'],
    why: 'an abnormal close while stop() drains: StopResult complete:false + fatal error frame',
    check(c) {
      c.startResolved(3000);
      c.stopResult(STOP, false, 'CONNECTION_LOST');
      c.errorFrame('CONNECTION_LOST', { fatal: true });
    },
  },
  ...(['403', '503'] as const).map(
    (status): Case => ({
      name: `no-listener-refused-${status}`,
      file: 'no-listener-refused.ts',
      args: [status],
      why: `nobody listens, every upgrade refused (${status}): start() rejects and the default logger prints the error`,
      check(c) {
        const code = status === '403' ? 'AUTH_FAILED' : 'SERVICE_UNAVAILABLE';
        c.startRejected(code, 4000);
        c.ok(
          c.o.stderr.includes(code),
          `the default logger should print ${code} on stderr (stderr: ${JSON.stringify(c.o.stderr.slice(0, 200))})`,
        );
        if (status === '503')
          c.ok(
            upgrades(c) === 2,
            `a retryable refusal is retried maxReconnectAttempts (1) times: expected 2 upgrades, got ${upgrades(c)}`,
          );
        c.stopResult(STOP);
      },
    }),
  ),
  {
    name: 'update-settings-slow-connect',
    file: 'update-settings-slow-connect.ts',
    why: 'updateSettings() during a slow connect: no retry spent, not fatal, new settings connect',
    check(c) {
      c.startResolved(4000);
      c.noErrorFrames();
      c.ok(
        !c.r.events.connectionError,
        `abandoning the connecting socket is not a failure: ${c.r.events.connectionError} connectionError event(s)`,
      );
      const u = c.fact<{ state: string; value: unknown }>('updateSettings');
      c.ok(
        u?.state === 'resolved' && u.value === true,
        `updateSettings() should resolve true, got ${JSON.stringify(u)}`,
      );
      c.ok(c.fact('stateAfter') === 'running', `the service should be running, it is ${String(c.fact('stateAfter'))}`);
      const opened = c.fact<string[]>('openedLanguages') ?? [];
      c.ok(
        opened[opened.length - 1] === 'en-GB',
        `the open stream should use the new language, opened: ${JSON.stringify(opened)}`,
      );
      c.stopResult(STOP, true);
    },
  },
  {
    name: 'invalid-arguments',
    file: 'invalid-arguments.ts',
    why: 'bad rate/channel counts: typed errors with a code (INVALID_OPTION sampleRate, INVALID_AUDIO)',
    check(c) {
      c.threw('start-rate-7', 'INVALID_OPTION', 'sampleRate');
      c.threw('push-channels-3', 'INVALID_AUDIO');
      c.threw('push-rate-5', 'INVALID_AUDIO');
      c.threw('push-string', 'INVALID_AUDIO');
      c.ok(!c.r.thrown.some((t) => t.call === 'push-ok'), 'a good push after bad ones threw');
      c.ok(c.fact('stateAfter') === 'running', `misuse must not end the service: ${String(c.fact('stateAfter'))}`);
      c.startResolved(3000);
      c.noErrorFrames();
      c.stopResult(STOP, true);
    },
  },
  // ---- Retry storms and unbounded memory
  failAfterOpen('close', 'CONNECTION_LOST', 250, 4),
  failAfterOpen('limit', 'LIMIT_EXCEEDED', 1000, 3),
  {
    name: 'unique-channel-ids',
    file: 'unique-channel-ids.ts',
    why: '100 big partials on unique ChannelIds: the interim map stays bounded and is cleared at stop',
    check(c) {
      c.startResolved(3000);
      c.noFatalFrame();
      final(c, 'done');
      const during = c.fact<number>('heapGrowthBeforeStopMB') ?? Infinity;
      const after = c.fact<number>('heapGrowthAfterStopMB') ?? Infinity;
      c.ok(during < 5, `heap grew ${during} MB while running (20 MB of partials on unknown channels must not be kept)`);
      c.ok(after < 5, `heap grew ${after} MB after stop() (the interim map must be cleared)`);
      c.stopResult(STOP, true);
    },
  },
  {
    name: 'sanitise-exception-5mb',
    file: 'sanitise.ts',
    args: ['exception-5mb'],
    why: 'a 5 MB exception Message full of ANSI escapes: capped and sanitised',
    check(c) {
      c.startResolved(3000);
      c.errorFrame('INTERNAL_FAILURE', { fatal: false, retryable: true });
      c.sanitised(1000);
      c.stopResult(STOP, true);
    },
  },
  {
    name: 'sanitise-close-reason-ansi',
    file: 'sanitise.ts',
    args: ['close-reason-ansi'],
    why: 'a close reason of ANSI escapes: sanitised',
    check(c) {
      c.startResolved(3000);
      c.errorFrame('CONNECTION_LOST', { fatal: false, retryable: true });
      c.sanitised(1000);
      c.stopResult(STOP, true);
    },
  },
  {
    name: 'sanitise-handshake-body-5mb',
    file: 'sanitise.ts',
    args: ['handshake-body-5mb'],
    why: 'a 5 MB refusal body with ANSI escapes, nobody listening: capped and sanitised on stderr too',
    check(c) {
      c.startRejected('INTERNAL_FAILURE', 4000);
      c.sanitised(1000);
      c.ok(
        c.o.stderr.includes('INTERNAL_FAILURE'),
        'with nobody listening the default logger should print INTERNAL_FAILURE on stderr',
      );
      c.stopResult(STOP);
    },
  },
  {
    name: 'huge-push-audio',
    file: 'huge-push-audio.ts',
    why: 'one 200 s pushAudio: INVALID_AUDIO at once, nothing sent in a burst, the service runs on',
    check(c) {
      c.threw('push-200s', 'INVALID_AUDIO');
      c.ok((c.fact<number>('pushMs') ?? Infinity) < 200, `the refused push took ${String(c.fact('pushMs'))} ms`);
      c.ok(
        (c.fact<number>('serverAudioSecondsAfterBigPush') ?? Infinity) <= 15.5,
        `the server got ${String(c.fact('serverAudioSecondsAfterBigPush'))} s of audio at once`,
      );
      c.ok(c.fact('stateAfter') === 'running', `the service should run on: ${String(c.fact('stateAfter'))}`);
      c.noFatalFrame();
      c.stopResult(STOP, true);
    },
  },
  {
    name: 'server-stops-reading',
    file: 'server-stops-reading.ts',
    why: 'a server that stops reading: memory bounded (bufferedAmount checked), CONNECTION_LOST and reconnect',
    deadlineMs: 30_000,
    check(c) {
      c.errorFrame('CONNECTION_LOST', { fatal: false, retryable: true });
      c.ok(c.fact('reconnectedAt') !== undefined, 'the stuck stream should be closed and a new one opened');
      const peak = c.fact<number>('peakArrayBuffersGrowthMB') ?? Infinity;
      c.ok(
        peak < 4,
        `queued audio grew to ${peak} MB (bufferedAmount must stay under ~2 s of audio, the backlog under ` +
          `bufferSeconds)`,
      );
      c.stopResult(STOP_AFTER_REPLAY);
    },
  },
  // ---- Audio corrupted
  stereo('odd-int16', 'channel identification, Int16 pushes with odd sample counts: no swap'),
  stereo('odd-int16-48k', 'channel identification, Int16 48 kHz pushes (resampled) with odd sample counts: no swap'),
  stereo('odd-float32-48k', 'channel identification, Float32 48 kHz pushes with odd sample counts: no swap'),
  stereo('uint8-4n2', 'channel identification, Uint8Array pushes of 4n+2 bytes: no swap'),
  stereo('uint8-4n2-48k', 'channel identification, 48 kHz Uint8Array pushes (resampled) of 4n+2 bytes: no swap'),
  stereo('uint8-4n2-downmix', 'stereo Uint8Array pushes of 4n+2 bytes downmixed: no PARTIAL_FRAME, all audio sent'),
  // ---- Secrets
  echo('full-url', 'refusal body echoing the full signed URL, nobody listening (default logger)'),
  echo('token-header', 'refusal body echoing X-Amz-Security-Token as a header'),
  echo('json', 'refusal body echoing the query as JSON'),
  echo('double-encoded', 'refusal body with the signed URL URL-encoded inside another URL'),
  echo('cut-300', 'refusal body with the signature straddling character 300'),
  echo('exception-message', 'an exception Message echoing the URL, token and signature'),
  echo('close-reason', 'a close reason echoing the signature and the token'),
  {
    name: 'secret-in-option',
    file: 'secret-in-option.ts',
    why: 'a secret passed in the wrong option is not echoed by the OptionError',
    check(c) {
      for (const o of ['region', 'sessionId', 'vocabularyName', 'endpoint'])
        c.threw(`option-${o}`, 'INVALID_OPTION', o);
    },
  },
  {
    name: 'redact-url',
    file: 'redact-url.ts',
    why: 'redactUrl on percent-encoded names, ; and &amp; separators, fragments, userinfo',
    check(c) {
      c.ok(
        Object.keys(c.r.facts).filter((k) => k.startsWith('redactUrl(')).length === 6,
        'every URL form should have been redacted',
      );
    },
  },
];
