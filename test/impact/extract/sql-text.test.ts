import { describe, expect, it } from 'vitest';
import {
  firstKeyword,
  normalisePlaceholders,
  PARAM_MARK,
  splitStatements,
  sqlKind,
} from '../../../src/impact/extract/sql-text.js';

describe('normalisePlaceholders', () => {
  const cases: [string, Parameters<typeof normalisePlaceholders>[1], string, number][] = [
    ['SELECT * FROM t WHERE a = $1 AND b = $2', {}, 'SELECT * FROM t WHERE a = $1 AND b = $2', 2],
    [
      'SELECT * FROM t WHERE a = ? AND b = ?',
      { question: true },
      'SELECT * FROM t WHERE a = $1 AND b = $2',
      2,
    ],
    [
      'SELECT * FROM t WHERE a = ?1 OR b = ?1',
      { question: true },
      'SELECT * FROM t WHERE a = $1 OR b = $1',
      1,
    ],
    [
      'SELECT * FROM t WHERE a = %s AND b = %s',
      { percent: true },
      'SELECT * FROM t WHERE a = $1 AND b = $2',
      2,
    ],
    [
      'SELECT * FROM t WHERE a = %(x)s AND b = %(y)s OR c = %(x)s',
      { percent: true },
      'SELECT * FROM t WHERE a = $1 AND b = $2 OR c = $1',
      2,
    ],
    // %% is a literal % once the query has %s parameters; a lone % is the modulo operator.
    [
      "SELECT a % 2 FROM t WHERE b LIKE 'x%%' AND c = %s",
      { percent: true },
      "SELECT a % 2 FROM t WHERE b LIKE 'x%%' AND c = $1",
      1,
    ],
    [
      'SELECT a FROM t WHERE b LIKE 10%% AND c = %s',
      { percent: true },
      'SELECT a FROM t WHERE b LIKE 10% AND c = $1',
      1,
    ],
    [
      'SELECT a FROM t WHERE b = :b AND c = :c AND d = :b',
      { colon: true },
      'SELECT a FROM t WHERE b = $1 AND c = $2 AND d = $1',
      2,
    ],
    // casts, array slices and named-argument notation are not placeholders
    [
      "SELECT a::text, b[1:2], f(x => 1), '12:30'::time FROM t WHERE c = :c",
      { colon: true },
      "SELECT a::text, b[1:2], f(x => 1), '12:30'::time FROM t WHERE c = $1",
      1,
    ],
    [
      'SELECT a FROM t WHERE b = @b AND c = @c OR d = @b',
      { at: true },
      'SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1',
      2,
    ],
    [
      'SELECT a FROM t WHERE tags @> ARRAY[@tag]::text[]',
      { at: true },
      'SELECT a FROM t WHERE tags @> ARRAY[$1]::text[]',
      1,
    ],
    [
      'UPDATE t SET a = sqlc.arg(a), b = sqlc.narg(b) WHERE id = @id',
      { at: true },
      'UPDATE t SET a = $1, b = $2 WHERE id = $3',
      3,
    ],
    [
      `SELECT a FROM t WHERE b = ${PARAM_MARK} AND c = ${PARAM_MARK}`,
      {},
      'SELECT a FROM t WHERE b = $1 AND c = $2',
      2,
    ],
    // new numbers start after the highest $n already there
    [
      'SELECT a FROM t WHERE b = $2 AND c = ?',
      { question: true },
      'SELECT a FROM t WHERE b = $2 AND c = $3',
      3,
    ],
    // jsonb's ? operators are not placeholders
    [
      "SELECT a FROM t WHERE doc ?| array['x'] AND doc ?? 'k' AND id = ?",
      { question: true },
      "SELECT a FROM t WHERE doc ?| array['x'] AND doc ?? 'k' AND id = $1",
      1,
    ],
  ];
  it.each(cases)('%s', (input, styles, sql, parameters) => {
    expect(normalisePlaceholders(input, styles)).toEqual({ sql, parameters });
  });

  it('leaves placeholders inside strings, quoted identifiers, dollar quotes and comments alone', () => {
    const text = `SELECT '?', E'it\\'s :x', "col?", $$ :y ? $$, $tag$ %s $tag$ -- ? :z %s
      /* ? :w /* nested ? */ @v */ FROM t WHERE a = ? AND b = :b AND c = %s AND d = @d`;
    const { sql, parameters } = normalisePlaceholders(text, {
      question: true,
      colon: true,
      percent: true,
      at: true,
    });
    expect(parameters).toBe(4);
    expect(sql).toBe(
      text
        .replace('a = ?', 'a = $1')
        .replace('b = :b', 'b = $2')
        .replace('c = %s', 'c = $3')
        .replace('d = @d', 'd = $4'),
    );
  });

  it('does not read a style the driver does not use', () => {
    expect(normalisePlaceholders("SELECT doc ? 'k' FROM t WHERE a = $1", {})).toEqual({
      sql: "SELECT doc ? 'k' FROM t WHERE a = $1",
      parameters: 1,
    });
  });
});

describe('statements and keywords', () => {
  it('splits a query file at its own semicolons only', () => {
    const text = "SELECT ';' FROM t; -- a; comment\n/* ; */ SELECT $$;$$;\n\n-- only a comment;\n";
    expect(splitStatements(text).map((s) => text.slice(s.start, s.end).trim())).toEqual([
      "SELECT ';' FROM t",
      '-- a; comment\n/* ; */ SELECT $$;$$',
    ]);
  });

  it('finds the first keyword past comments and parentheses', () => {
    expect(firstKeyword('-- x\n/* y */ (SELECT 1) UNION (SELECT 2)')).toBe('SELECT');
    expect(sqlKind('WITH a AS (SELECT 1) SELECT * FROM a')).toBe('query');
    expect(sqlKind('BEGIN')).toBe('other');
    expect(sqlKind('CREATE TABLE t (a int)')).toBe('other');
    expect(sqlKind('users')).toBe('text');
    expect(sqlKind('')).toBe('text');
  });
});
