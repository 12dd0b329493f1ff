/**
 * What every plan writer shares: file naming, headers, the rules of one-query files. The SQL
 * of a step with its timeouts is the dialect's (`StepText`, the step runner's text form), so a
 * written file runs what deploy runs. Writers are pure (plan → files); the CLI writes the files
 * to disk.
 */
import type { StepText } from '../../core/dialect/deploy.js';
import { SchemapilotError } from '../../core/errors.js';
import type { Plan, PlanStep } from '../../core/plan.js';
import type { DialectName } from '../../core/snapshot.js';

export interface WrittenFile {
  /** Relative to the output directory. */
  path: string;
  content: string;
}

export interface WriteOptions {
  /** Short name for the migration, used in file names: `add_email_verified`. */
  name: string;
  /** Version prefix chosen by the caller (a timestamp like 20261125093000, or a number). */
  version: string;
}

/** A writer for one migration tool: `steps` gives each step's statements as the dialect runs them. */
export interface PlanWriter {
  format: string;
  description: string;
  /** The dialects whose plans it writes; absent: every dialect's. */
  dialects?: readonly DialectName[];
  write(plan: Plan, options: WriteOptions, steps: StepText): WrittenFile[];
}

/** A plan writer bound to a dialect's step text (src/formats/write/index.ts binds them). */
export interface BoundPlanWriter {
  format: string;
  description: string;
  dialects?: readonly DialectName[];
  write(plan: Plan, options: WriteOptions): WrittenFile[];
}

/** `add email_verified!` → `add_email_verified`. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'migration'
  );
}

/** Version + step number, e.g. 20261125093000 → 20261125093000, 20261125093001, … */
export function stepVersion(version: string, index: number): string {
  if (/^\d+$/.test(version))
    return (BigInt(version) + BigInt(index)).toString().padStart(version.length, '0');
  return `${version}_${String(index + 1).padStart(2, '0')}`;
}

export function stepName(options: WriteOptions, step: PlanStep): string {
  return `${slug(options.name)}_${step.id.replace('-', '_')}`;
}

/**
 * Statements wrapped in an explicit BEGIN/COMMIT, for tools that send a file as it is: the
 * step stays one transaction even where the tool runs the statements one by one
 * (golang-migrate's x-multi-statement, Prisma versions that split scripts).
 */
export function explicitTransaction(sql: readonly string[], begin = 'BEGIN'): string[] {
  return sql.length > 0 ? [begin, ...sql, 'COMMIT'] : [];
}

/**
 * The statement that opens a step's transaction in a file. SQLite: BEGIN IMMEDIATE, which takes
 * the database's write lock at once, waiting the step's busy_timeout, as the step runner does; a
 * plain BEGIN takes it at the first write, where a transaction that read first can fail at once
 * with SQLITE_BUSY (https://www.sqlite.org/lang_transaction.html#deferred_immediate_and_exclusive_transactions).
 */
export function beginFor(plan: Plan): string {
  return plan.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN';
}

/**
 * A step outside the runner's transaction that opens and commits its own (SQLite's table rebuild:
 * PRAGMA foreign_keys = OFF, BEGIN IMMEDIATE, …, COMMIT, PRAGMA foreign_keys = ON): the statements
 * before its BEGIN, its transaction's, and those after its COMMIT. Null for any other step.
 */
export interface OwnTransaction {
  before: string[];
  begin: string;
  inside: string[];
  after: string[];
}

export function ownTransaction(sql: readonly string[]): OwnTransaction | null {
  const begin = sql.findIndex((s) => /^\s*BEGIN\b/i.test(s));
  const commit = sql.findLastIndex((s) => /^\s*(COMMIT|END)\b/i.test(s));
  if (begin < 0 || commit <= begin) return null;
  return {
    before: sql.slice(0, begin),
    begin: sql[begin] ?? 'BEGIN',
    inside: sql.slice(begin + 1, commit),
    after: sql.slice(commit + 1),
  };
}

