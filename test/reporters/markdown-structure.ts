/**
 * Reads the block structure of a Markdown document the way CommonMark does for the parts the
 * PR comment uses: fenced code blocks (closed by a fence of the same character at least as
 * long) and the raw `<details>`/`<summary>` tags outside them.
 */
export interface MarkdownStructure {
  /** Lines outside code blocks: the only place where HTML tags and Markdown take effect. */
  outside: string[];
  /** Contents of each fenced code block. */
  codeBlocks: string[];
  /** A code block still open at the end. */
  unclosedFence: boolean;
  /** `<details>` opened outside code blocks. */
  detailsOpened: number;
  /** `<details>` never closed, or closed without being opened. */
  detailsUnbalanced: boolean;
}

export function readStructure(markdown: string): MarkdownStructure {
  const outside: string[] = [];
  const codeBlocks: string[] = [];
  let fence: { char: string; length: number; lines: string[] } | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      const closes =
        marker?.[1]?.[0] === fence.char && marker[1].length >= fence.length && marker[2]?.trim() === '';
      if (closes) {
        codeBlocks.push(fence.lines.join('\n'));
        fence = null;
      } else fence.lines.push(line);
      continue;
    }
    const opener = marker?.[1];
    // A backtick fence's info string cannot contain a backtick (else it is inline code).
    if (opener && !(opener[0] === '`' && marker[2]?.includes('`'))) {
      fence = { char: opener[0] ?? '`', length: opener.length, lines: [] };
      continue;
    }
    outside.push(line);
  }
  let depth = 0;
  let opened = 0;
  let unbalanced = false;
  for (const tag of outside.join('\n').matchAll(/<(\/?)details\b[^>]*>/g)) {
    if (tag[1] === '/') depth--;
    else {
      depth++;
      opened++;
    }
    if (depth < 0 || depth > 1) unbalanced = true;
  }
  return {
    outside,
    codeBlocks,
    unclosedFence: fence !== null,
    detailsOpened: opened,
    detailsUnbalanced: unbalanced || depth !== 0,
  };
}
