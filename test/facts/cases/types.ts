/**
 * ALTER COLUMN … TYPE: which changes rewrite the table, which only check values, which are
 * catalog-only, and when the column's index is rebuilt. Every change runs twice: on a plain
 * column, and on an indexed one (the index is rebuilt unless PostgreSQL can prove the new one
 * would be identical).
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
import { docsFor, type FactCase, type FactGroup } from '../support/fact-case.js';

interface TypeChange {
  name: string;
  from: string;
  /** SQL for the value of row `g` (1…50); must fit both types. */
  value: string;
  /** What follows `ALTER COLUMN x TYPE`. */
  to: string;
  timeZone?: string;
  minMajor?: number;
  /** Whether the table is rewritten, as the docs state it (checked on the server). */
  rewrites: (major: number) => boolean;
  /**
   * The old type's most demanding value (SQL), for rejectsExistingValues: the change must fail
   * on it or alter it exactly when facts say so. Absent for USING expressions that compute new
   * values on purpose.
   */
  edge?: string;
  docs?: string[];
}

const NOTES = docsFor('current', 'sql-altertable.html#SQL-ALTERTABLE-NOTES');
/** PostgreSQL 12 release notes: timestamp ↔ timestamptz without rewrite when the session zone is UTC. */
const TIMESTAMP_DOCS = [docsFor(12, 'release-12.html'), docsFor(11, 'sql-altertable.html')];

const always = () => true;
const never = () => false;
const before12 = (major: number) => major < 12;

