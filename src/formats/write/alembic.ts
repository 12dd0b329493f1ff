/**
 * Alembic: one revision file. Alembic runs a revision in one transaction on PostgreSQL, so
 * every step runs in its own `autocommit_block()` (which commits what came before), and a
 * transactional step opens and commits its own transaction inside it.
 * https://alembic.sqlalchemy.org/en/latest/api/runtime.html#alembic.runtime.migration.MigrationContext.autocommit_block
 */
import type { PlanStep } from '../../core/plan.js';
import type { PlanWriter } from './common.js';
import { slug, transactionalBody } from './common.js';

function python(text: string): string {
  // A raw triple-quoted string cannot hold """ or end with a backslash: fall back to repr-like escaping.
  if (!text.includes('"""') && !text.endsWith('\\')) return `r"""${text}"""`;
  return JSON.stringify(text);
}

function block(step: PlanStep, sql: readonly string[], transactional: boolean, indent: string): string[] {
  const body = transactional ? ['BEGIN', ...sql, 'COMMIT'] : [...sql];
  return [
    `${indent}# ${step.id} (${step.phase}): ${step.description}`,
    `${indent}with op.get_context().autocommit_block():`,
    ...body.map((s) => `${indent}    op.execute(${python(s)})`),
  ];
}

export const alembicWriter: PlanWriter = {
  format: 'alembic',
  description:
    'Alembic revision file: each step in autocommit_block(), transactional steps with their own BEGIN/COMMIT',
  write(plan, options) {
    const revision = options.version;
    const lines = [
      `"""${options.name}`,
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
      ...plan.steps.flatMap((step) =>
        block(step, step.transactional ? transactionalBody(step) : step.sql, step.transactional, '    '),
      ),
      '',
      '',
      'def downgrade() -> None:',
    ];
    const reversed = [...plan.steps].reverse().filter((s) => s.rollback.length > 0);
    if (reversed.length === 0) lines.push('    pass');
    for (const step of reversed) {
      const concurrent = step.rollback.some((s) => /\bCONCURRENTLY\b/i.test(s));
      lines.push(...block(step, step.rollback, !concurrent, '    '));
    }
    return [{ path: `${revision}_${slug(options.name)}.py`, content: lines.join('\n') + '\n' }];
  },
};
