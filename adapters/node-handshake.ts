/**
 * Node can see what WHATWG WebSocket hides: why an upgrade was refused. When a handshake fails,
 * the same presigned URL is asked once more as a plain GET (no Upgrade header, so it can never open
 * a stream that would be billed): the service runs the same signature and parameter checks and
 * answers 403 or 400 when those are the problem. A 426 ("upgrade required") means the request
 * itself is fine and the failure was transient; it tells nothing more, so it counts as no answer.
 */

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HandshakeDiagnosis } from '../core/index.js';

const MAX_BODY = 4096;

export const diagnoseHandshake: HandshakeDiagnosis = (url) =>
  new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve(undefined);
    }
    const tls = u.protocol === 'wss:' || u.protocol === 'https:';
    const req = (tls ? httpsRequest : httpRequest)({
      host: u.hostname,
      port: u.port || (tls ? 443 : 80),
      path: `${u.pathname}${u.search}`,
      method: 'GET',
      timeout: 5000,
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on('end', () =>
        resolve(res.statusCode === 426 ? undefined : { status: res.statusCode ?? 0, body: body.slice(0, MAX_BODY) }),
      );
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
