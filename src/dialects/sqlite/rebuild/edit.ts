/**
 * Edits of a CREATE TABLE text, each changing only the characters it must: a type replaced, a
 * NOT NULL or DEFAULT added or cut out, a column or a constraint dropped or appended. Each edit
 * parses the text it receives, so edits compose in order.
 */
import {
  constraintsOf,
  DefinitionError,
  parseDefinition,
  type ColumnDefinition,
  type DefinitionItem,
  type Span,
  type TableDefinition,
} from './definition.js';
import { sameName } from './tokens.js';

export type DefinitionEdit =
  | { kind: 'set type'; column: string; type: string }
  | { kind: 'set not null'; column: string }
  | { kind: 'drop not null'; column: string }
  /** `value` as it follows DEFAULT: a literal, a signed number, or an expression in parentheses. */
  | { kind: 'set default'; column: string; value: string }
  | { kind: 'drop default'; column: string }
  | { kind: 'drop column'; column: string }
  /** `definition`: the whole column definition, its name first. */
  | { kind: 'add column'; column: string; definition: string }
  /** `definition`: a table constraint as CREATE TABLE writes it. */
  | { kind: 'add constraint'; definition: string }
  | { kind: 'drop constraint'; name: string };

export interface EditResult {
  text: string;
  /** What went with a dropped column (constraints on it), in words. */
  dropped: string[];
}

function splice(text: string, span: Span, replacement: string): string {
  return text.slice(0, span.start) + replacement + text.slice(span.end);
}

/** The span widened to the left over plain whitespace, so a removal leaves no double space. */
function withSpaceBefore(text: string, span: Span): Span {
  let start = span.start;
  while (start > 0 && /[ \t]/.test(text[start - 1] ?? '')) start--;
  return { start, end: span.end };
}

export function findColumn(def: TableDefinition, name: string): ColumnDefinition {
  const found = def.columns.find((c) => sameName(c.name, name));
  if (!found) throw new DefinitionError(`${def.name} has no column ${name}`);
  return found;
}

/**
 * An item with the comma that separates it from its neighbour: up to the next item's first
 * token (so the lines around keep their layout), or for the last item from the end of the one
 * before it.
 */
function itemWithComma(def: TableDefinition, item: DefinitionItem): Span {
  const index = def.items.indexOf(item);
  const next = def.items[index + 1];
  if (next) return { start: contentStart(item), end: contentStart(next) };
  const previous = def.items[index - 1];
  return { start: previous ? contentEnd(previous) : item.span.start, end: contentEnd(item) };
}

function contentStart(item: DefinitionItem): number {
  return item.column?.span.start ?? item.constraints[0]?.span.start ?? item.span.start;
}

/** Leading whitespace of an item, to write a new item the way its neighbours are written. */
function indentOf(def: TableDefinition, item: DefinitionItem): string {
  const lead = def.text.slice(item.span.start, contentStart(item));
  return /^\s*$/.test(lead) && lead.length > 0 ? lead : ' ';
}

function contentEnd(item: DefinitionItem): number {
  return item.column?.span.end ?? item.constraints[item.constraints.length - 1]?.span.end ?? item.span.end;
}

/** `text` written as a new item after `after`. */
function appendAfter(def: TableDefinition, after: DefinitionItem, text: string): string {
  const at = contentEnd(after);
  return splice(def.text, { start: at, end: at }, `,${indentOf(def, after)}${text}`);
}

function removeTableConstraint(def: TableDefinition, span: Span): string {
  const item = def.items.find((i) => i.constraints.some((k) => k.span.start === span.start));
  if (item && item.constraints.length === 1) return splice(def.text, itemWithComma(def, item), '');
  return splice(def.text, withSpaceBefore(def.text, span), '');
}

function dropColumn(def: TableDefinition, name: string): EditResult {
  const col = findColumn(def, name);
  if (def.columns.length === 1) throw new DefinitionError(`${name} is the only column of ${def.name}`);
  const generated = def.columns.find(
    (c) =>
      c !== col &&
      c.constraints.some((k) => k.kind === 'generated' && k.names.some((n) => sameName(n, name))),
  );
  if (generated) throw new DefinitionError(`the generated column ${generated.name} is computed from ${name}`);
  const dropped: string[] = [];
  let text = def.text;
  // Constraints that name the column go with it, as PostgreSQL's DROP COLUMN takes them along;
  // the last first, so earlier offsets stay true.
  const doomed: { span: Span; table: boolean; words: string }[] = [];
  for (const k of def.constraints)
    if (k.columns.some((c) => sameName(c, name)) || k.names.some((n) => sameName(n, name)))
      doomed.push({ span: k.span, table: true, words: `${k.kind}${k.name ? ` ${k.name}` : ''}` });
  for (const c of def.columns)
    if (c !== col)
      for (const k of c.constraints)
        if (k.kind === 'check' && k.names.some((n) => sameName(n, name)))
          doomed.push({
            span: k.span,
            table: false,
            words: `check${k.name ? ` ${k.name}` : ''} of ${c.name}`,
          });
  doomed.sort((a, b) => b.span.start - a.span.start);
  for (const d of doomed) {
    const current = parseDefinition(text);
    text = d.table ? removeTableConstraint(current, d.span) : splice(text, withSpaceBefore(text, d.span), '');
    dropped.push(d.words);
  }
  const current = parseDefinition(text);
  const item = current.items.find((i) => i.column && sameName(i.column.name, name));
  if (!item) throw new DefinitionError(`${def.name} has no column ${name}`);
  return { text: splice(text, itemWithComma(current, item), ''), dropped: dropped.reverse() };
}

