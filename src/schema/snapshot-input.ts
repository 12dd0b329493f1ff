/**
 * A snapshot read from a file (`--schema`) is checked before anything uses it: every rule,
 * fact and plan reads it without further checks, so a hand-edited or truncated file must fail
 * here, with the JSON path of the first problem, not as "internal error: cannot read
 * properties of undefined" in the middle of an analysis. Unknown keys are kept (a newer
 * schemapilot may add some); missing or mistyped ones are refused.
 */
import { z } from 'zod';
import type { SchemaSnapshot } from '../core/snapshot.js';

const text = z.string();
const nullableText = z.string().nullable();
const names = z.array(z.string());
const count = z.number().finite().nonnegative();

const column = z.looseObject({
  name: text,
  type: text,
  nullable: z.boolean(),
  default: nullableText,
  identity: z.enum(['always', 'by default']).nullable(),
  generated: nullableText,
  collation: nullableText,
  comment: nullableText,
  notNullConstraint: z.looseObject({ name: text, validated: z.boolean() }).optional(),
});

const index = z.looseObject({
  name: text,
  columns: names,
  include: names,
  unique: z.boolean(),
  primary: z.boolean(),
  valid: z.boolean(),
  method: text,
  predicate: nullableText,
  constraint: nullableText,
  definition: text,
  bytes: count,
});

const fkAction = z.enum(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);

const table = z.looseObject({
  schema: text,
  name: text,
  kind: z.enum(['table', 'partitioned table']),
  comment: nullableText,
  columns: z.array(column),
  primaryKey: z.looseObject({ name: text, columns: names }).nullable(),
  uniqueConstraints: z.array(
    z.looseObject({ name: text, columns: names, definition: text, deferrable: z.boolean() }),
  ),
  checkConstraints: z.array(z.looseObject({ name: text, definition: text, validated: z.boolean() })),
  foreignKeys: z.array(
    z.looseObject({
      name: text,
      columns: names,
      referencedSchema: text,
      referencedTable: text,
      referencedColumns: names,
      onUpdate: fkAction,
      onDelete: fkAction,
      match: z.enum(['SIMPLE', 'FULL', 'PARTIAL']),
      deferrable: z.boolean(),
      validated: z.boolean(),
    }),
  ),
  exclusionConstraints: z.array(z.looseObject({ name: text, definition: text })),
  indexes: z.array(index),
  triggers: z.array(
    z.looseObject({
      name: text,
      definition: text,
      function: text,
      enabled: z.enum(['origin', 'disabled', 'replica', 'always']),
    }),
  ),
  partitionOf: nullableText,
  partitionBound: nullableText,
  partitionKey: nullableText,
  stats: z.looseObject({ rowEstimate: count.nullable(), tableBytes: count, indexBytes: count }),
});

/**
 * The version number per dialect: PostgreSQL 10.0 to 19.x (server_version_num, the majors whose
 * facts schemapilot knows); MySQL 5.0 to MariaDB 99.x as major*10000 + minor*100 + patch
 * (src/dialects/mysql/version.ts); SQLite 3.x as SQLITE_VERSION_NUMBER (3.53.2: 3053002).
 */
const SERVER_VERSION_NUM = {
  postgres: [100_000, 199_999],
  mysql: [50_000, 999_999],
  sqlite: [3_000_000, 3_999_999],
} as const;

const snapshot = z
  .looseObject({
    formatVersion: z.literal(1),
    dialect: z.enum(['postgres', 'mysql', 'sqlite']),
    serverVersion: text,
    serverVersionNum: z.number().int(),
    database: text,
    timeZone: text.optional(),
    schemas: names,
    tables: z.array(table),
    views: z.array(
      z.looseObject({
        schema: text,
        name: text,
        materialized: z.boolean(),
        definition: text,
        comment: nullableText,
        columns: z.array(column),
        dependsOn: z.array(z.looseObject({ relation: text, columns: names })),
        indexes: z.array(index),
      }),
    ),
    sequences: z.array(z.looseObject({ schema: text, name: text })),
    enums: z.array(z.looseObject({ schema: text, name: text, values: names })),
    extensions: z.array(z.looseObject({ name: text, version: text, schema: text })),
    // Absent from snapshots written before functions were inspected.
    functions: z
      .array(
        z.looseObject({
          schema: text,
          name: text,
          arguments: text,
          volatility: z.enum(['immutable', 'stable', 'volatile']),
          definition: text,
        }),
      )
      .optional(),
    hash: text,
  })
  .superRefine((value, context) => {
    const [min, max] = SERVER_VERSION_NUM[value.dialect];
    if (value.serverVersionNum < min || value.serverVersionNum > max)
      context.addIssue({
        code: 'custom',
        path: ['serverVersionNum'],
        message:
          value.dialect === 'postgres'
            ? `must be a PostgreSQL server_version_num from 100000 (10.0) to 199999`
            : value.dialect === 'sqlite'
              ? `must be a SQLite version number (major*1000000 + minor*1000 + patch) from ${min} to ${max}`
              : `must be a MySQL/MariaDB version number (major*10000 + minor*100 + patch) from ${min} to ${max}`,
      });
  });

/** `$.tables[3].indexes` for a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === 'number'
        ? `${out}[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `${out}.${String(key)}`
          : `${out}[${JSON.stringify(String(key))}]`,
    '$',
  );
}

/**
 * The snapshot, or the first problem as `<path>: <what was expected>` (no value is echoed:
 * a hand-edited file may hold anything, secrets included).
 */
export function checkSnapshot(raw: unknown): { snapshot: SchemaSnapshot } | { problem: string } {
  const result = snapshot.safeParse(raw);
  if (result.success) {
    // The input itself, not zod's copy: unknown keys stay as they were.
    const s = raw as SchemaSnapshot;
    return { snapshot: { ...s, functions: s.functions ?? [] } };
  }
  const [issue] = result.error.issues;
  if (!issue) return { problem: '$: not a snapshot' };
  const where = jsonPath(issue.path);
  if (issue.path.at(-1) === 'serverVersionNum' && issue.code !== 'custom')
    return { problem: `${where}: must be a PostgreSQL server_version_num from 100000 (10.0) to 199999` };
  return { problem: `${where}: ${describeIssue(issue)}` };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
      return issue.message.replace(/^Too (small|big): expected number to be /, 'must be ');
    default:
      return issue.message;
  }
}
