/**
 * The checks transcribeUrl's option table is written in: each rule checks one option's value and
 * returns its wire form, or throws an `OptionError` that names the option and what it allows.
 */

import { OptionError } from '../errors.js';
import { describeValue } from '../sigv4/redact.js';

/** Checks one option's value (throws `OptionError` naming it); returns its wire form. */
export type Rule = (option: string, v: unknown) => string;

/** Throws the `OptionError` for `option`. */
export function fail(option: string, message: string): never {
  throw new OptionError(option, message);
}

/** A rule from a test and what it allows, for the message. */
export function rule(ok: (v: unknown) => boolean, allowed: string): Rule {
  // describeValue: a secret passed in the wrong option must not land in the message.
  return (option, v) => (ok(v) ? String(v) : fail(option, `must be ${allowed}, got ${describeValue(v)}`));
}

export function oneOf(values: readonly unknown[], text: string = values.join(', ')): Rule {
  return rule((v) => values.includes(v), (values.length > 1 ? 'one of ' : '') + text);
}

export function range(min: number, max: number): Rule {
  return rule(
    (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
    `a whole number from ${min} to ${max}`,
  );
}

export function pattern(re: RegExp, text: string): Rule {
  return rule((v) => typeof v === 'string' && re.test(v), text);
}

/** An array or a comma string of values `item` allows, at most `chars` long once comma-joined. */
export function list(item: Rule, chars: number = Infinity): Rule {
  return (option, v) => {
    const items: unknown = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v;
    if (!Array.isArray(items) || items.length === 0)
      fail(option, 'must be a non-empty array or comma-separated string');
    const joined = items.map((x) => item(option, x)).join(',');
    return joined.length > chars ? fail(option, `must be at most ${chars} characters once comma-joined`) : joined;
  };
}

export const BOOLEAN: Rule = rule((v) => typeof v === 'boolean', 'true or false');
