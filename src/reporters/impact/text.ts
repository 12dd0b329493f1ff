import type { ImpactResult } from '../../core/impact.js';
import { plainPainter, type Painter } from '../ansi.js';
import { impactHeadline } from './summary.js';

/** For a terminal: the verdict, each affected service's queries, then what was scanned per service. */
export function renderImpactText(result: ImpactResult, paint: Painter = plainPainter): string {
  const ok = result.affected_services.length === 0;
  const out = [
    `${ok ? paint.green('✓') : paint.red('✗')} ${paint.bold(`Cross-service impact: ${impactHeadline(result)}`)}`,
  ];
  for (const s of result.affected_services) {
    out.push('', paint.bold(s.service));
    for (const q of s.queries) {
      const status = q.status === 'broken' ? paint.red(q.status) : paint.yellow(q.status);
      out.push(`  ${paint.cyan(`${q.file}:${q.line}:${q.column}`)} ${status} at ${paint.bold(q.breaksAt)}`);
      if (q.error) out.push(`    ${q.error.code} ${q.error.message}`);
      if (q.reason) out.push(`    ${q.reason}`);
      out.push(...q.sql.split('\n').map((l) => paint.dim(`    │ ${l}`)));
    }
  }
  out.push('', paint.bold('Services'));
  for (const s of result.services) {
    out.push(
      `  ${s.service}: ${s.filesScanned} file${s.filesScanned === 1 ? '' : 's'} scanned (${s.languages.join(', ') || 'no queries'}), ${s.queriesFound} quer${s.queriesFound === 1 ? 'y' : 'ies'} found, ${s.queriesChecked} checked, ${s.unresolved.length} unresolved, ${s.alreadyBroken.length} already broken`,
    );
    for (const u of s.unresolved) out.push(paint.dim(`    unresolved: ${u.file}:${u.line}`));
    for (const b of s.alreadyBroken)
      out.push(
        paint.dim(
          `    already broken before the migration: ${b.file}:${b.line} ${b.error.code} ${b.error.message}`,
        ),
      );
  }
  return `${out.join('\n')}\n`;
}
