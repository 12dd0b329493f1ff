/**
 * Putting untrusted text (user SQL, identifiers, messages that quote them) into GitHub-flavoured
 * Markdown without letting it change the layout: a `</details>`, a run of backticks or a `*` in
 * a migration must show as itself, never close our blocks or start new ones.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // A name like `@ops` in a PR comment would notify a GitHub user or team; as an entity it
  // shows the same and notifies no one.
  '@': '&#64;',
};

/** For raw HTML contexts (inside `<summary>`, where Markdown is not parsed). One line. */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/[&<>"'@]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * For running Markdown text. One line (a newline could start a heading or a list); HTML is
 * entity-escaped; punctuation that opens emphasis, code, links or tables is backslash-escaped.
 * Callers never put the result at the start of a line, so line-start markers (`#`, `-`, `1.`)
 * need no escaping.
 */
export function escapeInline(text: string): string {
  return oneLine(text)
    .replace(/[&<>@]/g, (c) => HTML_ESCAPES[c] ?? c)
    .replace(/[\\`*_[\]|~]/g, '\\$&');
}

/** Inline code that survives backticks in its content (CommonMark: a longer backtick run, padded). */
export function codeSpan(text: string): string {
  const content = oneLine(text);
  const ticks = '`'.repeat(longestRun(content, '`') + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/**
 * A fenced code block whose fence is longer than any backtick run in the text, so no line of the
 * text can close it. Returned as lines, fence included.
 */
export function codeBlock(text: string, language = ''): string[] {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return [`${fence}${language}`, ...text.split('\n'), fence];
}

/** At most `maxLines` lines and about `maxChars` characters, cut at a line end; says what it left out. */
export function clipLines(
  text: string,
  maxLines: number,
  maxChars: number,
): { text: string; droppedLines: number } {
  const lines = text.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (kept.length >= maxLines || (kept.length > 0 && size + line.length + 1 > maxChars)) break;
    // A single overlong first line is cut rather than dropped, so something is always shown.
    const piece = line.length > maxChars ? `${line.slice(0, maxChars)}…` : line;
    kept.push(piece);
    size += piece.length + 1;
  }
  return { text: kept.join('\n'), droppedLines: lines.length - kept.length };
}

/** First line of a statement, shortened for a one-line summary. */
export function firstLine(sql: string, maxChars = 80): string {
  const lines = sql.split('\n');
  const line = (lines[0] ?? '').trim();
  if (line.length > maxChars) return `${line.slice(0, maxChars - 1)}…`;
  return lines.length > 1 ? `${line} …` : line;
}

function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}
