import type { ChecklistItem, ValidationResult } from '../validate/types.js';

/** Markdown for a PR comment: the checklist (for `check`), then the trace in a collapsed section. */
export function renderValidationMarkdown(
  result: ValidationResult,
  checklist?: readonly ChecklistItem[],
  /** `check`: the assessment's recommended approach (with the AI explanation when --explain). */
  recommendedApproach?: string,
): string {
  const out: string[] = ['### schemapilot validation', ''];
  if (checklist) {
    for (const item of checklist) {
      out.push(`- ${item.ok ? '✅' : '❌'} ${escape(item.label)}`);
      for (const reason of item.reasons) out.push(`  - ${escape(reason)}`);
    }
    out.push('');
  }
  if (recommendedApproach) {
    out.push('<details><summary>Recommended approach</summary>', '', '```text');
    out.push(recommendedApproach.replace(/```/g, "'''"), '```', '', '</details>', '');
  }
  out.push(
    `${result.passed ? '**Passed**' : '**Failed**'} on a ${result.scratch.server ?? `PostgreSQL ${result.scratch.major}`} scratch database (schema from ${escape(result.clone)}, ${(result.durationMs / 1000).toFixed(1)} s).`,
  );
  if (result.scratch.warning) out.push('', `> ${escape(result.scratch.warning)}`);
  const problems = result.findings.filter((f) => f.severity !== 'info');
  if (problems.length > 0) {
    out.push('');
    for (const f of problems) out.push(`- **${f.severity}** (${f.check}): ${escape(f.message)}`);
  }
  out.push('', '<details><summary>Lock trace per step</summary>', '');
  out.push('| step | statement | measured locks | rewrites | ms |', '| --- | --- | --- | --- | --- |');
  for (const step of result.steps) {
    for (const s of step.statements) {
      if (!s.traced) continue;
      const first = (s.sql.split('\n')[0] ?? '').slice(0, 80);
      out.push(
        `| ${step.step} | \`${cell(first)}\` | ${cell(s.traced.locks.map((l) => `${l.mode} on ${l.relation}`).join(', ') || '-')} | ${cell([...s.traced.rewrittenTables, ...(s.traced.online?.algorithm ? [`ALGORITHM=${s.traced.online.algorithm}${s.traced.online.blocksWrites ? ', writers waited' : ''}`] : [])].join(', ') || '-')} | ${s.durationMs} |`,
      );
    }
    if (step.error) out.push(`| ${step.step} | failed | ${cell(step.error.message)} | | |`);
  }
  out.push('', '</details>', '');
  return out.join('\n');
}

function escape(text: string): string {
  // `@name` would notify a GitHub user from a PR comment; the entity shows the same.
  return text.replace(/[<>@]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#64;'));
}

function cell(text: string): string {
  return escape(text).replace(/\|/g, '\\|').replace(/`/g, "'");
}
