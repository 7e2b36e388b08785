/**
 * The checks an upgrade request goes through before the service accepts it, in AWS's order:
 * the path (standard or medical streaming), the query's encoding, the SigV4 presigned URL
 * (403), then the stream parameters (400). Nothing here upgrades or writes to the socket.
 */
import type { IncomingMessage } from 'node:http';
import { validateParams } from './params.js';
import type { StreamParams } from './params.js';
import { verifyPresignedUrl } from './presign-verify.js';
import { parseQuery, streamParameters } from './query.js';
import { MEDICAL_PATH, STANDARD_PATH } from './constants.js';
import type { EmulatorCredentials } from './types.js';

export interface HandshakeRejection {
  status: number;
  exceptionType: string;
  message: string;
}

export interface HandshakeAccepted {
  ok: true;
  medical: boolean;
  /** The stream parameters as sent (the query minus X-Amz-* authentication). */
  query: Record<string, string>;
  params: StreamParams;
  /** Seed of the `:chunk-signature` chain. */
  signature: string;
  region: string;
}

export type HandshakeResult = HandshakeAccepted | { ok: false; rejection: HandshakeRejection };

export interface HandshakeContext {
  credentials: EmulatorCredentials;
  /** The emulator's clock (host clock + clockSkewMs). */
  now: number;
  region: string | undefined;
}

const refuse = (status: number, exceptionType: string, message: string): HandshakeResult => ({
  ok: false,
  rejection: { status, exceptionType, message },
});

export function checkHandshake(req: IncomingMessage, ctx: HandshakeContext): HandshakeResult {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const raw = q < 0 ? '' : target.slice(q + 1).replace(/#.*$/, '');
  const medical = path === MEDICAL_PATH;
  if (!medical && path !== STANDARD_PATH) {
    return refuse(
      404,
      'UnknownOperationException',
      `No streaming operation at ${JSON.stringify(path)}; use ${STANDARD_PATH} or ${MEDICAL_PATH}.`,
    );
  }
  if (req.method !== 'GET') {
    return refuse(
      405,
      'UnknownOperationException',
      `Method ${req.method ?? '?'} is not allowed; open the stream with a GET WebSocket upgrade.`,
    );
  }
  const query = parseQuery(raw);
  if (query === undefined) return refuse(400, 'BadRequestException', 'The query string is not valid percent-encoding.');

  const auth = verifyPresignedUrl({
    method: 'GET',
    path,
    headers: req.headers,
    query,
    credentials: ctx.credentials,
    now: ctx.now,
    region: ctx.region,
  });
  if (!auth.ok) return { ok: false, rejection: auth.rejection };

  const params = streamParameters(query);
  const checked = validateParams(params, medical);
  if (!checked.ok) return refuse(400, checked.rejection.exceptionType, checked.rejection.message);
  return { ok: true, medical, query: params, params: checked.params, signature: auth.signature, region: auth.region };
}
