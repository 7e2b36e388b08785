// redactUrl on URL forms a proxy or a log can produce: percent-encoded parameter names, `;` and
// `&amp;` separators, parameters in the fragment, credentials in the userinfo. Today only the
// plain `X-Amz-...=` form after `?`/`&` and the userinfo are redacted.
import { redactUrl } from '../../dist/core/index.js';
import { scenario } from './harness.ts';
import { KEYS } from './secrets.ts';

const SIG = 'b8f3a1c27d94e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e';

export default scenario(
  {
    name: 'redact-url',
    async run(h) {
      h.addSecret('signature', SIG);
      const tok = encodeURIComponent(KEYS.sessionToken);
      const base = 'wss://transcribestreaming.us-east-1.amazonaws.com:8443/stream-transcription-websocket';
      const forms: Record<string, string> = {
        'percent-encoded-names': `${base}?X%2DAmz%2DSignature=${SIG}&X%2DAmz%2DSecurity%2DToken=${tok}`,
        semicolons: `${base}?language-code=en-US;X-Amz-Signature=${SIG};X-Amz-Security-Token=${tok}`,
        'html-escaped-amp': `${base}?language-code=en-US&amp;X-Amz-Signature=${SIG}&amp;X-Amz-Security-Token=${tok}`,
        fragment: `${base}?language-code=en-US#X-Amz-Signature=${SIG}&X-Amz-Security-Token=${tok}`,
        userinfo:
          `wss://${KEYS.accessKeyId}:${encodeURIComponent(KEYS.secretAccessKey)}` +
          '@transcribestreaming.us-east-1.amazonaws.com:8443/x?a=1',
        'lowercase-names': `${base}?x-amz-signature=${SIG}&x-amz-security-token=${tok}`,
      };
      for (const [name, url] of Object.entries(forms)) {
        let out: string;
        try {
          out = redactUrl(url);
        } catch (e) {
          h.attempt(`redactUrl-${name}`, () => {
            throw e;
          });
          continue;
        }
        h.text(`redactUrl(${name})`, out);
        h.fact(`redactUrl(${name})`, out.length);
      }
    },
  },
  import.meta.url,
);