function dropConstraint(def: TableDefinition, name: string): string {
  const table = def.constraints.find((k) => k.name !== null && sameName(k.name, name));
  if (table) return removeTableConstraint(def, table.span);
  for (const c of def.columns) {
    const k = c.constraints.find((x) => x.name !== null && sameName(x.name, name));
    if (k) return splice(def.text, withSpaceBefore(def.text, k.span), '');
  }
  const named = [
    ...def.constraints.flatMap((k) => (k.name ? [k.name] : [])),
    ...def.columns.flatMap((c) => c.constraints.flatMap((k) => (k.name ? [k.name] : []))),
  ];
  throw new DefinitionError(
    `${def.name} has no constraint named ${name} (${named.length > 0 ? `named ones: ${named.join(', ')}` : 'none of its constraints has a name'})`,
  );
}

function columnEdit(
  def: TableDefinition,
  edit: Exclude<
    DefinitionEdit,
    { kind: 'add column' | 'add constraint' | 'drop constraint' | 'drop column' }
  >,
): string {
  const col = findColumn(def, edit.column);
  const insert = (words: string) =>
    splice(def.text, { start: col.afterType, end: col.afterType }, ` ${words}`);
  switch (edit.kind) {
    case 'set type':
      return col.typeSpan ? splice(def.text, col.typeSpan, edit.type) : insert(edit.type);
    case 'set not null': {
      if (constraintsOf(col, 'not null').length > 0) return def.text;
      // A bare NULL constraint says the opposite: it goes.
      const plain = constraintsOf(col, 'null')[0];
      if (plain) return splice(def.text, { start: plain.keyword, end: plain.span.end }, 'NOT NULL');
      return insert('NOT NULL');
    }
    case 'drop not null': {
      const spans = constraintsOf(col, 'not null').map((k) => k.span);
      return spans.reverse().reduce((text, span) => splice(text, withSpaceBefore(text, span), ''), def.text);
    }
    case 'set default': {
      const current = constraintsOf(col, 'default')[0];
      if (current)
        return splice(def.text, { start: current.keyword, end: current.span.end }, `DEFAULT ${edit.value}`);
      return insert(`DEFAULT ${edit.value}`);
    }
    case 'drop default': {
      const spans = constraintsOf(col, 'default').map((k) => k.span);
      return spans.reverse().reduce((text, span) => splice(text, withSpaceBefore(text, span), ''), def.text);
    }
  }
}

/** `text` with one edit made; throws DefinitionError when the edit does not fit the table. */
export function editDefinition(text: string, edit: DefinitionEdit): EditResult {
  const def = parseDefinition(text);
  switch (edit.kind) {
    case 'drop column':
      return dropColumn(def, edit.column);
    case 'add column': {
      if (def.columns.some((c) => sameName(c.name, edit.column)))
        throw new DefinitionError(`${def.name} already has a column ${edit.column}`);
      const last = [...def.items].reverse().find((i) => i.column);
      if (!last) throw new DefinitionError(`${def.name} has no column`);
      return { text: appendAfter(def, last, edit.definition), dropped: [] };
    }
    case 'add constraint': {
      const last = def.items[def.items.length - 1];
      if (!last) throw new DefinitionError(`${def.name} has no column`);
      return { text: appendAfter(def, last, edit.definition), dropped: [] };
    }
    case 'drop constraint':
      return { text: dropConstraint(def, edit.name), dropped: [] };
    default:
      return { text: columnEdit(def, edit), dropped: [] };
  }
}

/** Every edit in order. */
export function editAll(text: string, edits: readonly DefinitionEdit[]): EditResult {
  const dropped: string[] = [];
  let current = text;
  for (const edit of edits) {
    const result = editDefinition(current, edit);
    current = result.text;
    dropped.push(...result.dropped);
  }
  return { text: current, dropped };
}

/** The statement with its table called `name` (already quoted) instead. */
export function renamedDefinition(text: string, quotedName: string): string {
  return splice(text, parseDefinition(text).nameSpan, quotedName);
}
