/**
 * node-pg-migrate: one TypeScript migration per step with `up` and `down`.
 * https://salsita.github.io/node-pg-migrate/migrations/
 *
 * Every file calls `pgm.noTransaction()` and a transactional step writes its own BEGIN/COMMIT.
 * By default (`--single-transaction`) node-pg-migrate runs all pending migrations in ONE
 * transaction, breaking it only around a migration that calls noTransaction(): left to it, an
 * ADD CONSTRAINT … NOT VALID and its VALIDATE would share a transaction, and the validation
 * would scan the table under the first step's lock. Taking the transactions in hand makes each
 * step commit on its own with either setting. node-pg-migrate runs each `pgm.sql` as a separate
 * query on one connection, so session timeouts set before a non-transactional statement hold.
 */
import type { StepText } from '../../core/dialect/deploy.js';
import type { PlanStep } from '../../core/plan.js';
import type { PlanWriter } from './common.js';
import { oneLine, rollbackNote, stepName, stepVersion } from './common.js';

// JSON string syntax is TypeScript string syntax; pgm.sql only rewrites `{name}` when given values.
const call = (sql: string) => `  pgm.sql(${JSON.stringify(sql)});`;

function body(sql: readonly string[], transactional: boolean): string[] {
  const statements = transactional ? ['BEGIN', ...sql, 'COMMIT'] : sql;
  return ['  pgm.noTransaction();', ...statements.map(call)];
}

function down(step: PlanStep, steps: StepText): string[] {
  if (step.rollback.length === 0)
    return ['export function down(_pgm: MigrationBuilder): void {', `  // ${step.id} needs no undo`, '}'];
  return [
    'export function down(pgm: MigrationBuilder): void {',
    ...(step.reversible ? [] : [`  //${rollbackNote(step).slice(2)}`]),
    ...body(step.rollback, !steps.outsideTransaction(step.rollback)),
    '}',
  ];
}

export const nodePgMigrateWriter: PlanWriter = {
  format: 'node-pg-migrate',
  description: 'node-pg-migrate TypeScript migrations, each step committing on its own (pgm.noTransaction())',
  write(plan, options, steps) {
    return plan.steps.map((step, i) => {
      const up = steps.text(step);
      const content = [
        "import type { MigrationBuilder } from 'node-pg-migrate';",
        '',
        `// ${step.id} (${step.phase}): ${oneLine(step.description)}`,
        '// noTransaction(): the step commits on its own, whatever --single-transaction says.',
        'export function up(pgm: MigrationBuilder): void {',
        ...body(up, step.transactional),
        '}',
        '',
        ...down(step, steps),
        '',
      ].join('\n');
      return { path: `${stepVersion(options.version, i)}_${stepName(options, step)}.ts`, content };
    });
  },
};
