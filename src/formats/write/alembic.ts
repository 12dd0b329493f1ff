/**
 * Alembic: one revision file. Alembic runs a revision in one transaction on PostgreSQL, so
 * every step runs in its own `autocommit_block()` (which commits what came before), and a
 * transactional step opens and commits its own transaction inside it. The block keeps the
 * migration's connection, so session timeouts set before a non-transactional step hold.
 * https://alembic.sqlalchemy.org/en/latest/api/runtime.html#alembic.runtime.migration.MigrationContext.autocommit_block
 */
import type { PlanStep } from '../../core/plan.js';
import type { PlanWriter } from './common.js';
import { oneLine, rollbackNote, slug } from './common.js';

/**
 * op.execute() passes a string through SQLAlchemy's text(), which reads `:name` as a bind
 * parameter (a JSON default such as '{"n":1}' would then fail for want of a value); `\:` is
 * its escape for a literal colon. Same rule as SQLAlchemy's compiler.BIND_PARAMS, with
 * Python's Unicode \w spelled out.
 */
const BIND_PARAMETER = /(?<![:\p{L}\p{N}_$\\]):(?=[\p{L}\p{N}_$]+(?![:\p{L}\p{N}_$]))/gu;

function python(sql: string): string {
  const text = sql.replace(BIND_PARAMETER, '\\:');
  // A raw triple-quoted string cannot hold """, nor end with " or a backslash: then escape it
  // (JSON's escapes are valid in a Python string).
  if (!text.includes('"""') && !text.endsWith('"') && !text.endsWith('\\')) return `r"""${text}"""`;
  return JSON.stringify(text);
}

function block(step: PlanStep, sql: readonly string[], transactional: boolean, indent: string): string[] {
  const body = transactional ? ['BEGIN', ...sql, 'COMMIT'] : [...sql];
  return [
    `${indent}# ${step.id} (${step.phase}): ${oneLine(step.description)}`,
    `${indent}with op.get_context().autocommit_block():`,
    ...body.map((s) => `${indent}    op.execute(${python(s)})`),
  ];
}

export const alembicWriter: PlanWriter = {
  format: 'alembic',
  description:
    'Alembic revision file: each step in autocommit_block(), transactional steps with their own BEGIN/COMMIT',
  write(plan, options, steps) {
    const revision = options.version;
    const lines = [
      `"""${options.name.replace(/["\\]/g, '\\$&')}`,
      '',
      `Planned by schemapilot for PostgreSQL ${plan.serverMajor}.`,
      '"""',
      'from alembic import op',
      '',
      `revision = ${JSON.stringify(revision)}`,
      'down_revision = None  # set to the previous revision',
      'branch_labels = None',
      'depends_on = None',
      '',
      '',
      'def upgrade() -> None:',
      ...plan.steps.flatMap((step) => block(step, steps.text(step), step.transactional, '    ')),
      '',
      '',
      'def downgrade() -> None:',
    ];
    const reversed = [...plan.steps].reverse().filter((s) => s.rollback.length > 0);
    if (reversed.length === 0) lines.push('    pass');
    for (const step of reversed) {
      if (!step.reversible) lines.push(`    #${rollbackNote(step).slice(2)}`);
      lines.push(...block(step, step.rollback, !steps.outsideTransaction(step.rollback), '    '));
    }
    return [{ path: `${revision}_${slug(options.name)}.py`, content: lines.join('\n') + '\n' }];
  },
};
