/**
 * What every language's extractor shares: the value of a string expression as pieces (literal
 * text with its place in the file, or an interpolated parameter), the per-file collector that
 * turns a resolved value into an ExtractedQuery (placeholders normalised, position of the first
 * SQL character) and an unresolvable one into an UnresolvedQuery, and the lookup of a variable
 * assigned once from a literal.
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractedQuery, QueryLanguage, UnresolvedQuery } from '../../core/impact.js';
import { SourceText } from '../../sql/source.js';
import { normalisePlaceholders, PARAM_MARK, sqlKind, type PlaceholderStyles } from './sql-text.js';

/** Literal text, `at` being the file offset of its first character when it maps one to one. */
export type Piece = { text: string; at: number } | { param: true; at: number };

/** A string expression's value, or why it has none we can know. */
export type Value = { pieces: Piece[] } | { reason: string; node: Node };

export const unknown = (node: Node, reason: string): Value => ({ reason, node });

export function joined(values: readonly Value[]): Value {
  const pieces: Piece[] = [];
  for (const v of values) {
    if ('reason' in v) return v;
    pieces.push(...v.pieces);
  }
  return { pieces };
}

/** Text of a literal whose raw source starts at `at`; `raw` is its source, to place the first word. */
export function literal(text: string, at: number): Value {
  return { pieces: [{ text, at }] };
}

export interface Found {
  queries: ExtractedQuery[];
  unresolved: UnresolvedQuery[];
  notChecked: UnresolvedQuery[];
}

/** One file being read: its text, where each offset is, and what was found in it. */
export class FileContext {
  readonly found: Found = { queries: [], unresolved: [], notChecked: [] };
  private readonly positions: SourceText;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly language: QueryLanguage,
  ) {
    this.positions = new SourceText(text);
  }

  position(offset: number): { line: number; column: number } {
    return this.positions.position(offset);
  }

  /**
   * Records the SQL a call passes. `ambiguous`: the method name is common outside databases
   * (`execute`, `query`), or the text is one statement of a query file, so a text that is not
   * a query is skipped rather than listed as not checked.
   */
  add(value: Value, api: string, styles: PlaceholderStyles, ambiguous = false): void {
    if ('reason' in value) {
      this.unresolvedAt(value.node.startIndex, api, value.reason);
      return;
    }
    let text = '';
    let start: number | null = null;
    for (const piece of value.pieces) {
      if ('param' in piece) {
        start ??= piece.at;
        text += PARAM_MARK;
        continue;
      }
      const lead = piece.text.length - piece.text.trimStart().length;
      if (start === null && lead < piece.text.length) start = this.firstCharacter(piece, lead);
      text += piece.text;
    }
    const body = text.trim().replace(/;\s*$/, '').trimEnd();
    const kind = sqlKind(body);
    const where = this.position(start ?? value.pieces[0]?.at ?? 0);
    if (kind === 'text') {
      if (!ambiguous && body !== '')
        this.found.notChecked.push({ file: this.file, ...where, api, reason: 'not SQL' });
      return;
    }
    if (kind === 'other') {
      if (ambiguous) return;
      this.found.notChecked.push({
        file: this.file,
        ...where,
        api,
        reason: 'not a query (nothing to prepare)',
      });
      return;
    }
    const { sql, parameters } = normalisePlaceholders(body, styles);
    this.found.queries.push({ file: this.file, ...where, sql, parameters, language: this.language, api });
  }

  unresolvedAt(offset: number, api: string, reason: string): void {
    this.found.unresolved.push({ file: this.file, ...this.position(offset), api, reason });
  }

  notCheckedAt(offset: number, api: string, reason: string): void {
    this.found.notChecked.push({ file: this.file, ...this.position(offset), api, reason });
  }

  /**
   * The file offset of a piece's first non-blank character. Escapes (`\n`) make decoded and raw
   * text differ, so the raw source is walked: blanks and escaped blanks are skipped.
   */
  private firstCharacter(piece: { text: string; at: number }, lead: number): number {
    if (lead === 0) return piece.at;
    let i = piece.at;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '\\' && /[ntr]/.test(this.text[i + 1] ?? '')) i += 2;
      else break;
    }
    return i;
  }
}

