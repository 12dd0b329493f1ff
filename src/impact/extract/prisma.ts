/**
 * Prisma schema models: a service using Prisma Client writes no SQL, yet every model field is a
 * column the client selects. Each `model` (and `view`) becomes `SELECT "col", … FROM "table"`
 * with `@map`/`@@map`/`@@schema` applied, so the server says when a column it reads is dropped
 * or renamed. Relation fields (their type is another model) and `@ignore`d fields have no
 * column; `@@ignore`d models are not read by the client. The schema language is small and
 * line-based (one field or attribute a line), so it is read here rather than with a grammar
 * tree-sitter-wasms does not ship.
 */
import type { FileContext } from './common.js';

interface Block {
  kind: string;
  name: string;
  /** Offset of the `model` keyword. */
  at: number;
  lines: string[];
}

export function extractPrisma(ctx: FileContext): void {
  const blocks = readBlocks(ctx.text);
  const composite = new Set(
    blocks.filter((b) => ['model', 'view', 'type'].includes(b.kind)).map((b) => b.name),
  );
  for (const block of blocks) {
    if (block.kind !== 'model' && block.kind !== 'view') continue;
    let table = block.name;
    let schema: string | null = null;
    let ignored = false;
    const columns: string[] = [];
    for (const line of block.lines) {
      if (line.startsWith('@@')) {
        table = /^@@map\(\s*(?:name:\s*)?"([^"]*)"/.exec(line)?.[1] ?? table;
        schema = /^@@schema\(\s*"([^"]*)"/.exec(line)?.[1] ?? schema;
        ignored ||= /^@@ignore\b/.test(line);
        continue;
      }
      const m = /^([A-Za-z_]\w*)\s+([A-Za-z_]\w*(?:\([^)]*\))?)(\[\])?(\?)?(.*)$/.exec(line);
      if (m === null) continue;
      const [, field = '', type = '', , , attributes = ''] = m;
      if (composite.has(type) || /@relation\b|@ignore\b/.test(attributes)) continue;
      columns.push(/@map\(\s*(?:name:\s*)?"([^"]*)"/.exec(attributes)?.[1] ?? field);
    }
    if (ignored || columns.length === 0) continue;
    const from = (schema === null ? '' : `${quote(schema)}.`) + quote(table);
    const sql = `SELECT ${columns.map(quote).join(', ')} FROM ${from}`;
    ctx.add({ pieces: [{ text: sql, at: block.at }] }, `prisma ${block.kind} ${block.name}`, {});
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Top-level blocks (`model X { … }`), each line without its comment. */
function readBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const line = stripComment(rawLine).trim();
    const lead = rawLine.length - rawLine.trimStart().length;
    if (current === null) {
      const open = /^(\w+)\s+(\w+)\s*\{/.exec(line);
      if (open) current = { kind: open[1] ?? '', name: open[2] ?? '', at: offset + lead, lines: [] };
    } else if (line.startsWith('}')) {
      blocks.push(current);
      current = null;
    } else if (line !== '') {
      current.lines.push(line);
    }
    offset += rawLine.length + 1;
  }
  return blocks;
}

/** A line without its `//` comment, leaving `//` inside a string (`@default("http://…")`) alone. */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}
