/**
 * Ignore directives in SQL comments:
 *   -- schemapilot-ignore <rule-id>[, <rule-id>…]: <reason>       the next statement
 *   -- schemapilot-ignore-file <rule-id>[, <rule-id>…]: <reason>  the whole file
 * There is no "ignore everything": a mistyped directive must not silence a file (a lesson
 * from squawk #974). A directive naming an unknown rule, or giving no reason, is reported.
 */
export interface IgnoreDirective {
  scope: 'statement' | 'file';
  rules: string[];
  reason: string;
  /** The comment text, for messages. */
  text: string;
}

const DIRECTIVE = /schemapilot-ignore(-file)?\b\s*([^:\n*]*)(?::\s*([^\n]*?))?\s*(?:\*\/)?\s*$/;

export function parseDirectives(comments: readonly string[]): IgnoreDirective[] {
  const out: IgnoreDirective[] = [];
  for (const comment of comments) {
    for (const line of comment.split('\n')) {
      const m = DIRECTIVE.exec(line);
      if (!m) continue;
      out.push({
        scope: m[1] ? 'file' : 'statement',
        rules: (m[2] ?? '')
          .split(/[\s,]+/)
          .map((r) => r.trim())
          .filter((r) => r !== ''),
        reason: (m[3] ?? '').trim(),
        text: line.replace(/^\s*(--|\/\*)\s*/, '').trim(),
      });
    }
  }
  return out;
}