const CHANGES: TypeChange[] = [
  {
    name: 'varchar(10) → varchar(20)',
    from: 'varchar(10)',
    value: `'v' || g`,
    to: 'varchar(20)',
    rewrites: never,
    edge: `'abcdefghij'`,
  },
  {
    name: 'varchar(10) → varchar(5)',
    from: 'varchar(10)',
    value: `'v' || g`,
    to: 'varchar(5)',
    rewrites: always,
    edge: `'abcdefghij'`,
  },
  {
    name: 'varchar(10) → text',
    from: 'varchar(10)',
    value: `'v' || g`,
    to: 'text',
    rewrites: never,
    edge: `'abcdefghij'`,
  },
  {
    name: 'varchar(10) → varchar',
    from: 'varchar(10)',
    value: `'v' || g`,
    to: 'varchar',
    rewrites: never,
    edge: `'abcdefghij'`,
  },
  {
    name: 'text → varchar(20)',
    from: 'text',
    value: `'v' || g`,
    to: 'varchar(20)',
    rewrites: always,
    edge: `repeat('x', 30)`,
  },
  {
    name: 'numeric(10,2) → numeric(12,2)',
    from: 'numeric(10,2)',
    value: 'g / 3.0',
    to: 'numeric(12,2)',
    rewrites: never,
    edge: '99999999.99',
  },
  {
    name: 'numeric(10,2) → numeric(12,3): scale change',
    from: 'numeric(10,2)',
    value: 'g / 3.0',
    to: 'numeric(12,3)',
    rewrites: always,
    edge: '99999999.99',
  },
  {
    name: 'numeric(10,2) → numeric(8,2)',
    from: 'numeric(10,2)',
    value: 'g / 3.0',
    to: 'numeric(8,2)',
    rewrites: always,
    edge: '99999999.99',
  },
  {
    name: 'numeric(10,2) → numeric',
    from: 'numeric(10,2)',
    value: 'g / 3.0',
    to: 'numeric',
    rewrites: never,
    edge: '99999999.99',
  },
  { name: 'int4 → int8', from: 'int', value: 'g', to: 'bigint', rewrites: always, edge: '2147483647' },
  { name: 'int8 → int4', from: 'bigint', value: 'g', to: 'int', rewrites: always, edge: '3000000000' },
  {
    name: 'int4 → int4 (same type)',
    from: 'int',
    value: 'g',
    to: 'integer',
    rewrites: never,
    edge: '2147483647',
  },
  {
    name: 'timestamp → timestamptz, TimeZone UTC',
    from: 'timestamp',
    value: `'2024-01-01'::timestamp + g * interval '1 day'`,
    to: 'timestamptz',
    timeZone: 'UTC',
    rewrites: before12,
    edge: `'2024-06-01 12:34:56.789'`,
    docs: TIMESTAMP_DOCS,
  },
  {
    name: 'timestamp → timestamptz, TimeZone Europe/Paris',
    from: 'timestamp',
    value: `'2024-01-01'::timestamp + g * interval '1 day'`,
    to: 'timestamptz',
    timeZone: 'Europe/Paris',
    rewrites: always,
    edge: `'2024-06-01 12:34:56.789'`,
    docs: TIMESTAMP_DOCS,
  },
  {
    name: 'timestamptz → timestamp, TimeZone UTC',
    from: 'timestamptz',
    value: `'2024-01-01'::timestamptz + g * interval '1 day'`,
    to: 'timestamp',
    timeZone: 'UTC',
    rewrites: before12,
    edge: `'2024-06-01 12:34:56.789+00'`,
    docs: TIMESTAMP_DOCS,
  },
  {
    name: 'timestamp(3) → timestamp(6)',
    from: 'timestamp(3)',
    value: `'2024-01-01'::timestamp + g * interval '1 day'`,
    to: 'timestamp(6)',
    rewrites: never,
    edge: `'2024-01-01 00:00:00.123'`,
  },
  {
    name: 'timestamp(6) → timestamp(3)',
    from: 'timestamp(6)',
    value: `'2024-01-01'::timestamp + g * interval '1 day'`,
    to: 'timestamp(3)',
    rewrites: always,
    edge: `'2024-01-01 00:00:00.123456'`,
  },
  {
    name: 'time(3) → time(6)',
    from: 'time(3)',
    value: `time '10:00' + g * interval '1 minute'`,
    to: 'time(6)',
    rewrites: never,
    edge: `'23:59:59.999'`,
  },
  {
    name: 'cidr → inet',
    from: 'cidr',
    value: `('10.0.' || g || '.0/24')::cidr`,
    to: 'inet',
    rewrites: never,
    edge: `'10.1.0.0/16'`,
  },
  {
    name: 'char(5) → char(10)',
    from: 'char(5)',
    value: `'c' || g`,
    to: 'char(10)',
    rewrites: always,
    edge: `'abcde'`,
  },
  {
    name: 'char(10) → char(5)',
    from: 'char(10)',
    value: `'c' || g`,
    to: 'char(5)',
    rewrites: always,
    edge: `'abcdefghij'`,
  },
  {
    name: 'numeric(10,2) → numeric(10,1): rounds',
    from: 'numeric(10,2)',
    value: 'g / 3.0',
    to: 'numeric(10,1)',
    rewrites: always,
    edge: '1.25',
  },
  { name: 'char(5) → text', from: 'char(5)', value: `'c' || g`, to: 'text', rewrites: always, edge: `'ab'` },
  {
    name: 'bit varying(5) → bit varying(10)',
    from: 'varbit(5)',
    value: `B'101'`,
    to: 'varbit(10)',
    rewrites: never,
    edge: `B'10101'`,
  },
  {
    name: 'varchar(10)[] → varchar(20)[]',
    from: 'varchar(10)[]',
    value: `ARRAY['v' || g]`,
    to: 'varchar(20)[]',
    rewrites: always,
    edge: `ARRAY['abcdefghij']`,
  },
  {
    name: 'varchar(10)[] → varchar[]: drops the element limit',
    from: 'varchar(10)[]',
    value: `ARRAY['v' || g]`,
    to: 'varchar[]',
    rewrites: never,
    edge: `ARRAY['abcdefghij']`,
  },
  {
    name: 'varchar(10)[] → text[]',
    from: 'varchar(10)[]',
    value: `ARRAY['v' || g]`,
    to: 'text[]',
    rewrites: always,
    edge: `ARRAY['abcdefghij']`,
  },
  {
    name: 'numeric(10,2)[] → numeric[]',
    from: 'numeric(10,2)[]',
    value: 'ARRAY[g / 3.0]',
    to: 'numeric[]',
    rewrites: never,
    edge: `ARRAY[99999999.99]`,
  },
  {
    name: 'USING x::varchar(20): same as the implicit cast',
    from: 'varchar(10)',
    value: `'v' || g`,
    to: 'varchar(20) USING x::varchar(20)',
    rewrites: never,
    edge: `'abcdefghij'`,
  },
  {
    name: 'USING upper(x): new values',
    from: 'varchar(10)',
    value: `'v' || g`,
    to: 'varchar(20) USING upper(x)',
    rewrites: always,
  },
  {
    name: 'int4 → text USING x::text',
    from: 'int',
    value: 'g',
    to: 'text USING x::text',
    rewrites: always,
    edge: '-2147483648',
  },
  {
    name: 'text → text COLLATE "C"',
    from: 'text',
    value: `'v' || g`,
    to: 'text COLLATE "C"',
    rewrites: never,
    edge: `'abc'`,
  },
];

function typeCase(change: TypeChange, indexed: boolean): FactCase {
  const setup = [
    `CREATE TABLE t (id int PRIMARY KEY, x ${change.from});`,
    `INSERT INTO t SELECT g, ${change.value} FROM generate_series(1, 50) g;`,
    indexed ? 'CREATE INDEX t_x_idx ON t (x);' : '',
  ].join('\n');
  return {
    name: `${change.name}${indexed ? ', indexed' : ''}`,
    docs: [NOTES, ...(change.docs ?? [])],
    setup,
    sql: `ALTER TABLE t ALTER COLUMN x TYPE ${change.to}`,
    ...(change.timeZone ? { timeZone: change.timeZone } : {}),
    ...(change.minMajor ? { minMajor: change.minMajor } : {}),
    server: (major) => ({ rewritesTable: change.rewrites(major) }),
    ...(change.edge
      ? {
          edge: {
            row: `INSERT INTO t (id, x) VALUES (-1, ${change.edge})`,
            // Read as the old type, so a new spelling of the same value is no change.
            readBack: `SELECT x::${change.from}::text AS v FROM t WHERE id = -1`,
          },
        }
      : {}),
  };
}

export const alterType: FactGroup = {
  name: 'alter column type',
  cases: CHANGES.flatMap((change) => [typeCase(change, false), typeCase(change, true)]),
};
