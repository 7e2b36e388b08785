/**
 * Node can see what WHATWG WebSocket hides: why an upgrade was refused. When a handshake fails,
 * the same presigned URL is asked once more as a plain GET (no Upgrade header, so it can never open
 * a stream that would be billed): the service runs the same signature and parameter checks and
 * answers 403 or 400 when those are the problem. A 426 ("upgrade required") means the request
 * itself is fine and the failure was transient; it tells nothing more, so it counts as no answer.
 *
 * Whoever refused the upgrade also answers this GET, so it is bounded like anything from outside:
 * the status is taken when the head arrives, the body (only for the message) is read for a moment
 * and a few KB at most, and the whole diagnosis ends within a deadline, its connection destroyed.
 */

import { request as httpRequest } from 'node:http';
import type { ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HandshakeDiagnosis } from '../core/index.js';
import type { DiagnosisLimits } from './fetch-handshake.js';

/** A HandshakeDiagnosis over node:http(s) within `limits`. */
export function nodeHandshakeDiagnosis(limits: DiagnosisLimits = {}): HandshakeDiagnosis {
  const { deadlineMs = 5000, bodyMs = 1000, maxBody = 4096 } = limits;
  return (url) =>
    new Promise((resolve) => {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return resolve(undefined);
      }
      let status: number | undefined;
      const chunks: Uint8Array[] = [];
      let size = 0;
      let settled = false;
      let bodyTimer: ReturnType<typeof setTimeout> | undefined;
      let req: ClientRequest | undefined;
      const answer = (): { status: number; body: string } | undefined => {
        if (status === undefined || status === 426) return undefined;
        const bytes = Buffer.concat(chunks).subarray(0, maxBody);
        return { status, body: new TextDecoder().decode(bytes) };
      };
      const finish = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearTimeout(bodyTimer);
        // The connection never outlives the diagnosis, whatever the other side still sends.
        req?.destroy();
        resolve(answer());
      };
      const deadline = setTimeout(finish, deadlineMs);
      const tls = u.protocol === 'wss:' || u.protocol === 'https:';
      req = (tls ? httpsRequest : httpRequest)({
        host: u.hostname,
        port: u.port || (tls ? 443 : 80),
        path: `${u.pathname}${u.search}`,
        method: 'GET',
      });
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        if (status === 426) return finish();
        bodyTimer = setTimeout(finish, bodyMs);
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= maxBody) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
      });
      req.on('error', finish);
      req.end();
    });
}

export const diagnoseHandshake: HandshakeDiagnosis = nodeHandshakeDiagnosis();
