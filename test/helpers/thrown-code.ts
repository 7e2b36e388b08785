import * as assert from 'uvu/assert';

/** The `code` of the error `fn` throws, which must be a `type`; 'no error' when it returns. */
export function thrownCode(fn: () => unknown, type: abstract new (...args: never[]) => { code: string }): string {
  try {
    fn();
  } catch (err) {
    assert.instance(err, type);
    return (err as { code: string }).code;
  }
  return 'no error';
}
