/**
 * The only importer of node-sql-parser (docs/decisions/0019-mysql-parser.md). It gives no
 * statement offsets, so the file is split by our own lexer (split.ts) and each statement's
 * text is parsed alone; the lexer hands the parser the text with comments blanked to spaces
 * and executable-comment markers removed, same length, so the parser's error offsets are
 * offsets into the statement as written. What node-sql-parser refuses but the servers run is
 * recognised by supplement.ts; the AST is node-sql-parser's with our additions (ast.ts).
 */
import type { AST, Parser } from 'node-sql-parser';
import type { ParsedStatement } from '../../core/analysis.js';
import type { ParsedFile } from '../../core/dialect/language.js';
import { SourceError } from '../../core/errors.js';
import { SourceText } from '../../sql/source.js';
import type { MysqlAst } from './ast.js';
import { splitMysql, SplitError } from './split.js';
import { supplement } from './supplement.js';

// Loaded lazily: commands that never parse (inspect) do not pay for the 270 kB grammar.
let loaded: Parser | undefined;

/** Load the MySQL grammar once per process. */
export async function loadMysqlParser(): Promise<void> {
  if (loaded) return;
  // A webpack bundle in CommonJS: Node's ESM loader sees only its default export.
  const module = (await import('node-sql-parser/build/mysql.js')) as unknown as {
    default: { Parser: new () => Parser };
  };
  loaded = new module.default.Parser();
}

/**
 * Each parsed statement's text as the parser saw it (comments blanked, executable-comment markers
 * removed, same length as written), for the planner's rewrites (plan/statement.ts): node-sql-parser
 * gives no offsets inside a statement, so a clause is cut from this text.
 */
const parserTexts = new WeakMap<object, string>();

/** The text `ast` was parsed from (comments blanked); undefined for an AST parseMysql did not make. */
export function parserTextOf(ast: unknown): string | undefined {
  return typeof ast === 'object' && ast !== null ? parserTexts.get(ast) : undefined;
}

function parser(): Parser {
  if (!loaded) throw new Error('call loadMysqlParser() before parsing');
  return loaded;
}

/** The grammar node-sql-parser applies: its MySQL one is the widest on our corpus (MariaDB's is narrower). */
const OPTIONS = { database: 'MySQL' } as const;

function astify(text: string): AST {
  const result = parser().astify(text, OPTIONS);
  // One statement's text (no `;` outside quotes) gives one AST.
  return Array.isArray(result) ? (result[0] as AST) : result;
}

/** A peggy syntax error: where, 0-based in UTF-16 units of the text parsed. */
interface PeggyError {
  location?: { start?: { offset?: number } };
  message?: string;
}

/**
 * Split and parse a file's MySQL/MariaDB SQL. A statement the parser refuses is a SourceError
 * naming the file, line and column (`file:line:column: syntax error at or near "x"`).
 */
export function parseMysql(sql: string, file: string): ParsedFile {
  const source = new SourceText(sql);
  const fail = (offset: number, message: string): never => {
    const at = source.position(offset);
    throw new SourceError({ file, line: at.line, column: at.column }, message);
  };
  let split;
  try {
    split = splitMysql(sql);
  } catch (error) {
    if (error instanceof SplitError) fail(error.offset, error.message);
    throw error;
  }
  const statements: ParsedStatement[] = [];
  for (const s of split.statements) {
    let ast: MysqlAst;
    try {
      ast = astify(s.parserText);
    } catch (error) {
      const offset = (error as PeggyError).location?.start?.offset;
      if (offset === undefined) throw error;
      // What the parser has no rule for but the server runs (supplement.ts), else its error.
      ast =
        supplement(s.parserText, astify) ??
        fail(s.start + offset, `syntax error at or near ${near(s.parserText, offset)}`);
    }
    if (typeof ast === 'object' && ast !== null) parserTexts.set(ast, s.parserText);
    const at = source.position(s.start);
    statements.push({
      file,
      line: at.line,
      column: at.column,
      sql: sql.slice(s.start, s.end),
      leadingComments: s.leadingComments,
      ast,
    });
  }
  return {
    statements,
    comments: [...statements.flatMap((s) => s.leadingComments), ...split.trailingComments],
  };
}

/** The token at `offset` as PostgreSQL's messages quote it, or "end of input". */
function near(text: string, offset: number): string {
  const rest = text.slice(offset).trimStart();
  if (rest === '') return 'end of input';
  const token = /^(`(?:``|[^`])*`|'(?:''|\\.|[^'\\])*'|"(?:""|\\.|[^"\\])*"|[\w$@.]+|\S)/.exec(rest);
  return `"${token?.[0] ?? rest.slice(0, 1)}"`;
}