/** The nearest ancestor of one of these types (the function a variable is local to). */
export function ancestorOf(node: Node, types: ReadonlySet<string>): Node | null {
  for (let p = node.parent; p !== null; p = p.parent) if (types.has(p.type)) return p;
  return null;
}

/**
 * Variables of one file: each assignment's value node, by name, with the function it is in.
 * A name resolves when it is assigned exactly once in the function of its use or outside any
 * function (module constants, class fields); several assignments make it unknowable.
 */
export class Assignments {
  private readonly byName = new Map<string, { value: Node | null; scope: Node | null }[]>();
  private readonly resolving = new Set<string>();

  constructor(private readonly functionTypes: ReadonlySet<string>) {}

  /** `value` null: assigned from something we do not follow (a parameter, a destructuring). */
  add(name: string, value: Node | null, at: Node): void {
    const list = this.byName.get(name) ?? [];
    list.push({ value, scope: ancestorOf(at, this.functionTypes) });
    this.byName.set(name, list);
  }

  resolve(name: string, use: Node, evaluate: (value: Node) => Value): Value {
    const scope = ancestorOf(use, this.functionTypes);
    const all = this.byName.get(name) ?? [];
    const local = all.filter((a) => a.scope !== null && a.scope.id === scope?.id);
    const candidates = local.length > 0 ? local : all.filter((a) => a.scope === null);
    if (candidates.length === 0) return unknown(use, `built from ${name}, not a literal in this file`);
    if (candidates.length > 1) return unknown(use, `${name} is assigned in several places`);
    const value = candidates[0]?.value ?? null;
    if (value === null || this.resolving.has(name)) return unknown(use, `${name} is not assigned a literal`);
    this.resolving.add(name);
    try {
      return evaluate(value);
    } finally {
      this.resolving.delete(name);
    }
  }
}

/** Every descendant (depth first, in source order), without the recursion of descendantsOfType's callers. */
export function* walk(node: Node): Generator<Node> {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === undefined) break;
    yield n;
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const child = n.namedChild(i);
      if (child !== null) stack.push(child);
    }
  }
}

/** The call's method (or function) name: the last identifier of `a.b.c`. */
export function lastName(text: string): string {
  const m = /([A-Za-z_$][\w$]*)\s*$/.exec(text);
  return m?.[1] ?? text;
}

/** Backslash escapes of C-like string literals (JS, Python, Go, Java, Kotlin, Ruby double quotes). */
export function unescapeC(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|.)/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if ((e.startsWith('u') || e.startsWith('x')) && e.length > 1)
      return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e === '\n' || e === '\r\n') return '';
    return ESCAPES[e] ?? e;
  });
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** The expression inside parentheses, past any comment written there. */
export function inner(node: Node): Node | null {
  return node.namedChildren.find((c) => c !== null && !c.type.includes('comment')) ?? null;
}

type Evaluate = (node: Node) => Value;

/** A parenthesised (or cast) expression is worth what its inner expression is worth. */
export function innerValue(node: Node, evaluate: Evaluate): Value {
  const expr = inner(node);
  return expr === null ? unknown(node, 'an empty expression') : evaluate(expr);
}

/** `left + right` joins two strings; any other operator does not make a string. */
export function concatenation(
  node: Node,
  evaluate: Evaluate,
  operator: string | undefined,
  left: Node | null,
  right: Node | null,
): Value {
  if (operator !== '+' || left === null || right === null)
    return unknown(node, 'an expression, not a string');
  return joined([evaluate(left), evaluate(right)]);
}

/** `concatenation` of a grammar whose binary nodes name their `left`, `operator` and `right` fields. */
export function fieldConcatenation(node: Node, evaluate: Evaluate): Value {
  const field = (name: string) => node.childForFieldName(name);
  return concatenation(node, evaluate, field('operator')?.text, field('left'), field('right'));
}
