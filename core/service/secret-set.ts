/**
 * The secrets a service has used: the secret key and session token of each set of credentials it
 * signed with, and the signature of each URL. Anything that leaves the library built from text the
 * server sent is scrubbed of these exact values (a proxy that echoes the request would otherwise put
 * them into error messages). Bounded: the newest `capacity` values are kept.
 */

export class SecretSet {
  readonly #capacity: number;
  readonly #values: string[] = [];

  constructor(capacity = 16) {
    this.#capacity = capacity;
  }

  get values(): readonly string[] {
    return this.#values;
  }

  add(value: string | undefined): void {
    // Short values could match ordinary words; AWS secrets are 40 characters and more.
    if (value === undefined || value.length < 16 || this.#values.includes(value)) return;
    this.#values.push(value);
    if (this.#values.length > this.#capacity) this.#values.shift();
  }
}
