// Servers and proxies that echo the request back: refused handshakes whose body quotes the signed
// URL (as is, as headers, as JSON, URL-encoded inside another URL, with the signature straddling
// character 300) and open streams whose exception Message or close reason quotes the token and
// signature. Today the body is cut to 300 characters before redaction and only `X-Amz-...=` forms
// are redacted; exception messages and close reasons are not redacted at all. Contract: server
// text is redacted by value (the secret, token and signatures the service used, also
// URL-encoded) and by name before it is capped.
import type { IncomingMessage } from 'node:http';
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import type { ServiceHow } from './harness.ts';
import type { Behaviour } from './server.ts';
import { crossed } from './server.ts';
import { exceptionFrame } from './wire.ts';

const q = (url: string | undefined, name: string): string =>
  new URL(url ?? '/', 'http://x').searchParams.get(name) ?? '';
const tokenOf = (url: string | undefined): string => q(url, 'X-Amz-Security-Token');
const sigOf = (url: string | undefined): string => q(url, 'X-Amz-Signature');

const BODIES: Record<string, (req: IncomingMessage) => string> = {
  'full-url': (req) => `Forbidden by proxy policy.\nGET ${req.url} HTTP/1.1\nHost: ${req.headers.host}\n`,
  'token-header': (req) =>
    `Request rejected. Headers were:\nHost: ${req.headers.host}\nX-Amz-Security-Token: ${tokenOf(req.url)}\n` +
    `Authorization: AWS4-HMAC-SHA256 Credential=ASIAZ3HOSTILE7EXAMPL/20240101/us-east-1/transcribe/aws4_request, ` +
    `SignedHeaders=host, Signature=${sigOf(req.url)}\n`,
  json: (req) =>
    JSON.stringify({
      error: 'AccessDenied',
      request: { query: { 'X-Amz-Security-Token': tokenOf(req.url), 'X-Amz-Signature': sigOf(req.url) } },
    }),
  // A proxy that puts the signing parameters first (sorted its own way) in a return URL.
  'double-encoded': (req) => {
    const u = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const first = `X-Amz-Security-Token=${encodeURIComponent(tokenOf(req.url))}&X-Amz-Signature=${sigOf(req.url)}`;
    const back = encodeURIComponent(`${u.origin}${u.pathname}?${first}&${u.searchParams}`);
    return `Session expired: log in at https://sso.example.com/login?return=${back}`;
  },
  'cut-300': (req) => {
    const head =
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
      'Key and signing method. ';
    const pad = head + 'Consult the service documentation for details. '.repeat(4);
    return `${pad.slice(0, 270)}${sigOf(req.url)} was provided; the canonical request was: GET ${req.url}`;
  },
};

const OPEN: Record<string, Behaviour> = {
  'exception-message': {
    audio(c, pcm) {
      if (!crossed(c, pcm, 3200)) return;
      const msg = `Could not process GET ${c.url} (X-Amz-Security-Token: ${tokenOf(c.url)}; signature ${sigOf(c.url)})`;
      c.send(exceptionFrame('BadRequestException', msg));
      setTimeout(() => c.close(1000), 20);
    },
  },
  'close-reason': {
    audio(c, pcm) {
      if (crossed(c, pcm, 3200))
        c.close(4003, `sig ${sigOf(c.url)} X-Amz-Security-Token=${tokenOf(c.url).slice(0, 28)}`);
    },
  },
};

const HOW: Record<string, ServiceHow> = {
  'full-url': { listen: 'none', logger: 'default' },
  'token-header': { listen: 'events', logger: 'capture' },
  json: { listen: 'events', logger: 'default' },
  'double-encoded': { listen: 'frames', logger: 'capture' },
  'cut-300': { listen: 'both', logger: 'default' },
  'exception-message': { listen: 'events', logger: 'default' },
  'close-reason': { listen: 'both', logger: 'capture' },
};

export default scenario(
  {
    name: 'echo',
    async run(h, [variant = '']) {
      const body = BODIES[variant];
      const behaviour: Behaviour | undefined = body
        ? {
            handshake: (_n, req) => ({ status: 403, body: body(req) }),
            plainGet: (req) => ({ status: 403, body: body(req) }),
          }
        : OPEN[variant];
      if (!behaviour) throw new Error(`unknown variant ${variant}`);
      const srv = await h.server(behaviour);
      const stt = h.service({ endpoint: srv.endpoint, maxReconnectAttempts: 1 }, HOW[variant] ?? {});
      await h.start(stt, 4000);
      const pcm = monoToneInt16(1600, 16000);
      for (let i = 0; i < 30 && stt.state === 'running' && !h.report.errors.some((e) => e.fatal); i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(50);
      }
      await h.stop(stt, 2500);
      h.fact('signaturesSeen', h.secrets.filter((s) => s.kind === 'signature').length);
    },
  },
  import.meta.url,
);
