import { describe, expect, it } from 'vitest';
import { validateJson, type JsonSchema } from '../support/json-schema.js';

/** The validator the schema tests rely on: each keyword must both accept and reject. */
describe('json-schema validator', () => {
  const cases: { schema: JsonSchema; valid: unknown[]; invalid: unknown[] }[] = [
    { schema: { type: 'integer' }, valid: [0, -3], invalid: [1.5, '1', null] },
    { schema: { type: ['string', 'null'] }, valid: ['', null], invalid: [0, false, {}] },
    { schema: { type: 'object' }, valid: [{}], invalid: [[], null] },
    { schema: { enum: ['a', 1, null] }, valid: ['a', 1, null], invalid: ['b', 2] },
    { schema: { const: { a: [1] } }, valid: [{ a: [1] }], invalid: [{ a: [2] }, { a: [1], b: 1 }] },
    { schema: { minimum: 1, maximum: 5 }, valid: [1, 5, 'not a number'], invalid: [0, 6] },
    { schema: { exclusiveMinimum: 0 }, valid: [0.1], invalid: [0, -1] },
    { schema: { minLength: 2 }, valid: ['ab', '🙂🙂'], invalid: ['a', '🙂'] },
    { schema: { pattern: '^[^.]+\\..+$' }, valid: ['public.users'], invalid: ['users', '.x'] },
    {
      schema: { required: ['a'], properties: { a: { type: 'string' } }, additionalProperties: false },
      valid: [{ a: 'x' }],
      invalid: [{}, { a: 1 }, { a: 'x', b: 1 }],
    },
    {
      schema: { additionalProperties: { type: 'boolean' } },
      valid: [{ x: true }],
      invalid: [{ x: 1 }],
    },
    { schema: { items: { type: 'integer' } }, valid: [[], [1, 2]], invalid: [[1, 'x']] },
    { schema: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, valid: ['x', 1], invalid: [true] },
    { schema: { oneOf: [{ type: 'integer' }, { type: 'number' }] }, valid: [1.5], invalid: [1, 'x'] },
    {
      schema: { $defs: { pos: { type: 'integer', minimum: 1 } }, items: { $ref: '#/$defs/pos' } },
      valid: [[1, 2]],
      invalid: [[0]],
    },
    { schema: false, valid: [], invalid: [1] },
  ];
  for (const [i, c] of cases.entries()) {
    it(`case ${i + 1}: ${JSON.stringify(c.schema)}`, () => {
      for (const v of c.valid) expect(validateJson(c.schema, v), JSON.stringify(v)).toEqual([]);
      for (const v of c.invalid)
        expect(validateJson(c.schema, v).length, JSON.stringify(v)).toBeGreaterThan(0);
    });
  }

  it('reports where the error is', () => {
    const schema: JsonSchema = {
      properties: { list: { items: { properties: { mode: { enum: ['SHARE'] } } } } },
    };
    expect(validateJson(schema, { list: [{ mode: 'SHARE' }, { mode: 'x' }] })).toEqual([
      { path: '/list/1/mode', message: '"x" is not one of ["SHARE"]' },
    ]);
  });

  it('refuses keywords it does not implement instead of ignoring them', () => {
    expect(() => validateJson({ maxItems: 1 } as JsonSchema, [1, 2])).toThrow(
      /does not implement "maxItems"/,
    );
    expect(() => validateJson({ $ref: 'other.json#/x' }, 1)).toThrow(/only local/);
  });
});
