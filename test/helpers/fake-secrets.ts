// Realistic fake secrets, and the check that a text (an error message, a log line) carries no piece
// of one: shared by the tests of the options that refuse a secret without echoing it.
import * as assert from 'uvu/assert';

// Realistic fakes: a secret key (40 characters of base64) and an STS session token (300+).
export const FAKE_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
export const FAKE_TOKEN =
  'IQoJb3JpZ2luX2VjEMr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6Qm9yGXsEXAMPLE+8T7/Qz0Kexample' +
  'ZXhhbXBsZS1zZXNzaW9uLXRva2VuLXRoYXQtaXMtbG9uZy1lbm91Z2gtdG8tbG9vay1yZWFsc2Vzc2lvbi10b2tlbg/' +
  'abcDEF123456ghiJKL789mnoPQR+stuVWX/yz0123456789ABCDEFabcdefQmFzZTY0IGV4YW1wbGUgc2Vzc2lvbiB0b2tlbiBmb3Ig' +
  'dGVzdHMgb25seSwgbm90IGEgcmVhbCBjcmVkZW50aWFs+/moreTokenText==';

/** No secret, and no 20-character piece of one, in `text`. */
export function assertNoSecret(text: string, context: string): void {
  for (const secret of [FAKE_SECRET_KEY, FAKE_TOKEN])
    for (let i = 0; i + 20 <= secret.length; i++)
      if (text.includes(secret.slice(i, i + 20))) assert.unreachable(`${context}: ${text}`);
}
