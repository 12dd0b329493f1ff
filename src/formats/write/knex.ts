/**
 * Knex: one TypeScript migration per step.
 * https://knexjs.org/guide/migrations.html#transactions-in-migrations
 *
 * Every file exports `config = { transaction: false }` and a transactional step opens its own
 * `knex.transaction()`. Left to Knex, `migrate.latest()` runs all pending migrations in ONE
 * transaction when none of them disables transactions: an ADD CONSTRAINT … NOT VALID and its
 * VALIDATE would share it, and the validation would scan the table under the first step's lock.
 * Statements outside a transaction go to the connection pool one by one, so they carry no
 * session timeouts: a SET could land on another pooled connection, and stay there.
 *
 * MySQL/MariaDB (every statement commits on its own): a step outside a transaction runs on one
 * connection taken from the pool for it, so its session timeouts hold and a backfill's keyset,
 * kept in session variables from batch to batch, stays on the session that walks it.
 *
 * SQLite: the same, and a step that opens its own transaction (the table rebuild) rolls it back
 * on the connection when a statement fails, then runs what follows its COMMIT (PRAGMA
 * foreign_keys = ON) in any case: a connection given back to the pool with a transaction open
 * would hold the database's write lock, and Knex's own bookkeeping would run inside it.
 */
import { SchemapilotError } from '../../core/errors.js';
import type { StepText } from '../../core/dialect/deploy.js';
import type { PlanStep } from '../../core/plan.js';
import type { PlanWriter } from './common.js';
import { oneLine, ownTransaction, rollbackNote, stepName, stepVersion } from './common.js';

/**
 * The SQL as a TypeScript string for `raw()`. Knex's PostgreSQL client turns every `?` of a
 * query into a `$n` parameter, even with no bindings, unless it is written `\?`; it has no way
 * to keep a backslash that stands right before a `?`.
 */
function literal(step: PlanStep, sql: string, postgres: boolean): string {
  // The MySQL clients pass the text as it is when there are no bindings (and would keep a `\?`).
  if (!postgres) return JSON.stringify(sql);
  if (sql.includes('\\?'))
    throw new SchemapilotError(
      `knex: ${step.id} has a backslash before a ?, which knex.raw() cannot pass through; write the plan as sql instead`,
      { exitCode: 1 },
    );
  return JSON.stringify(sql.replace(/\?/g, '\\?'));
}

interface Flavour {
  postgres: boolean;
  /** Run a step outside a transaction on one connection (MySQL: StepText.ddlAutocommits). */
  oneConnection: boolean;
}

function run(step: PlanStep, sql: readonly string[], transactional: boolean, flavour: Flavour): string[] {
  const raw = (s: string) => literal(step, s, flavour.postgres);
  if (transactional)
    return [
      '  await knex.transaction(async (trx) => {',
      ...sql.map((s) => `    await trx.raw(${raw(s)});`),
      '  });',
    ];
  if (!flavour.oneConnection) return sql.map((s) => `  await knex.raw(${raw(s)});`);
  const on = (s: string, indent: string) => `${indent}await knex.raw(${raw(s)}).connection(connection);`;
  const own = ownTransaction(sql);
  if (own)
    return [
      '  // One connection for the whole step: its settings hold, and its own transaction is on it.',
      '  const connection = await knex.client.acquireConnection();',
      '  try {',
      ...own.before.map((s) => on(s, '    ')),
      '    try {',
      ...[own.begin, ...own.inside, 'COMMIT'].map((s) => on(s, '      ')),
      '    } catch (error) {',
      '      // A failed statement leaves the transaction open on this connection: roll it back.',
      "      await knex.raw('ROLLBACK').connection(connection).catch(() => undefined);",
      '      throw error;',
      '    }',
      '  } finally {',
      // What the step turned off before its transaction (SQLite: foreign_keys) comes back, whatever happened.
      ...own.after.map((s) => on(s, '    ')),
      '    await knex.client.releaseConnection(connection);',
      '  }',
    ];
  return [
    '  // One connection for the whole step: its session settings and variables hold.',
    '  const connection = await knex.client.acquireConnection();',
    '  try {',
    ...sql.map((s) => on(s, '    ')),
    '  } finally {',
    '    await knex.client.releaseConnection(connection);',
    '  }',
  ];
}

function down(step: PlanStep, steps: StepText, flavour: Flavour): string[] {
  if (step.rollback.length === 0)
    return ['export async function down(_knex: Knex): Promise<void> {', `  // ${step.id} needs no undo`, '}'];
  return [
    'export async function down(knex: Knex): Promise<void> {',
    ...(step.reversible ? [] : [`  //${rollbackNote(step).slice(2)}`]),
    ...run(step, step.rollback, !steps.outsideTransaction(step.rollback), flavour),
    '}',
  ];
}

export const knexWriter: PlanWriter = {
  format: 'knex',
  description: 'Knex TypeScript migrations, each step committing on its own (config.transaction = false)',
  write(plan, options, steps) {
    const flavour: Flavour = {
      postgres: plan.dialect === 'postgres',
      oneConnection: steps.ddlAutocommits === true,
    };
    return plan.steps.map((step, i) => {
      const up = step.transactional || flavour.oneConnection ? steps.text(step) : step.sql;
      const content = [
        "import type { Knex } from 'knex';",
        '',
        `// ${step.id} (${step.phase}): ${oneLine(step.description)}`,
        '// transaction: false, so that the step commits on its own even when Knex batches migrations.',
        'export const config = { transaction: false };',
        '',
        'export async function up(knex: Knex): Promise<void> {',
        ...run(step, up, step.transactional, flavour),
        '}',
        '',
        ...down(step, steps, flavour),
        '',
      ].join('\n');
      return { path: `${stepVersion(options.version, i)}_${stepName(options, step)}.ts`, content };
    });
  },
};
