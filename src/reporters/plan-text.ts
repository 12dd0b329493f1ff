import type { Plan } from '../core/plan.js';
import { lockModelOf, lockOn } from '../core/locks.js';
import { factKeyWords } from '../core/dialect/version.js';
import type { Painter } from './ansi.js';
import { plainPainter } from './ansi.js';

/** MySQL and MariaDB commit around every DDL statement (src/planner/plan.ts NON_TRANSACTIONAL_DDL). */
const EACH_STEP_ITS_OWN_UNIT =
  'MySQL/MariaDB DDL is not transactional: each step commits on its own and is its own unit; if one fails part way, the statements before the failure stay done and its rollback undoes them.';

/** A plan for a terminal: each step with its phase, lock, duration, SQL and rollback. */
export function renderPlanText(plan: Plan, paint: Painter = plainPainter): string {
  const out: string[] = [
    paint.bold(
      `Plan for ${factKeyWords(plan.dialect, plan.serverMajor)}: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}, rollback complexity ${plan.rollbackComplexity}/5`,
    ),
  ];
  if (plan.sourceSchemaHash) out.push(paint.dim(`source schema ${plan.sourceSchemaHash.slice(0, 12)}`));
  const mysql = plan.dialect === 'mysql';
  if (mysql && plan.steps.some((s) => !s.transactional)) out.push(paint.yellow(EACH_STEP_ITS_OWN_UNIT));
  for (const step of plan.steps) {
    const lock = step.lock
      ? lockOn(lockModelOf(plan.dialect), step.lock.mode, step.lock.table)
      : 'no lock on existing tables';
    out.push('', `${paint.bold(step.id)} ${paint.cyan(step.phase)} ${step.description}`);
    out.push(
      paint.dim(
        `  ${lock} · ~${step.estimatedMs} ms · ${step.transactional ? 'one transaction' : 'outside a transaction'} · ${mysql ? `lock_wait_timeout ${Math.ceil(step.lockTimeoutMs / 1000)} s` : plan.dialect === 'sqlite' ? `busy_timeout ${step.lockTimeoutMs} ms` : `lock_timeout ${step.lockTimeoutMs} ms`}`,
      ),
    );
    if (step.tool)
      out.push(
        paint.cyan(
          `  run by ${step.tool.name} (not as SQL): --alter "${step.tool.alter}" ${step.tool.args.join(' ')}; the ALTER it performs:`,
        ),
      );
    for (const check of step.preChecks) out.push(paint.dim(`  before: ${check.description}`));
    for (const sql of step.sql) out.push(...sql.split('\n').map((l) => `    ${l}`));
    if (step.rollback.length > 0) {
      out.push(paint.dim(`  rollback${step.reversible ? '' : ' (structure only, data is lost)'}:`));
      for (const sql of step.rollback) out.push(...sql.split('\n').map((l) => paint.dim(`    ${l}`)));
    } else if (!step.reversible) {
      out.push(paint.red('  cannot be undone'));
    }
  }
  if (plan.warnings.length > 0) {
    out.push('', paint.yellow('Warnings:'));
    for (const w of plan.warnings) out.push(`  - ${w}`);
  }
  return out.join('\n') + '\n';
}
