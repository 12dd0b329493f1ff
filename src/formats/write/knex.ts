/**
 * Knex: one TypeScript migration per step. Knex runs each migration in a transaction unless the
 * file exports `config = { transaction: false }`.
 * https://knexjs.org/guide/migrations.html#transactions-in-migrations
 */
import type { PlanWriter } from './common.js';
import { stepName, stepVersion, transactionalBody } from './common.js';

const js = (s: string) => JSON.stringify(s);

export const knexWriter: PlanWriter = {
  format: 'knex',
  description: 'Knex TypeScript migrations, config.transaction = false where a step needs it',
  write(plan, options) {
    return plan.steps.map((step, i) => {
      // Knex's switch is per file: a step and its rollback share it.
      const noTransaction = !step.transactional || step.rollback.some((s) => /\bCONCURRENTLY\b/i.test(s));
      const up = step.transactional && !noTransaction ? transactionalBody(step) : step.sql;
      const content = [
        "import type { Knex } from 'knex';",
        '',
        `// ${step.id} (${step.phase}): ${step.description}`,
        ...(noTransaction ? ['export const config = { transaction: false };', ''] : []),
        'export async function up(knex: Knex): Promise<void> {',
        ...up.map((s) => `  await knex.raw(${js(s)});`),
        '}',
        '',
        'export async function down(knex: Knex): Promise<void> {',
        ...(step.rollback.length > 0
          ? step.rollback.map((s) => `  await knex.raw(${js(s)});`)
          : [`  // ${step.id} needs no undo`]),
        '}',
        '',
      ].join('\n');
      return { path: `${stepVersion(options.version, i)}_${stepName(options, step)}.ts`, content };
    });
  },
};
