/**
 * An extracted query as the MySQL checker prepares it: `$n` back to `?` only where the server
 * reads code, the client-side expansions of mysql2 and PyMySQL written as the driver expands
 * them or declared not checkable, and statements PREPARE does not compile left out.
 */
import { describe, expect, it } from 'vitest';
import { preparableStatements } from '../../../src/dialects/mysql/impact/statements.js';

const one = (sql: string) => {
  const result = preparableStatements(sql);
  if ('notCheckable' in result) throw new Error(`not checkable: ${result.notCheckable}`);
  expect(result.statements).toHaveLength(1);
  return result.statements[0];
};
const reason = (sql: string) => {
  const result = preparableStatements(sql);
  return 'notCheckable' in result ? result.notCheckable : null;
};

describe('placeholders', () => {
  it('turns each $n of the code into ?, a repeated one into as many', () => {
    expect(one('SELECT id FROM items WHERE id = $1 AND price > $2')).toBe(
      'SELECT id FROM items WHERE id = ? AND price > ?',
    );
    expect(one('SELECT id FROM items WHERE id = $1 OR parent = $1')).toBe(
      'SELECT id FROM items WHERE id = ? OR parent = ?',
    );
    expect(one('SELECT id FROM items LIMIT $1 OFFSET $2')).toBe('SELECT id FROM items LIMIT ? OFFSET ?');
  });

  it('leaves $1 in strings, backtick names, comments and longer names as it is', () => {
    expect(one("SELECT id FROM orders WHERE note <> '$1' AND item_id = $1")).toBe(
      "SELECT id FROM orders WHERE note <> '$1' AND item_id = ?",
    );
    // Backslash escapes and doubled quotes are MySQL's: the string does not end early.
    expect(one("SELECT 'it\\'s $1', 'a''$2', \"$3\" FROM t WHERE x = $1")).toBe(
      "SELECT 'it\\'s $1', 'a''$2', \"$3\" FROM t WHERE x = ?",
    );
    expect(one('SELECT `$1`, a$1, @$1 FROM t /* $2 */ WHERE x = $1 # $3')).toBe(
      'SELECT `$1`, a$1, @$1 FROM t /* $2 */ WHERE x = ?',
    );
    expect(one('SELECT x FROM t -- $2\nWHERE y = $1')).toBe('SELECT x FROM t -- $2\nWHERE y = ?');
  });

  it('keeps a ? already written', () => {
    expect(one('SELECT id FROM items WHERE id = ?')).toBe('SELECT id FROM items WHERE id = ?');
  });
});

describe('client-side expansions (mysql2 query, PyMySQL)', () => {
  it('writes IN ? as a list of one, VALUES ? as one row as wide as the column list', () => {
    expect(one('SELECT id FROM items WHERE id IN $1')).toBe('SELECT id FROM items WHERE id IN (?)');
    expect(one('SELECT id FROM items WHERE id NOT IN ?')).toBe('SELECT id FROM items WHERE id NOT IN (?)');
    expect(one('SELECT id FROM items WHERE id IN ($1, $2)')).toBe('SELECT id FROM items WHERE id IN (?, ?)');
    expect(one('INSERT INTO orders (item_id, qty, `note`) VALUES $1')).toBe(
      'INSERT INTO orders (item_id, qty, `note`) VALUES (?, ?, ?)',
    );
  });

  it('declares what only the values decide not checkable', () => {
    expect(reason('INSERT INTO orders SET $1')).toMatch(/^`SET \?`: the driver expands an object/);
    expect(reason('UPDATE items SET $1 WHERE id = $2')).toMatch(/^`SET \?`/);
    expect(reason('INSERT INTO items (id) VALUES ($1) ON DUPLICATE KEY UPDATE $2')).toMatch(/^`UPDATE \?`/);
    expect(reason('SELECT ?? FROM items')).toMatch(/^`\?\?`: the driver fills in an identifier/);
    expect(reason('INSERT INTO orders VALUES $1')).toMatch(/^`VALUES \?` without a column list/);
  });
});

describe('statements', () => {
  it('prepares each query statement of a string and leaves out what PREPARE does not compile', () => {
    expect(preparableStatements('BEGIN; UPDATE items SET price = $1 WHERE id = $2; COMMIT')).toEqual({
      statements: ['UPDATE items SET price = ? WHERE id = ?'],
    });
    expect(preparableStatements('REPLACE INTO items (id) VALUES ($1); (SELECT 1) UNION (SELECT 2)')).toEqual({
      statements: ['REPLACE INTO items (id) VALUES (?)', '(SELECT 1) UNION (SELECT 2)'],
    });
    expect(
      preparableStatements(
        'WITH x AS (SELECT id FROM items) DELETE FROM items WHERE id IN (SELECT id FROM x)',
      ),
    ).toEqual({
      statements: ['WITH x AS (SELECT id FROM items) DELETE FROM items WHERE id IN (SELECT id FROM x)'],
    });
  });

  it('declares a CALL and a string of no query not checkable, with why', () => {
    expect(reason('CALL refresh_totals($1)')).toBe('CALL: the server resolves a procedure only when it runs');
    expect(reason('SET NAMES utf8mb4; LOCK TABLES items WRITE')).toBe(
      'SET: not a query PREPARE compiles; LOCK: not a query PREPARE compiles',
    );
  });

  it('hands an unterminated string to the server as it is', () => {
    expect(preparableStatements("SELECT 'oops FROM items WHERE id = $1")).toEqual({
      statements: ["SELECT 'oops FROM items WHERE id = $1"],
    });
  });
});
