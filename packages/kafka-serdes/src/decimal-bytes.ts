// Avro's decimal logical type on `bytes`: the unscaled value as a big-endian two's-complement
// integer, in as few bytes as hold it (what Java's BigDecimal.unscaledValue().toByteArray()
// writes). The scale is in the schema, not in the bytes. Strings in and out, so no amount
// ever passes through a float.

const decimalText = /^(-)?(\d+)(?:\.(\d+))?$/;

/** The `bytes` of a decimal with `scale` digits after the point, e.g. ('12.30', 2). */
export function decimalToBytes(value: string, scale: number): Buffer {
  checkScale(scale);
  const match = decimalText.exec(value);
  if (match === null) {
    throw new RangeError(`decimal: ${JSON.stringify(value)} is not a decimal number like "-12.30"`);
  }
  const [, minus, whole, fraction = ''] = match;
  if (fraction.length > scale) {
    throw new RangeError(
      `decimal: ${value} has ${fraction.length} digits after the point, the schema's scale is ${scale}`,
    );
  }
  const unscaled = BigInt(`${minus ?? ''}${whole}${fraction.padEnd(scale, '0')}`);
  return twosComplement(unscaled);
}

/** The decimal held by `bytes`, as a string with exactly `scale` digits after the point. */
export function bytesToDecimal(bytes: Buffer, scale: number): string {
  checkScale(scale);
  if (bytes.length === 0) throw new RangeError('decimal: 0 bytes, expected at least 1');
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  // The first bit is the sign: subtract 2^(8n) to read the two's complement.
  if ((bytes[0]! & 0x80) !== 0) unscaled -= 1n << BigInt(8 * bytes.length);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0) {
    throw new RangeError(`decimal: scale must be an integer >= 0, got ${scale}`);
  }
}

function twosComplement(n: bigint): Buffer {
  // The fewest bytes whose sign bit still reads as n's sign.
  let length = 1;
  while (n >= 1n << BigInt(8 * length - 1) || n < -(1n << BigInt(8 * length - 1))) length++;
  let rest = n < 0n ? (1n << BigInt(8 * length)) + n : n;
  const out = Buffer.alloc(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}
