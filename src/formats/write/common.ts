/**
 * What every plan writer shares: file naming, and the SQL of one step with its timeouts.
 * Writers are pure (plan → files); the CLI writes the files to disk.
 */
import type { Plan, PlanStep } from '../../core/plan.js';

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

export interface PlanWriter {
  format: string;
  description: string;
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

const ms = (n: number) => `'${n}ms'`;

/**
 * A transactional step's statements preceded by its timeouts. SET LOCAL ends with the
 * transaction, so the settings never leak into the next step.
 */
export function transactionalBody(step: PlanStep): string[] {
  return [
    `SET LOCAL lock_timeout = ${ms(step.lockTimeoutMs)}`,
    `SET LOCAL statement_timeout = ${ms(step.statementTimeoutMs)}`,
    ...step.sql,
  ];
}

/** Session-level timeouts around a statement that must run outside a transaction block. */
export function nonTransactionalBody(step: PlanStep): string[] {
  return [
    `SET lock_timeout = ${ms(step.lockTimeoutMs)}`,
    `SET statement_timeout = ${ms(step.statementTimeoutMs)}`,
    ...step.sql,
    'RESET lock_timeout',
    'RESET statement_timeout',
  ];
}

/** `-- expand-1: …` header lines for a step. */
export function stepHeader(step: PlanStep): string[] {
  const lock = step.lock ? `${step.lock.mode} on ${step.lock.table}` : 'no lock on existing tables';
  return [
    `-- ${step.id} (${step.phase}): ${step.description}`,
    `-- lock: ${lock}; estimated ${step.estimatedMs} ms; ${step.transactional ? 'one transaction' : 'outside any transaction'}`,
    ...step.preChecks.map((c) => `-- before: ${c.description}: ${c.sql}`),
    ...step.postChecks.map((c) => `-- after: ${c.description}: ${c.sql}`),
  ];
}

export function statements(sql: readonly string[]): string {
  return sql.map((s) => `${s.trimEnd()};`).join('\n');
}

/** Rollback SQL of a step, or a comment saying it has none. */
export function rollbackStatements(step: PlanStep): string[] {
  if (step.rollback.length > 0) return step.rollback;
  return [];
}

export function rollbackNote(step: PlanStep): string {
  if (!step.reversible)
    return `-- ${step.id} cannot be fully undone: ${step.rollback.length > 0 ? 'the statements below restore the structure, not the data' : 'its data is gone'}`;
  return step.rollback.length > 0 ? `-- undo ${step.id}` : `-- ${step.id} needs no undo`;
}
