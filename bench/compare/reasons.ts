/**
 * Why schemapilot and squawk disagree, per rule: the reasons that hold wherever the rule fires.
 * A reason that depends on the statement lives in the corpus instead, as an annotation
 * `-- compare(<rule>): <reason>` right before it. Every reason is published in
 * docs/comparison.md; "miss:" marks a gap of ours that the lead should route.
 */
import type { Run, Side } from './compare.js';

const STYLE = 'style, not a migration-safety risk: schemapilot has no rule for it';

const SQUAWK_ONLY: Readonly<Record<string, string>> = {
  'prefer-robust-stmts':
    'idempotency hygiene (IF [NOT] EXISTS so a half-applied migration can be re-run); it neither takes a lock nor breaks callers, so schemapilot has no rule for it',
  'prefer-text-field': `varchar(n) instead of text is ${STYLE}. Raising n later is catalog-only (no rewrite); lowering it is reported by type-narrowing`,
  'prefer-bigint-over-int': `int instead of bigint is capacity planning, ${STYLE}`,
  'prefer-bigint-over-smallint': `smallint instead of bigint is capacity planning, ${STYLE}`,
  'prefer-identity': `serial instead of an identity column is ${STYLE}`,
  'prefer-timestamp-tz': `timestamp without time zone is ${STYLE}`,
  'ban-char-field': `char(n) is ${STYLE}`,
  'identifier-too-long':
    'PostgreSQL truncates names over 63 bytes with a NOTICE; the statement still succeeds. Not covered by any rule of ours (a hygiene rule could be added)',
  'ban-duplicate-column-assignments':
    'PostgreSQL rejects the statement ("multiple assignments to same column"), so the migration fails loudly on the first try; schemapilot has no rule for it',
  'ban-create-domain-with-constraint':
    'a CHECK on a new domain locks nothing and breaks nothing when created; squawk warns about future ALTER DOMAIN costs. schemapilot has no domain rules',
  'ban-alter-domain-with-add-constraint':
    'miss: ALTER DOMAIN … ADD CONSTRAINT (without NOT VALID) checks every column of that domain in every table while holding locks; schemapilot lowers it (`alter domain`, addsCheck/notValid) but no rule reports it yet',
  'require-statement-timeout':
    'schemapilot has no statement_timeout rule: a missing statement_timeout does not block other sessions by itself (lock-timeout-missing covers the lock queue)',
  'require-enum-value-ordering':
    'ADD VALUE without BEFORE/AFTER appends at the end, which changes no existing value and no sort order of existing rows; squawk asks for an explicit position, which is style',
  'ban-uncommitted-transaction':
    'miss: a BEGIN without COMMIT at the end of a plain SQL file (psql rolls it back at exit, so the changes are silently lost) is not reported by any rule of ours',
};

const OURS_ONLY: Readonly<Record<string, string>> = {
  'unique-on-existing-data':
    'a new UNIQUE index or constraint fails when the table already holds duplicates, and then breaks writers that insert them; squawk checks only the lock, not the data',
  'fk-missing-index':
    'no index on the referencing columns: every DELETE or key UPDATE on the parent scans the child; squawk has no such rule (asked for in squawk #334)',
  'truncate-table':
    'TRUNCATE empties an existing table and cannot be undone once committed; squawk only flags TRUNCATE … CASCADE',
  cascade:
    'CASCADE silently drops or empties dependent objects (views, foreign keys, other tables); squawk checks CASCADE on TRUNCATE only',
  'drop-schema': 'DROP SCHEMA removes every object in it; squawk flags DROP DATABASE only',
  'unrecognized-statement':
    'schemapilot says (at info level) that it does not analyze this statement, so its locks must be checked by hand; squawk says nothing about statements it has no rule for',
  'enum-value-change':
    'renaming an enum value breaks code and stored references that use the old label, and dropping an enum in use fails or cascades; squawk has no rule for either',
  'add-auto-increment-column':
    'ADD COLUMN serial/bigserial fills every existing row from the sequence: a full rewrite under ACCESS EXCLUSIVE. squawk only suggests an identity column (prefer-identity) and misses the rewrite',
  'vacuum-full-or-cluster':
    'VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE on every version; squawk flags them only for PostgreSQL 19+, where REPACK exists (pg_repack is the alternative before)',
  'table-rewrite':
    'SET TABLESPACE / SET LOGGED / SET UNLOGGED rewrite the whole table under ACCESS EXCLUSIVE; squawk has no rule for these',
  'concurrently-in-transaction':
    'CONCURRENTLY cannot run inside a transaction block (PostgreSQL raises an error); squawk checks CREATE INDEX CONCURRENTLY only',
  'statements-after-access-exclusive':
    'work after an ACCESS EXCLUSIVE lock in the same transaction keeps the table blocked until COMMIT; squawk has no rule for lock hold time',
  'backfill-in-ddl-transaction':
    'an UPDATE/DELETE over a large table in one statement (or inside a DDL transaction) holds its row locks, and any DDL locks, until it commits; squawk has no rules for DML',
  'dml-without-where': 'UPDATE/DELETE without WHERE changes every row; squawk has no rules for DML',
  'view-dependency':
    'the schema shows a view that reads this column: the statement fails (or, with CASCADE, drops the view); squawk has no schema, so it cannot know',
};

/** Only with the schema do we know the current type, and so whether the change is free. */
const BINARY_COERCIBLE =
  'with the schema the current type is known, and this change is binary-coercible (varchar to a longer varchar or to text, numeric precision raised): PostgreSQL changes only the catalog, with no rewrite and no scan. squawk flags every type change';

export function reasonFor(side: Side, rule: string, run: Run): string | null {
  if (side === 'squawk only' && rule === 'changing-column-type' && run === 'schema') return BINARY_COERCIBLE;
  const reason = side === 'squawk only' ? SQUAWK_ONLY[rule] : OURS_ONLY[rule];
  if (reason === undefined) return null;
  if (rule === 'fk-missing-index' && run === 'no schema') {
    return `${reason}. Without a schema no index on those columns is known`;
  }
  return reason;
}
