/**
 * A small JSON Schema (draft 2020-12) validator for the keywords schema/*.schema.json use, so
 * tests can check real output against the published schemas without a validator package.
 * A keyword outside the subset throws instead of being skipped: a schema can never pass here
 * because part of it was silently ignored.
 */

export type JsonSchema = boolean | SchemaObject;

type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

interface SchemaObject {
  $ref?: string;
  type?: JsonType | JsonType[];
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  // Annotations.
  $schema?: string;
  $id?: string;
  $defs?: Record<string, JsonSchema>;
  $comment?: string;
  title?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
}

const VALIDATING = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'minItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minLength',
  'pattern',
  'anyOf',
  'oneOf',
]);
/** Keywords that only describe; they never change a verdict. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$defs',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
]);

export interface SchemaError {
  /** JSON Pointer of the offending value (`/statements/0/locks/0/mode`). */
  path: string;
  message: string;
}

/** Every way `value` fails `schema` (empty when it is valid). */
export function validateJson(schema: JsonSchema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  check(schema, value, '', schema, errors);
  return errors;
}

function check(
  schema: JsonSchema,
  value: unknown,
  path: string,
  root: JsonSchema,
  errors: SchemaError[],
): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push({ path, message: 'no value is allowed here' });
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!VALIDATING.has(keyword) && !ANNOTATIONS.has(keyword))
      throw new Error(`json-schema.ts does not implement "${keyword}" (at schema for ${path || '/'})`);
  }
  const fail = (message: string) => errors.push({ path, message });

  if (schema.$ref !== undefined) check(resolveRef(root, schema.$ref), value, path, root, errors);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) fail(`expected ${types.join(' or ')}, got ${typeName(value)}`);
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => deepEqual(e, value)))
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && !deepEqual(schema.const, value))
    fail(`expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);

  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`${value} < minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`${value} > maximum ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
      fail(`${value} <= exclusiveMinimum ${schema.exclusiveMinimum}`);
  }
  if (typeof value === 'string') {
    // JSON Schema counts code points, not UTF-16 units.
    if (schema.minLength !== undefined && [...value].length < schema.minLength)
      fail(`shorter than ${schema.minLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
      fail(`${JSON.stringify(value)} does not match /${schema.pattern}/`);
  }
  if (Array.isArray(value) && schema.minItems !== undefined && value.length < schema.minItems)
    fail(`fewer than ${schema.minItems} items`);
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, i) => check(items, item, `${path}/${i}`, root, errors));
  }
  if (isObject(value)) checkObject(schema, value, path, root, errors);

  if (schema.anyOf !== undefined) {
    const passing = schema.anyOf.filter((s) => validateAgainst(s, value, path, root));
    if (passing.length === 0) fail('matches none of anyOf');
  }
  if (schema.oneOf !== undefined) {
    const passing = schema.oneOf.filter((s) => validateAgainst(s, value, path, root));
    if (passing.length !== 1) fail(`matches ${passing.length} of oneOf, expected exactly 1`);
  }
}

function checkObject(
  schema: SchemaObject,
  value: Record<string, unknown>,
  path: string,
  root: JsonSchema,
  errors: SchemaError[],
): void {
  for (const key of schema.required ?? [])
    if (!(key in value)) errors.push({ path, message: `missing required "${key}"` });
  const properties = schema.properties ?? {};
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const declared = properties[key];
    if (declared !== undefined) check(declared, item, at, root, errors);
    else if (schema.additionalProperties === false)
      errors.push({ path: at, message: 'property not allowed' });
    else if (schema.additionalProperties !== undefined)
      check(schema.additionalProperties, item, at, root, errors);
  }
}

function validateAgainst(schema: JsonSchema, value: unknown, path: string, root: JsonSchema): boolean {
  const errors: SchemaError[] = [];
  check(schema, value, path, root, errors);
  return errors.length === 0;
}

/** Local references only (`#/$defs/statement`): the schemas here are self-contained. */
function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new Error(`json-schema.ts resolves only local $ref, got "${ref}"`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[part] : undefined;
  }
  if (node === undefined) throw new Error(`$ref "${ref}" points at nothing`);
  return node as JsonSchema;
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
