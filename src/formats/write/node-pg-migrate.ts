/**
 * node-pg-migrate: one TypeScript migration per step with `up` and `down`. node-pg-migrate runs
 * each migration in a transaction unless it calls `pgm.noTransaction()`.
 * https://salsita.github.io/node-pg-migrate/migrations/
 */
import type { PlanStep } from '../../core/plan.js';
import type { PlanWriter } from './common.js';
import { stepName, stepVersion, transactionalBody } from './common.js';

const js = (s: string) => JSON.stringify(s);

function body(step: PlanStep, sql: readonly string[], transactional: boolean): string[] {
  return [...(transactional ? [] : ['  pgm.noTransaction();']), ...sql.map((s) => `  pgm.sql(${js(s)});`)];
}

export const nodePgMigrateWriter: PlanWriter = {
  format: 'node-pg-migrate',
  description: 'node-pg-migrate TypeScript migrations, pgm.noTransaction() where a step needs it',
  write(plan, options) {
    return plan.steps.map((step, i) => {
      const downConcurrent = step.rollback.some((s) => /\bCONCURRENTLY\b/i.test(s));
      const content = [
        "import type { MigrationBuilder } from 'node-pg-migrate';",
        '',
        `// ${step.id} (${step.phase}): ${step.description}`,
        'export async function up(pgm: MigrationBuilder): Promise<void> {',
        ...body(step, step.transactional ? transactionalBody(step) : step.sql, step.transactional),
        '}',
        '',
        'export async function down(pgm: MigrationBuilder): Promise<void> {',
        ...(step.rollback.length > 0
          ? body(step, step.rollback, !downConcurrent)
          : [`  // ${step.id} needs no undo`]),
        '}',
        '',
      ].join('\n');
      return { path: `${stepVersion(options.version, i)}_${stepName(options, step)}.ts`, content };
    });
  },
};
