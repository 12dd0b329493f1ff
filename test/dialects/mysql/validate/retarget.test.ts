/**
 * The scratch guard's SQL rewriting (src/dialects/mysql/scratch/retarget.ts): SQL written for the
 * target database `shop` must run on the scratch database, and SQL naming another database of
 * the server must not run at all. Pure text, no server.
 */
import { describe, expect, it } from 'vitest';
import { ForeignDatabaseError, retargetSql } from '../../../../src/dialects/mysql/scratch/retarget.js';

const rules = {
  to: 'schemapilot_scratch_1_ab',
  from: ['shop'],
  forbidden: new Set(['billing', 'mysql', 'information_schema']),
};
const S = '`schemapilot_scratch_1_ab`';

describe('retargetSql', () => {
  it('rewrites database qualifiers naming the target, bare or quoted, any case', () => {
    expect(retargetSql('ALTER TABLE shop.users ADD COLUMN a int', rules)).toBe(
      `ALTER TABLE ${S}.users ADD COLUMN a int`,
    );
    expect(retargetSql('ALTER TABLE `shop` . `users` DROP a', rules)).toBe(
      `ALTER TABLE ${S} . \`users\` DROP a`,
    );
    expect(retargetSql('select `SHOP`.`u`.`id` AS `id` from `shop`.`u`', rules)).toBe(
      `select ${S}.\`u\`.\`id\` AS \`id\` from ${S}.\`u\``,
    );
    expect(retargetSql('RENAME TABLE shop.a TO shop.b', rules)).toBe(`RENAME TABLE ${S}.a TO ${S}.b`);
  });

  it('rewrites the name after USE, DATABASE and SCHEMA', () => {
    expect(retargetSql('USE shop', rules)).toBe(`USE ${S}`);
    expect(retargetSql('ALTER DATABASE shop CHARACTER SET utf8mb4', rules)).toBe(
      `ALTER DATABASE ${S} CHARACTER SET utf8mb4`,
    );
    expect(retargetSql('DROP SCHEMA IF EXISTS `shop`', rules)).toBe(`DROP SCHEMA IF EXISTS ${S}`);
  });

  it('leaves strings, comments, variables, numbers and two-part column names of other tables alone', () => {
    const sql =
      "UPDATE users u SET u.note = 'shop.users', u.n = 1.5 WHERE @@session.sql_mode <> '' -- shop.users\n/* shop.x */";
    expect(retargetSql(sql, rules)).toBe(sql);
  });

  it('rewrites inside executable comments, which the server runs', () => {
    expect(retargetSql('/*!50100 ALTER TABLE shop.t ENGINE=InnoDB */', rules)).toBe(
      `/*!50100 ALTER TABLE ${S}.t ENGINE=InnoDB */`,
    );
  });

  it('refuses a statement naming another database of the server', () => {
    expect(() => retargetSql('INSERT INTO billing.invoices VALUES (1)', rules)).toThrow(ForeignDatabaseError);
    expect(() => retargetSql('DROP TABLE `mysql`.`user`', rules)).toThrow(/names the database `mysql`/);
    expect(() => retargetSql('USE billing', rules)).toThrow(ForeignDatabaseError);
  });

  it('lets catalog reads through', () => {
    const sql = 'SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_NAME = ?';
    expect(retargetSql(sql, rules)).toBe(sql);
  });

  it('does not take a table qualifier in the middle of a three-part name for a database', () => {
    // `billing` here is a table of the target (db.table.column), not the database billing.
    expect(retargetSql('SELECT shop.billing.id FROM shop.billing', rules)).toBe(
      `SELECT ${S}.billing.id FROM ${S}.billing`,
    );
  });
});
