import type { ChecklistItem, ValidationResult } from '../validate/types.js';
import { plainPainter, type Painter } from './ansi.js';

/** The trace of a validation run for a terminal: each step, each statement's locks, the verdict. */
export function renderValidationText(result: ValidationResult, paint: Painter = plainPainter): string {
  const out: string[] = [
    paint.bold(
      `Validation on a ${result.scratch.server ?? `PostgreSQL ${result.scratch.major}`} scratch database (${result.scratch.kind === 'embedded' ? 'embedded' : '--dev-url'}, schema from ${result.clone})`,
    ),
  ];
  if (result.scratch.warning) out.push(paint.yellow(`  ! ${result.scratch.warning}`));
  const rows = result.data.reduce((n, t) => n + t.rows, 0);
  if (result.data.length > 0) {
    const skipped = result.data.filter((t) => t.skipped);
    out.push(
      paint.dim(
        `  data: ${rows.toLocaleString('en')} rows in ${result.data.length - skipped.length} tables${skipped.length > 0 ? `; no rows in ${skipped.map((t) => `${t.table} (${t.skipped ?? ''})`).join(', ')}` : ''}`,
      ),
    );
  } else if (/with its rows/.test(result.clone))
    out.push(paint.dim("  data: the live database's own rows (a copy of the file)"));
  else out.push(paint.dim('  data: none (schema only; pass --synthesize N to test data-dependent failures)'));
  for (const step of result.steps) {
    const mark = step.error ? paint.red('✗') : paint.green('✓');
    out.push(
      '',
      `${mark} ${paint.bold(step.step)} ${paint.cyan(step.phase)} ${paint.dim(`${step.durationMs} ms${step.transactional ? '' : ', outside a transaction'}`)}`,
    );
    for (const s of step.statements) {
      if (!s.traced) continue;
      const first = s.sql.split('\n')[0] ?? '';
      out.push(`    ${first.length > 100 ? first.slice(0, 97) + '…' : first}`);
      const locks =
        s.traced.locks.map((l) => `${l.mode} on ${l.relation}`).join(', ') || 'no lock on existing relations';
      const rewrites =
        s.traced.rewrittenTables.length > 0 ? `; rewrote ${s.traced.rewrittenTables.join(', ')}` : '';
      const online = s.traced.online;
      const ran = online
        ? `${online.algorithm ? `; ALGORITHM=${online.algorithm}` : ''}${online.blocksWrites === true ? `, writers waited ${online.writerWaitMs} ms` : online.blocksWrites === false ? ', writers went on' : ''}`
        : '';
      out.push(paint.dim(`      measured: ${locks}${rewrites}${ran} (${s.durationMs} ms)`));
      for (const m of s.mismatches)
        out.push((m.severity === 'error' ? paint.red : paint.yellow)(`      ≠ ${m.message}`));
    }
    if (step.error)
      out.push(
        paint.red(
          `    failed: ${step.error.message}${step.error.sqlstate ? ` (SQLSTATE ${step.error.sqlstate})` : ''}`,
        ),
      );
  }
  out.push('');
  out.push(
    result.intent.checked
      ? result.intent.differences.length === 0
        ? `${paint.green('✓')} end schema equals the migration as written`
        : `${paint.red('✗')} end schema differs from the migration as written (${result.intent.differences.length})`
      : `${paint.yellow('-')} end schema not compared: ${result.intent.reason ?? ''}`,
  );
  out.push(
    result.rollback.checked
      ? result.rollback.differences.length === 0
        ? `${paint.green('✓')} rollback restores the original schema`
        : `${paint.red('✗')} rollback leaves ${result.rollback.differences.length} difference(s)`
      : `${paint.yellow('-')} rollback not proven: ${result.rollback.error ?? result.rollback.reason ?? ''}`,
  );
  const others = result.findings.filter((f) => f.check !== 'trace' && f.check !== 'step');
  for (const f of others)
    out.push(
      `  ${f.severity === 'error' ? paint.red('error') : f.severity === 'warning' ? paint.yellow('warning') : 'info'}: ${f.message}`,
    );
  out.push(
    '',
    result.passed
      ? paint.green(paint.bold(`Validation passed (${(result.durationMs / 1000).toFixed(1)} s)`))
      : paint.red(
          paint.bold(
            `Validation failed: ${result.findings.filter((f) => f.severity === 'error').length} error(s)`,
          ),
        ),
  );
  return out.join('\n') + '\n';
}

/** The brief's checklist: `✓ Schema analyzed: 0 breaking changes`, with reasons under ✗ lines. */
export function renderChecklist(items: readonly ChecklistItem[], paint: Painter = plainPainter): string {
  const out: string[] = [];
  for (const item of items) {
    out.push(`${item.ok ? paint.green('✓') : paint.red('✗')} ${item.label}`);
    for (const reason of item.reasons) out.push(`    - ${reason}`);
  }
  return out.join('\n') + '\n';
}
