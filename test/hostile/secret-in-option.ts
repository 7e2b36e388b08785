// A secret passed in the wrong option (the secret key as the region, the session token as the
// session id or a vocabulary name, a URL with a token as the endpoint). Today option errors echo
// the rejected value. Issue 14: do not echo values of options that can carry a secret. Every call
// must still fail with an OptionError naming the option.
import { scenario } from './harness.ts';
import { KEYS } from './secrets.ts';

const CASES: [option: string, value: Record<string, string>][] = [
  ['region', { region: KEYS.secretAccessKey }],
  ['sessionId', { sessionId: KEYS.sessionToken }],
  ['vocabularyName', { vocabularyName: KEYS.sessionToken }],
  ['endpoint', { endpoint: `wss://127.0.0.1:9/?X-Amz-Security-Token=${encodeURIComponent(KEYS.sessionToken)}` }],
];

export default scenario(
  {
    name: 'secret-in-option',
    async run(h) {
      for (const [option, value] of CASES) {
        let stt: ReturnType<typeof h.service> | undefined;
        const threw = h.attempt(
          `option-${option}`,
          () => (stt = h.service({ endpoint: 'ws://127.0.0.1:9', ...value }, { listen: 'events', logger: 'capture' })),
        );
        if (threw || !stt) continue;
        const s = await h.settle(stt.start({ sampleRate: 16000 }), 2000, `thrown.option-${option}`);
        if (s.error) h.report.thrown.push({ call: `option-${option}`, ...s.error });
        else h.fact(`option-${option}`, s.state);
      }
    },
  },
  import.meta.url,
);
