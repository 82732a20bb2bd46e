import { inspect } from 'node:util';

const redacted = '[redacted]';
const values = new WeakMap<Secret, string>();

/**
 * A credential that never shows itself: `String()`, `JSON.stringify`, `util.inspect` and
 * template literals all print `[redacted]`. Only `reveal()` returns the value, and only
 * the module that hands it to kafkajs calls it.
 */
export class Secret {
  constructor(value: string) {
    // Kept outside the object, so no enumeration or deep inspection can reach it.
    values.set(this, value);
  }

  /** The secret value; call it only where the value leaves for the network. */
  reveal(): string {
    return values.get(this) ?? '';
  }

  toString(): string {
    return redacted;
  }

  toJSON(): string {
    return redacted;
  }

  [inspect.custom](): string {
    return redacted;
  }
}
