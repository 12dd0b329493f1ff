import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mysql from 'mysql2/promise';
import { SourceError } from '../../../src/core/errors.js';
import { loadMysqlParser, parseMysql } from '../../../src/dialects/mysql/parser.js';
import { parseDirectives } from '../../../src/linter/ignores.js';
import { Parser } from 'node-sql-parser/build/mysql.js';
import { missingDatabase } from '../../support/pg.js';
import { corpusFiles, corpusStatements, lineColumn, syntaxErrors } from './corpus.js';

beforeAll(loadMysqlParser);

function errorOf(sql: string): SourceError {
  try {
    parseMysql(sql, 'm.sql');
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error(`parsed: ${sql}`);
}

/** node-sql-parser alone, as the decision record measured it. */
const bare = new Parser();
function bareParses(sql: string): boolean {
  try {
    bare.astify(sql, { database: 'MySQL' });
    return true;
  } catch {
    return false;
  }
}

const expectedCounts: Record<string, number> = {
  '01-create.sql': 9,
  '02-alter.sql': 30,
  '03-indexes.sql': 7,
  '04-partitions.sql': 7,
  '05-maintenance.sql': 13,
  '06-dml.sql': 8,
  '07-comments.sql': 6,
  '08-mysql8-only.sql': 5,
  '09-programs.sql': 9,
};

describe('parseMysql: the corpus', () => {
  it('splits every file into the statements written', () => {
    const counts = Object.fromEntries(
      corpusFiles().map((f) => [f.name, corpusStatements().filter((s) => s.file === f.name).length]),
    );
    expect(counts).toEqual(expectedCounts);
  });

  for (const { name, text } of corpusFiles()) {
    it(`${name}: parses, each statement where the fixture has it`, () => {
      const parsed = parseMysql(text, name);
      const expected = corpusStatements().filter((s) => s.file === name);
      expect(parsed.statements.map((s) => s.sql)).toEqual(expected.map((s) => s.text));
      let from = 0;
      for (const s of parsed.statements) {
        // The position is found again in the fixture's text, counted here.
        const offset = text.indexOf(s.sql, from);
        expect({ line: s.line, column: s.column }).toEqual(lineColumn(text, offset));
        from = offset + s.sql.length;
        expect(s.sql).not.toMatch(/;\s*$/);
        expect(s.ast).toBeTypeOf('object');
      }
    });
  }

  it('needs supplement.ts for exactly the statements marked, which node-sql-parser refuses', () => {
    const refused = corpusStatements().filter((s) => !bareParses(s.parserText));
    expect(refused.map((s) => s.text)).toEqual(
      corpusStatements()
        .filter((s) => s.supplement !== null)
        .map((s) => s.text),
    );
    expect(refused).toHaveLength(23);
  });

  it('reads what node-sql-parser has no rule for into the AST (ast.ts)', () => {
    const ast = (sql: string): unknown => parseMysql(sql, 'm.sql').statements[0]?.ast;
    expect(
      ast(
        'ALTER TABLE IF EXISTS `s`.`t` ADD COLUMN IF NOT EXISTS c INT FIRST, ALTER c SET DEFAULT (uuid()), CONVERT TO CHARSET utf8mb4, ALGORITHM=COPY',
      ),
    ).toEqual({
      type: 'alter',
      table: [{ db: 's', table: 't' }],
      if_exists: true,
      expr: [
        expect.objectContaining({
          action: 'add',
          resource: 'column',
          if_not_exists: true,
          suffix: expect.objectContaining({ keyword: 'FIRST' }),
        }),
        { type: 'alter', resource: 'column_default', action: 'set', column: 'c', default: '(uuid())' },
        { type: 'alter', resource: 'convert_charset', charset: 'utf8mb4', collate: null },
        expect.objectContaining({ resource: 'algorithm', algorithm: 'COPY' }),
      ],
    });
    expect(ast('OPTIMIZE NO_WRITE_TO_BINLOG TABLE a, `b``c`')).toEqual({
      type: 'optimize',
      table: [
        { db: null, table: 'a' },
        { db: null, table: 'b`c' },
      ],
    });
    expect(ast('CREATE TABLE p (id INT) PARTITION BY KEY (id) PARTITIONS 2')).toMatchObject({
      type: 'create',
      partition_by: 'PARTITION BY KEY (id) PARTITIONS 2',
    });
    expect(ast('ALTER TABLE t ALTER INDEX i NOT IGNORED')).toMatchObject({
      expr: [{ resource: 'index_visibility', index: 'i', visible: true }],
    });
  });

  it('gives the ALTER TABLE clauses lowering needs: column, position, ALGORITHM and LOCK', () => {
    const sql =
      'ALTER TABLE `users`\n  ADD COLUMN `nickname` varchar(50) DEFAULT NULL AFTER `name`,\n  ALGORITHM=INPLACE, LOCK=NONE;';
    const ast = parseMysql(sql, 'm.sql').statements[0]?.ast;
    expect(ast).toMatchObject({
      type: 'alter',
      table: [{ table: 'users' }],
      expr: [
        {
          action: 'add',
          resource: 'column',
          column: { column: 'nickname' },
          definition: { dataType: 'VARCHAR', length: 50 },
          suffix: { keyword: 'AFTER', expr: { column: 'name' } },
        },
        { resource: 'algorithm', algorithm: 'INPLACE' },
        { resource: 'lock', lock: 'NONE' },
      ],
    });
  });
});

describe('parseMysql: comments, quotes and positions', () => {
  it('keeps comments before a statement, where ignore directives are read', () => {
    const text = corpusFiles().find((f) => f.name === '07-comments.sql')?.text ?? '';
    const parsed = parseMysql(text, '07-comments.sql');
    const first = parsed.statements[0];
    expect(first?.leadingComments).toEqual([
      '# A hash comment; with a semicolon ; inside',
      '-- schemapilot-ignore mysql-some-rule: reviewed with the DBA',
    ]);
    expect(parseDirectives(first?.leadingComments ?? [])).toMatchObject([
      { scope: 'statement', rules: ['mysql-some-rule'], reason: 'reviewed with the DBA' },
    ]);
    expect(first).toMatchObject(lineColumn(text, text.indexOf('ALTER TABLE users ADD COLUMN c1')));
    expect(first?.sql).toBe('ALTER TABLE users ADD COLUMN c1 INT /* inline; comment */ NULL');
    expect(parsed.statements[1]?.leadingComments[0]).toMatch(/^\/\* block comment/);
    // The comment after `;` on the same line comes before the next statement.
    expect(parsed.statements[2]?.leadingComments).toContain('-- trailing comment ; here');
  });

  it('reads executable comments as SQL and keeps them in the statement text', () => {
    const sql =
      '/*!40101 SET @OLD_CSC=@@CHARACTER_SET_CLIENT */;\nCREATE TABLE /*!32312 IF NOT EXISTS*/ `v` (`id` int) /*!50100 ENGINE=InnoDB */;';
    const [set, create] = parseMysql(sql, 'm.sql').statements;
    expect(set).toMatchObject({ line: 1, column: 1, sql: '/*!40101 SET @OLD_CSC=@@CHARACTER_SET_CLIENT */' });
    expect(set?.ast).toMatchObject({ type: 'set' });
    expect(create).toMatchObject({ line: 2, column: 1 });
    expect(create?.ast).toMatchObject({ type: 'create', if_not_exists: expect.anything() });
    expect(create?.ast).toMatchObject({ table_options: [{ keyword: 'engine', value: 'INNODB' }] });
  });

  it('does not split at a ; inside quotes, backticks or comments', () => {
    const sql =
      'CREATE TABLE `a;b` (`c;d` INT DEFAULT 1, e VARCHAR(9) DEFAULT \'x;y\', f VARCHAR(9) DEFAULT "p;q");\n' +
      "SELECT 'it''s; \\' ;' /* ; */ # ;\n, `x``;y` FROM t; -- ;\nSELECT 1--1\n;";
    const statements = parseMysql(sql, 'm.sql').statements;
    expect(statements.map((s) => [s.line, s.column])).toEqual([
      [1, 1],
      [2, 1],
      [4, 1],
    ]);
    expect(statements[1]?.sql).toBe("SELECT 'it''s; \\' ;' /* ; */ # ;\n, `x``;y` FROM t");
    // `--` not followed by a space is arithmetic, not a comment (MySQL's rule).
    expect(statements[2]?.sql).toBe('SELECT 1--1');
  });

  it('counts columns in characters after non-ASCII text', () => {
    const sql = "INSERT INTO t (s) VALUES ('héllo; ü'); UPDATE t SET s = 'ß';";
    const statements = parseMysql(sql, 'm.sql').statements;
    expect(statements[1]).toMatchObject({ line: 1, column: sql.indexOf('UPDATE') + 1 });
  });

  it('gives no statements for an empty or comment-only file, and keeps its comments', () => {
    expect(parseMysql('', 'm.sql')).toEqual({ statements: [], comments: [] });
    expect(parseMysql('  \n;\n', 'm.sql').statements).toEqual([]);
    const only = parseMysql('# a\n-- schemapilot-ignore-file x: y\n/* b */\n', 'm.sql');
    expect(only).toEqual({ statements: [], comments: ['# a', '-- schemapilot-ignore-file x: y', '/* b */'] });
  });

  it('keeps a comment after a last statement without a semicolon', () => {
    const parsed = parseMysql('SELECT 1 -- why\n', 'm.sql');
    expect(parsed.statements[0]?.sql).toBe('SELECT 1');
    expect(parsed.comments).toEqual(['-- why']);
  });
});

describe('parseMysql: syntax errors', () => {
  for (const { sql, at } of syntaxErrors) {
    it(`${JSON.stringify(sql)}: names file:line:column`, () => {
      const text = `SELECT 1;\n${sql};\n`;
      const offset = at === null ? text.lastIndexOf(';') : text.indexOf(at, 10);
      const where = lineColumn(text, offset);
      const error = errorOf(text);
      expect(error.position).toEqual({ file: 'm.sql', ...where });
      expect(error.message).toBe(
        `m.sql:${where.line}:${where.column}: syntax error at or near ${at === null ? 'end of input' : `"${at.split(' ')[0]}"`}`,
      );
      expect(error.exitCode).toBe(2);
    });
  }

  it('names where an unterminated string, identifier or comment opens', () => {
    expect(errorOf("SELECT 1;\nSELECT 'abc;\n").message).toBe("m.sql:2:8: unterminated quoted string (')");
    expect(errorOf('SELECT `abc').message).toBe('m.sql:1:8: unterminated quoted identifier (`)');
    expect(errorOf('SELECT 1 /* x').message).toBe('m.sql:1:10: unterminated /* comment');
  });

  it('follows DELIMITER lines, and keeps the ";" of a BEGIN … END body inside its statement', () => {
    const sql = [
      'DELIMITER $$',
      'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END$$',
      'DELIMITER ;',
      'SELECT 1;',
      'CREATE PROCEDURE p() BEGIN WHILE 1 = 0 DO SELECT 1; END WHILE; SELECT CASE WHEN 1 THEN 2 END; END;',
      'SELECT 2',
    ].join('\n');
    const statements = parseMysql(sql, 'm.sql').statements;
    expect(statements.map((s) => [s.line, s.sql.slice(0, 16)])).toEqual([
      [2, 'CREATE TRIGGER t'],
      [4, 'SELECT 1'],
      [5, 'CREATE PROCEDURE'],
      [6, 'SELECT 2'],
    ]);
    expect(statements[0]?.sql.endsWith('END')).toBe(true);
  });
});

/**
 * The parser is neither stricter nor looser than the server on the corpus: MariaDB 10.11 runs
 * every statement the parser accepts, in file order on a scratch database, refuses the MySQL 8
 * ones, and refuses every statement the parser calls a syntax error.
 */
const mysqlUrl = inject('mysqlUrl');
if (mysqlUrl === null) {
  missingDatabase('parseMysql against MariaDB', 'MySQL/MariaDB', 'TEST_MYSQL_URL is unset');
} else {
  describe('parseMysql against MariaDB', () => {
    const database = `sp_parser_${process.pid}`;
    let conn: mysql.Connection;
    beforeAll(async () => {
      conn = await mysql.createConnection({ uri: mysqlUrl, connectTimeout: 5000 });
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.query(`CREATE DATABASE \`${database}\``);
      await conn.query(`USE \`${database}\``);
    });
    afterAll(async () => {
      await conn?.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn?.end();
    });

    it('is MariaDB', async () => {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
      expect(String(rows[0]?.['v'])).toMatch(/MariaDB/);
    });

    // One test per statement, in order: later statements use what earlier ones created.
    for (const s of corpusStatements()) {
      const title = `${s.file}: ${s.text.replace(/\s+/g, ' ').slice(0, 80)}`;
      if (s.mysql8Only !== null) {
        // Not run as a corpus statement (documented for MySQL 8 only); MariaDB refusing it
        // is what keeps the mark honest.
        it(`${title}: MySQL 8 only, documented (${s.mysql8Only}); MariaDB refuses it`, async () => {
          await expect(conn.query(s.text)).rejects.toThrow();
        });
        continue;
      }
      it(title, async () => {
        await conn.query(s.text);
      });
    }

    for (const { sql, server } of syntaxErrors) {
      it(`refuses ${JSON.stringify(sql)} (${server ?? 'ER_PARSE_ERROR'})`, async () => {
        const refusal = conn.query(sql);
        if (server?.startsWith('errno ')) {
          await expect(refusal).rejects.toMatchObject({ errno: Number(server.slice(6)) });
        } else await expect(refusal).rejects.toMatchObject({ code: server ?? 'ER_PARSE_ERROR' });
      });
    }
  });
}
