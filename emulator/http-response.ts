/**
 * Refused handshakes, written straight onto the socket (the upgrade never happens): AWS's status,
 * `x-amzn-ErrorType`, request id, and a JSON body. Modelled exceptions carry `{"Message": …}` as
 * the service model shapes them; authentication failures, which AWS's front end answers, carry
 * `{"message": …}`.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

const MODELED = new Set([
  'BadRequestException',
  'LimitExceededException',
  'InternalFailureException',
  'ConflictException',
  'ServiceUnavailableException',
]);

export interface HttpError {
  status: number;
  exceptionType: string;
  message: string;
}

/** Extra response headers for both outcomes: request id and the emulator's Date (for clock-skew fixes). */
export function commonHeaders(requestId: string, now: number): string[] {
  return [`Date: ${new Date(now).toUTCString()}`, `x-amzn-RequestId: ${requestId}`, `x-amzn-request-id: ${requestId}`];
}

export function errorBody(err: HttpError): string {
  return JSON.stringify(MODELED.has(err.exceptionType) ? { Message: err.message } : { message: err.message });
}

export function writeHttpError(socket: Duplex, err: HttpError, headers: readonly string[]): void {
  const body = Buffer.from(errorBody(err), 'utf8');
  const head = [
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    `x-amzn-ErrorType: ${err.exceptionType}`,
    ...headers,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  if (socket.destroyed) return;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}
