import type { ImpactResult } from '../../core/impact.js';
import { impactHeadline } from './summary.js';

/** The PR comment's section: the verdict, a table of the queries that break, what was scanned. */
export function renderImpactMarkdown(result: ImpactResult): string {
  const ok = result.affected_services.length === 0;
  const out = ['### Cross-service impact', '', `${ok ? '✅' : '❌'} ${escape(impactHeadline(result))}`, ''];
  if (!ok) {
    out.push('| service | query | status | breaks at | error |', '| --- | --- | --- | --- | --- |');
    for (const s of result.affected_services)
      for (const q of s.queries)
        out.push(
          `| ${cell(s.service)} | \`${cell(q.file)}:${q.line}:${q.column}\` | ${q.status} | ${cell(q.breaksAt)} | ${cell(q.error ? `${q.error.code} ${q.error.message}` : (q.reason ?? ''))} |`,
        );
    out.push('');
  }
  out.push('<details><summary>Services scanned</summary>', '');
  out.push('| service | languages | files | queries found | checked | unresolved | already broken |');
  out.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const s of result.services)
    out.push(
      `| ${cell(s.service)} | ${cell(s.languages.join(', ') || '-')} | ${s.filesScanned} | ${s.queriesFound} | ${s.queriesChecked} | ${cell(s.unresolved.map((u) => `${u.file}:${u.line}`).join(', ') || '0')} | ${s.alreadyBroken.length} |`,
    );
  out.push('', '</details>', '');
  return out.join('\n');
}

function escape(text: string): string {
  // `@name` would notify a GitHub user from a PR comment.
  return text.replace(/[<>@]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#64;'));
}

function cell(text: string): string {
  return escape(text)
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'")
    .replace(/\s*\n\s*/g, ' ');
}
