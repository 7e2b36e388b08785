/**
 * Node can see what browsers cannot: the HTTP status and body of a refused WebSocket upgrade.
 * When a handshake fails, the same presigned URL is asked once more over a raw HTTP upgrade
 * request and the answer (403, 400, 429, 503 …) lets the service tell a bad signature (fatal) from
 * a throttle (retry). Never upgrades: a 101 is closed at once.
 */

import { randomBytes } from 'node:crypto';
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
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(undefined);
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.slice(0, MAX_BODY) }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