/** PRAGMA foreign_keys: a no-op inside a transaction (https://www.sqlite.org/pragma.html#pragma_foreign_keys). */
export function isForeignKeysPragma(sql: string): boolean {
  return /^\s*PRAGMA\s+(?:\w+\.)?foreign_keys\s*=/i.test(sql);
}

/**
 * Text for a one-line comment: a quoted name with a line break in it must not end the comment
 * (U+2028 and U+2029 end a `//` comment in TypeScript).
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
}

/**
 * A step an online schema change tool runs (pt-online-schema-change, gh-ost) cannot go into a
 * migration tool's files: the tool would mark it applied without the table being changed.
 */
export function refuseToolSteps(format: string, plan: Plan): void {
  const step = plan.steps.find((s) => s.tool);
  if (!step?.tool) return;
  throw new SchemapilotError(
    `${format}: step ${step.id} is run by ${step.tool.name}, not by SQL, which ${format} cannot run: deploy the plan with \`schemapilot deploy\` (which runs pt-online-schema-change), or plan with "mysql": { "onlineSchemaChange": "none" } in the config for SQL-only steps (expand/contract where a recipe has one, else a copy that blocks writes)`,
    { exitCode: 1 },
  );
}

/** `-- expand-1: …` header lines for a step. */
export function stepHeader(step: PlanStep): string[] {
  const lock = step.lock ? `${step.lock.mode} on ${step.lock.table}` : 'no lock on existing tables';
  return [
    `-- ${step.id} (${step.phase}): ${step.description}`,
    `-- lock: ${lock}; estimated ${step.estimatedMs} ms; ${step.transactional ? 'one transaction' : ownTransaction(step.sql) ? 'its own BEGIN … COMMIT' : 'outside any transaction'}`,
    ...step.preChecks.map((c) => `-- before: ${c.description}: ${c.sql}`),
    ...step.postChecks.map((c) => `-- after: ${c.description}: ${c.sql}`),
  ].map(oneLine);
}

export function statements(sql: readonly string[]): string {
  return sql.map((s) => `${s.trimEnd()};`).join('\n');
}

/**
 * golang-migrate, dbmate and Prisma send a file (or a dbmate section) to the server as one
 * query string, and PostgreSQL runs a string of several statements as one implicit
 * transaction, where CREATE INDEX CONCURRENTLY fails and a DO block cannot COMMIT. So SQL that
 * must run outside a transaction has to be alone in its file; a writer for those tools refuses
 * a step it cannot lay out that way rather than write a file that fails on the server.
 */
export function aloneInFile(
  format: string,
  step: PlanStep,
  sql: readonly string[],
  what: string,
  steps: StepText,
): string[] {
  // MySQL: each statement commits on its own whether sent alone or with others.
  if (sql.length > 1 && !steps.ddlAutocommits)
    throw new SchemapilotError(
      `${format}: the ${what} of ${step.id} has ${sql.length} statements that must run outside a transaction, but ${format} sends a file as one query, which PostgreSQL runs as one transaction; write the plan as sql or flyway instead`,
      { exitCode: 1 },
    );
  return [...sql];
}

/**
 * A step that runs outside a transaction, as a one-query file holds it: alone (PostgreSQL), or,
 * where every statement commits on its own anyway (MySQL), with its session timeouts around it
 * like any step (the file is one query on one connection, so they hold).
 */
export function outsideTransactionUp(format: string, step: PlanStep, steps: StepText): string[] {
  return steps.ddlAutocommits ? steps.text(step) : aloneInFile(format, step, step.sql, 'SQL', steps);
}

export function rollbackNote(step: PlanStep): string {
  if (!step.reversible)
    return `-- ${step.id} cannot be fully undone: ${step.rollback.length > 0 ? 'the statements below restore the structure, not the data' : 'its data is gone'}`;
  return step.rollback.length > 0 ? `-- undo ${step.id}` : `-- ${step.id} needs no undo`;
}
