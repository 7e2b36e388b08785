// Server text that is huge or carries terminal escapes: a 5 MB exception Message, a close reason
// full of ANSI codes, a 5 MB refusal body. Today a 5 MB message makes a 5 MB error and escapes
// reach stderr raw (the CLI prints them). Contract: messages built from server text are stripped
// of control characters and capped (about 500 characters).
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import type { Behaviour, Conn } from './server.ts';
import { crossed } from './server.ts';
import { exceptionFrame } from './wire.ts';

const ANSI = '\u001b[2J\u001b[H\u001b[31mFAKE\u001b[0m\u001b]0;pwned\u0007\r\n[transcribe-stream] injected line\u0000';

function huge(): string {
  const unit = `Internal error ${ANSI} `;
  return unit.repeat(Math.ceil(5_000_000 / unit.length));
}

const failFirst = (fail: (c: Conn) => void): Behaviour => ({
  audio(c, pcm) {
    if (c.record.n === 1 && crossed(c, pcm, 3200)) fail(c);
  },
});

const VARIANTS: Record<
  string,
  { behaviour: () => Behaviour; listen: 'frames' | 'events' | 'none'; logger: 'capture' | 'default' }
> = {
  'exception-5mb': {
    behaviour: () =>
      failFirst((c) => {
        c.send(exceptionFrame('InternalFailureException', huge()));
        setTimeout(() => c.close(1000), 20);
      }),
    listen: 'frames',
    logger: 'default',
  },
  'close-reason-ansi': {
    behaviour: () => failFirst((c) => c.close(4000, ANSI.slice(0, 100))),
    listen: 'events',
    logger: 'capture',
  },
  'handshake-body-5mb': {
    behaviour: () => {
      const refusal = { status: 500, body: huge() };
      return { handshake: () => refusal, plainGet: () => refusal };
    },
    listen: 'none',
    logger: 'default',
  },
};

export default scenario(
  {
    name: 'sanitise',
    async run(h, [variant = '']) {
      const v = VARIANTS[variant];
      if (!v) throw new Error(`unknown variant ${variant}: one of ${Object.keys(VARIANTS).join(', ')}`);
      const srv = await h.server(v.behaviour());
      const stt = h.service(
        { endpoint: srv.endpoint, maxReconnectAttempts: 1 },
        { listen: v.listen, logger: v.logger },
      );
      await h.start(stt, 4000);
      const pcm = monoToneInt16(1600, 16000);
      for (let i = 0; i < 30 && srv.record.upgrades < 2 && stt.state === 'running'; i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(50);
      }
      h.fact('upgrades', srv.record.upgrades);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
