import { describe, expect, it } from 'vitest';
import { parseAvro, recordNameOf, sameCanonicalForm } from './avro-parse.js';

const v1 = {
  type: 'record',
  name: 'Payment',
  namespace: 'acme',
  fields: [{ name: 'id', type: 'string' }],
};
const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: 'string', default: '' }] };

describe('parseAvro', () => {
  it('parses two versions of one record independently (no shared registry of names)', () => {
    const a = parseAvro(v1, 'v1');
    const b = parseAvro(JSON.stringify(v2), 'v2');
    expect(a.toBuffer({ id: 'x' })).toEqual(Buffer.from([2, 0x78]));
    expect(b.toBuffer({ id: 'x' })).toEqual(Buffer.from([2, 0x78, 0]));
    expect(parseAvro(v1, 'again').name).toBe('acme.Payment');
  });

  it('takes a bare primitive name, and keeps unions unwrapped', () => {
    expect(parseAvro('string', 'key').typeName).toBe('string');
    const union = parseAvro(['null', 'string'], 'u');
    expect(union.fromBuffer(union.toBuffer('x'))).toBe('x');
  });

  it('names the schema and the reason when avsc refuses it', () => {
    expect(() =>
      parseAvro(
        { type: 'record', name: 'R', fields: [{ name: 'a', type: 'nope' }] },
        'the value schema',
      ),
    ).toThrow('the value schema: not a usable Avro schema: undefined type name: nope');
    expect(() => parseAvro('{"type":', 'broken')).toThrow(/^broken: not a usable Avro schema/);
  });
});

describe('sameCanonicalForm and recordNameOf', () => {
  it('compares what is written (defaults and docs do not count), names records only', () => {
    const withDoc = {
      ...v1,
      doc: 'a payment',
      fields: [{ name: 'id', type: 'string', default: 'none' }],
    };
    expect(sameCanonicalForm(parseAvro(v1, 'a'), parseAvro(withDoc, 'b'))).toBe(true);
    expect(sameCanonicalForm(parseAvro(v1, 'a'), parseAvro(v2, 'b'))).toBe(false);
    expect(recordNameOf(parseAvro(v1, 'a'))).toBe('acme.Payment');
    expect(recordNameOf(parseAvro('long', 'b'))).toBeUndefined();
  });
});
