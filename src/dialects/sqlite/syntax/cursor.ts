/**
 * The parser's view of one statement's tokens: look-ahead, the name rules of parse.y (`nm`,
 * `ids`, `id`, with keywords falling back to names where they mean nothing), and syntax errors
 * worded as SQLite words them (`near "x": syntax error`, `incomplete input`, `unrecognized
 * token: "x"`), at the token where SQLite's parser stops.
 */
import { fallsBackToId } from './keywords.js';
import type { Token } from './lexer.js';

export class SqliteSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** What an expression, select or statement mentions, collected while parsing it. */
export interface Mentions {
  /** Function names called, lower case. */
  functions: Set<string>;
  /** Column names referred to (the last part of `t.c`), as written, dequoted. */
  columns: Set<string>;
  /** Tables and views read in FROM clauses, `schema.name` or `name` as written, dequoted. */
  tables: Set<string>;
  /** Names of common table expressions (not tables). */
  ctes: Set<string>;
}

export const emptyMentions = (): Mentions => ({
  functions: new Set(),
  columns: new Set(),
  tables: new Set(),
  ctes: new Set(),
});

export class Cursor {
  private pos = 0;
  private readonly endToken: Token;
  /** The innermost collector: what is parsed now is recorded here and in every outer one. */
  private sinks: Mentions[] = [emptyMentions()];

  constructor(
    /** The whole file: spans are offsets into it. */
    readonly source: string,
    private readonly tokens: Token[],
    terminator: Token | null,
    endOffset: number,
  ) {
    this.endToken = terminator ?? { type: 'EOF', start: endOffset, end: endOffset, text: '' };
  }

  peek(ahead = 0): Token {
    return this.tokens[this.pos + ahead] ?? this.endToken;
  }
  get type(): string {
    return this.peek().type;
  }
  at(...types: string[]): boolean {
    return types.includes(this.type);
  }
  next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length) this.pos++;
    return token;
  }
  accept(type: string): Token | undefined {
    return this.type === type ? this.next() : undefined;
  }
  expect(type: string): Token {
    return this.accept(type) ?? this.fail();
  }
  /**
   * A phrase of keywords (`ORDER BY`, `INSTEAD OF`): false when its first token is not next;
   * once it is, the rest must follow (SQLite's parser has committed to the phrase by then).
   */
  acceptAll(first: string, ...rest: string[]): boolean {
    if (!this.accept(first)) return false;
    for (const type of rest) this.expect(type);
    return true;
  }
  /** The offset of the next token (where a phrase starts). */
  get offset(): number {
    return this.peek().start;
  }
  /** Offset just past the last token consumed. */
  get consumedEnd(): number {
    return this.tokens[this.pos - 1]?.end ?? this.peek().start;
  }
  /** The text from `start` to the end of the last token consumed. */
  textFrom(start: number): string {
    return this.source.slice(start, Math.max(start, this.consumedEnd));
  }
  get done(): boolean {
    return this.pos >= this.tokens.length;
  }

  /** A syntax error at the next token, as SQLite reports it. */
  fail(token: Token = this.peek()): never {
    if (token.type === 'EOF') throw new SqliteSyntaxError(token.start, 'incomplete input');
    if (token.type === 'ILLEGAL')
      throw new SqliteSyntaxError(token.start, `unrecognized token: "${token.text}"`);
    throw new SqliteSyntaxError(token.start, `near "${token.text}": syntax error`);
  }

  /** An error SQLite raises from a grammar action, with its own words. */
  failWith(offset: number, message: string): never {
    throw new SqliteSyntaxError(offset, message);
  }

  /** `id`: ID or INDEXED, or a keyword that falls back to ID. */
  isId(token: Token = this.peek()): boolean {
    return token.type === 'ID' || token.type === 'INDEXED' || fallsBackToId(token.type);
  }
  /** The terminal ID: a bare or quoted name, or a keyword that falls back to one (not INDEXED). */
  isBareId(token: Token = this.peek()): boolean {
    return token.type === 'ID' || fallsBackToId(token.type);
  }
  /** How many tokens have been consumed (to tell what a phrase consisted of). */
  get position(): number {
    return this.pos;
  }
  tokenAt(index: number): Token | undefined {
    return this.tokens[index];
  }
  /** `nm`: an id, a join keyword (LEFT, NATURAL, …) or a string. */
  isNm(token: Token = this.peek()): boolean {
    return this.isId(token) || token.type === 'JOIN_KW' || token.type === 'STRING';
  }
  /** `ids`: ID or STRING (keywords that fall back included); INDEXED and join keywords are not. */
  isIds(token: Token = this.peek()): boolean {
    return token.type === 'ID' || token.type === 'STRING' || fallsBackToId(token.type);
  }
  /** Consume an `nm` and return the name it stands for. */
  nm(): string {
    if (!this.isNm()) this.fail();
    return nameOf(this.next());
  }
  ids(): string {
    if (!this.isIds()) this.fail();
    return nameOf(this.next());
  }
  /** `nm [DOT nm]`: { schema, name } with schema null when not written. */
  qualified(): { schema: string | null; name: string } {
    const first = this.nm();
    if (!this.accept('DOT')) return { schema: null, name: first };
    return { schema: first, name: this.nm() };
  }

  get mentions(): Mentions {
    return this.sinks[this.sinks.length - 1] as Mentions;
  }
  /** Record a mention in the current collector and every one around it. */
  mention(kind: keyof Mentions, value: string): void {
    for (const sink of this.sinks) sink[kind].add(value);
  }
  /** Run `parse` with a fresh collector; what it mentions is also recorded outside. */
  collect<T>(parse: () => T): { value: T; mentions: Mentions } {
    const sink = emptyMentions();
    this.sinks.push(sink);
    try {
      return { value: parse(), mentions: sink };
    } finally {
      this.sinks.pop();
    }
  }
}

/** The name a name token stands for: quoted identifiers and strings dequoted. */
export function nameOf(token: Token): string {
  if (token.name !== undefined) return token.name;
  if (token.type === 'STRING') return token.text.slice(1, -1).split("''").join("'");
  return token.text;
}
