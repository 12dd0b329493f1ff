import type { AnalysisResult, Finding, Severity } from '../core/analysis.js';
import { describeBlocking } from '../core/locks.js';
import type { Painter } from './ansi.js';
import { plainPainter } from './ansi.js';

/** Terminal report: each statement with its locks and findings, then the assessment. */
export function renderAnalysisText(result: AnalysisResult, paint: Painter = plainPainter): string {
  const out: string[] = [];
  for (const s of result.statements) {
    const head = `${paint.bold(`${s.file}:${s.line}:${s.column}`)} ${paint.dim(firstLine(s.sql))}`;
    out.push(head);
    const locks = s.locks.map((l) => `${l.mode} on ${l.table}`).join(', ');
    const flags = [
      s.rewritesTable ? 'rewrites table' : '',
      s.scansTable ? 'scans table' : '',
      s.transactional ? '' : 'outside transaction',
    ]
      .filter(Boolean)
      .join(', ');
    if (locks || flags) {
      const blocking = s.locks[0] ? ` (${describeBlocking(s.locks[0].mode)})` : '';
      out.push(
        paint.dim(
          `  locks: ${locks || 'none'}${locks ? blocking : ''}${flags ? ` · ${flags}` : ''} · ~${formatMs(s.estimatedLockMs)} blocking`,
        ),
      );
    }
    for (const f of s.findings) out.push(...renderFinding(f, paint));
  }
  if (result.statements.length > 0) out.push('');
  const a = result.assessment;
  const verdict = a.safe_to_deploy ? paint.green('✓ safe to deploy') : paint.red('✗ not safe to deploy');
  out.push(paint.bold('Assessment'));
  out.push(`  ${verdict}`);
  out.push(`  breaking changes: ${a.breaking_changes.length}`);
  for (const b of a.breaking_changes) out.push(`    - ${b}`);
  out.push(`  performance impact: ${a.performance_impact}`);
  out.push(`  lock duration estimate: ${a.lock_duration_estimate}`);
  out.push(`  requires data migration: ${a.requires_data_migration ? 'yes' : 'no'}`);
  out.push(`  rollback complexity: ${a.rollback_complexity}/5`);
  out.push(`  recommended approach:`);
  for (const line of a.recommended_approach.split('\n')) out.push(`    ${line}`);
  if (result.assumptions.length > 0) {
    out.push(paint.dim('  assumed:'));
    for (const note of result.assumptions) out.push(paint.dim(`    - ${note}`));
  }
  return out.join('\n') + '\n';
}

const MARK: Record<Severity, string> = { error: '✗', warning: '!', info: 'i' };

function renderFinding(f: Finding, paint: Painter): string[] {
  const colour = f.severity === 'error' ? paint.red : f.severity === 'warning' ? paint.yellow : paint.cyan;
  const lines = [`  ${colour(`${MARK[f.severity]} ${f.severity}`)} ${f.message} ${paint.dim(`[${f.rule}]`)}`];
  if (f.safeAlternative) {
    lines.push(paint.dim('    safe alternative:'));
    for (const l of f.safeAlternative.split('\n')) lines.push(`      ${l}`);
  }
  return lines;
}

function firstLine(sql: string): string {
  const line = sql.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}...` : line + (sql.includes('\n') ? ' …' : '');
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
