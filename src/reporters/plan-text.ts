import type { Plan } from '../core/plan.js';
import { factKeyWords } from '../core/dialect/version.js';
import type { Painter } from './ansi.js';
import { plainPainter } from './ansi.js';

/** A plan for a terminal: each step with its phase, lock, duration, SQL and rollback. */
export function renderPlanText(plan: Plan, paint: Painter = plainPainter): string {
  const out: string[] = [
    paint.bold(
      `Plan for ${factKeyWords(plan.dialect, plan.serverMajor)}: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}, rollback complexity ${plan.rollbackComplexity}/5`,
    ),
  ];
  if (plan.sourceSchemaHash) out.push(paint.dim(`source schema ${plan.sourceSchemaHash.slice(0, 12)}`));
  for (const step of plan.steps) {
    const lock = step.lock ? `${step.lock.mode} on ${step.lock.table}` : 'no lock on existing tables';
    out.push('', `${paint.bold(step.id)} ${paint.cyan(step.phase)} ${step.description}`);
    out.push(
      paint.dim(
        `  ${lock} · ~${step.estimatedMs} ms · ${step.transactional ? 'one transaction' : 'outside a transaction'} · ${plan.dialect === 'mysql' ? 'lock_wait_timeout' : 'lock_timeout'} ${step.lockTimeoutMs} ms`,
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
