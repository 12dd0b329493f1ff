/**
 * dmlParts splits the user's UPDATE / DELETE at its top-level WHERE and RETURNING, so that the
 * batched safe alternatives keep their statement intact. Words inside strings, quoted names,
 * comments, dollar quotes and parentheses must not count.
 */
import { describe, expect, it } from 'vitest';
import { dmlParts } from '../../src/rules/dml.js';

describe('dmlParts', () => {
  it('splits head, predicate and RETURNING', () => {
    expect(dmlParts("UPDATE users SET name = 'x' WHERE id > 3 RETURNING id")).toEqual({
      verb: 'UPDATE',
      head: "UPDATE users SET name = 'x'",
      where: 'id > 3',
      reference: 'users',
      relation: 'users',
      joins: false,
      returning: true,
    });
  });

  it('ignores WHERE inside strings, quoted names, comments, dollar quotes and subqueries', () => {
    const sql = `UPDATE users SET note = 'a WHERE b', "where" = $q$ WHERE $q$ /* WHERE */ -- WHERE
      , score = (SELECT max(score) FROM users WHERE id < 10) WHERE email LIKE '%x'`;
    const parts = dmlParts(sql);
    expect(parts?.where).toBe("email LIKE '%x'");
    expect(parts?.head.endsWith('FROM users WHERE id < 10)')).toBe(true);
  });

  it('finds the alias, and joins only before the WHERE', () => {
    const joined = dmlParts(
      'UPDATE public.users AS u SET score = o.total FROM orders o WHERE o.user_id = u.id',
    );
    expect(joined).toMatchObject({ reference: 'u', relation: 'public.users AS u', joins: true });
    const distinct = dmlParts('UPDATE users SET a = b WHERE a IS DISTINCT FROM b');
    expect(distinct).toMatchObject({ reference: 'users', joins: false, where: 'a IS DISTINCT FROM b' });
  });

  it('reads DELETE … USING, ONLY, quoted names and CTEs', () => {
    expect(
      dmlParts('DELETE FROM ONLY "Order Items" oi USING orders o WHERE oi.order_id = o.id'),
    ).toMatchObject({
      verb: 'DELETE',
      reference: 'oi',
      relation: '"Order Items" oi',
      joins: true,
    });
    expect(
      dmlParts('WITH old AS (SELECT id FROM audit) DELETE FROM audit WHERE id IN (SELECT id FROM old)'),
    ).toMatchObject({
      verb: 'DELETE',
      reference: 'audit',
      where: 'id IN (SELECT id FROM old)',
    });
    expect(dmlParts('DELETE FROM settings')).toMatchObject({
      head: 'DELETE FROM settings',
      where: null,
      returning: false,
    });
  });

  it('gives up on statements it does not understand', () => {
    expect(dmlParts('INSERT INTO t SELECT 1')).toBeNull();
  });
});
