/**
 * A toy dialect that exists to prove the dialect contract (src/core/dialect): it understands
 * two statements, `DROP TABLE <name>` and `ALTER TABLE <name> DROP COLUMN <column>`, and
 * nothing else. It lives in test/ only: it is never shipped. Everything it needs from
 * schemapilot comes from src/core; the only line outside this folder that knows it is the
 * `registerDialect(toyDialect)` call in its test.
 */
import type { Dialect, Engine, ParsedFile, ServerVersion } from '../../../src/core/dialect/index.js';
import { NO_FACTS, type ChangeFacts, type ParsedStatement } from '../../../src/core/analysis.js';
import type { Change } from '../../../src/core/change.js';
import { SourceError } from '../../../src/core/errors.js';

const VERSION: ServerVersion = { product: 'toy', parts: [1], text: '1' };

const DROP_TABLE = /^DROP\s+TABLE\s+(\w+)$/i;
const DROP_COLUMN = /^ALTER\s+TABLE\s+(\w+)\s+DROP\s+COLUMN\s+(\w+)$/i;

type ToyAst = { drop: 'table'; table: string } | { drop: 'column'; table: string; column: string };

/** Statements end at `;`; `--` comments run to the end of the line. Positions are 1-based. */
function parse(sql: string, file: string): ParsedFile {
  const statements: ParsedStatement[] = [];
  const comments: string[] = [];
  let leading: string[] = [];
  let text = '';
  let at: { line: number; column: number } | null = null;
  let line = 1;
  let column = 1;
  const finish = () => {
    const statement = text.trim().replace(/\s+/g, ' ');
    if (statement && at) {
      const position = { file, ...at };
      const drop = DROP_TABLE.exec(statement);
      const col = DROP_COLUMN.exec(statement);
      const ast: ToyAst | null = drop?.[1]
        ? { drop: 'table', table: drop[1] }
        : col?.[1] && col[2]
          ? { drop: 'column', table: col[1], column: col[2] }
          : null;
      if (!ast) throw new SourceError(position, `toy does not understand "${statement}"`);
      statements.push({ ...position, sql: statement, leadingComments: leading, ast });
      leading = [];
    }
    text = '';
    at = null;
  };
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i] ?? '';
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const comment = sql.slice(i, end < 0 ? sql.length : end);
      comments.push(comment);
      leading.push(comment);
      column += comment.length;
      i += comment.length - 1;
      continue;
    }
    if (ch === ';') finish();
    else {
      if (!at && /\S/.test(ch)) at = { line, column };
      text += ch;
    }
    if (ch === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  finish();
  return { statements, comments };
}

function lower(ast: unknown, defaultSchema: string): Change[] {
  const node = ast as ToyAst;
  const table = `${defaultSchema}.${node.table}`;
  if (node.drop === 'table')
    return [{ kind: 'drop table', tables: [table], ifExists: false, cascade: false }];
  return [{ kind: 'drop column', table, column: node.column, ifExists: false, cascade: false }];
}

/** Toy tables are locked whole by every statement, and a dropped column is only hidden. */
function changeFacts(change: Change): ChangeFacts {
  const table =
    change.kind === 'drop table'
      ? (change.tables[0] ?? '')
      : change.kind === 'drop column'
        ? change.table
        : '';
  return {
    ...NO_FACTS,
    locks: [{ table, mode: 'ACCESS EXCLUSIVE' }],
    notes: ['toy: every statement locks its table'],
  };
}

function engine(): Engine {
  return {
    dialect: 'toy',
    parse,
    lower,
    facts: { changeFacts },
    quote: {
      ident: (name) => `[${name}]`,
      table: (qualified) => `[${qualified.slice(qualified.indexOf('.') + 1)}]`,
      literal: (value) => `'${value.replaceAll("'", "''")}'`,
    },
  };
}

export const toyDialect: Dialect = {
  name: 'toy',
  title: 'Toy',
  language: {
    load: () => Promise.resolve(),
    defaultSchema: 'main',
    fileClient: 'the toy client',
    engine,
    parseVersion: () => VERSION,
    snapshotVersion: () => VERSION,
    factKey: () => 1,
    assumedVersion: { version: VERSION, words: 'Toy 1' },
    capabilities: {
      transactionalDdl: false,
      concurrentIndexBuilds: false,
      notValidConstraints: false,
      lockTimeout: false,
      maxIdentifierBytes: 30,
    },
  },
};
