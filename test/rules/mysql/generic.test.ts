/**
 * The rules that hold for every dialect, analysed as MySQL: MySQL words and MySQL SQL in their
 * messages and safe alternatives (the tester also rejects PostgreSQL's words), and no finding
 * where MySQL behaves otherwise.
 */
import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('drop-column', {
  valid: ['CREATE TABLE t (a int, b int); ALTER TABLE t DROP COLUMN b'],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP COLUMN nickname',
      message: /^Dropping shop\.users\.nickname breaks every query that still uses it/,
      safe: /\n-- 2\. optionally keep the data: CREATE TABLE `users_nickname_archive` AS SELECT `id`, `nickname` FROM `users`;\n-- 3\. then, in a later release:\nALTER TABLE `users` DROP COLUMN `nickname`, ALGORITHM=INSTANT;$/,
      safeStillFlagged: true,
    },
    {
      name: 'no primary key: mysqldump keeps it all; on a FULLTEXT table no online clause is offered',
      sql: 'ALTER TABLE tags DROP COLUMN tag',
      safe: /mysqldump --single-transaction shop tags > tags\.sql/,
      safeStillFlagged: true,
    },
    {
      name: 'a table with a FULLTEXT index cannot drop a column online: no clause',
      sql: 'ALTER TABLE articles DROP COLUMN title',
      safe: /\nALTER TABLE `articles` DROP COLUMN `title`;$/,
      safeStillFlagged: true,
    },
  ],
});

mysqlRuleTester('drop-table', {
  valid: ['CREATE TABLE t (a int); DROP TABLE t'],
  invalid: [
    {
      sql: 'DROP TABLE tags',
      message: /^Dropping shop\.tags breaks every query/,
      safe: /-- 2\. keep a copy if the data may be needed \(mysqldump --single-transaction shop tags > tags\.sql\);\n.*\nDROP TABLE IF EXISTS `tags`;$/,
      safeStillFlagged: true,
    },
  ],
});

mysqlRuleTester('drop-database', {
  valid: [],
  invalid: [
    {
      sql: 'DROP DATABASE shop',
      message: /^DROP DATABASE shop deletes the whole database/,
      safe: /mysqldump --single-transaction --routines shop > shop\.sql/,
      safeStillFlagged: true,
    },
    {
      name: 'DROP SCHEMA is DROP DATABASE',
      sql: 'DROP SCHEMA IF EXISTS shop',
      message: /^DROP DATABASE shop/,
      safeStillFlagged: true,
    },
  ],
});

mysqlRuleTester('rename-column', {
  valid: ['CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b'],
  invalid: [
    {
      sql: 'ALTER TABLE users RENAME COLUMN nickname TO handle',
      message: /^Renaming shop\.users\.nickname to handle breaks every query that still uses nickname/,
      safe: new RegExp(
        [
          '^ALTER TABLE `users` ADD COLUMN `handle` varchar\\(50\\) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL, ALGORITHM=INSTANT;',
          '.*',
          'CREATE TRIGGER `users_handle_sync_ins` BEFORE INSERT ON `users` FOR EACH ROW SET .*;',
          'CREATE TRIGGER `users_handle_sync_upd` BEFORE UPDATE ON `users` FOR EACH ROW SET .*;',
          '.*',
          'UPDATE `users` SET `handle` = `nickname` WHERE `handle` IS NULL AND `nickname` IS NOT NULL LIMIT 10000;',
        ].join('\\n'),
      ),
    },
    {
      name: 'CHANGE to another name; the NOT NULL comes after the backfill',
      sql: 'ALTER TABLE users CHANGE email email_address varchar(255) NOT NULL',
      safe: /\nALTER TABLE `users` MODIFY `email_address` varchar\(255\) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;\n-- give email_address its own copy of users_email_unique/,
    },
    {
      name: 'without the schema the column type is unknown',
      schema: null,
      sql: 'ALTER TABLE users RENAME COLUMN nickname TO handle',
      message: /needs the type of nickname: run with --db/,
      safe: null,
    },
  ],
});

mysqlRuleTester('rename-table', {
  valid: ['RENAME TABLE users TO people; CREATE VIEW users AS SELECT * FROM people'],
  invalid: [
    {
      sql: 'RENAME TABLE users TO people',
      message: /^Renaming shop\.users to shop\.people breaks every query that still uses shop\.users/,
      safe: /^-- one right after the other.*\nRENAME TABLE `users` TO `people`;\nCREATE VIEW `users` AS SELECT \* FROM `people`;\n/,
    },
    {
      name: 'ALTER TABLE … RENAME TO',
      sql: 'ALTER TABLE users RENAME TO people',
      safe: /RENAME TABLE `users` TO `people`;/,
    },
    {
      name: 'to another database: no view to offer',
      sql: 'RENAME TABLE users TO archive.users',
      message: /moves the table to another database: its triggers must move with it/,
      safe: null,
    },
  ],
});

mysqlRuleTester('add-required-column', {
  valid: [
    "ALTER TABLE users ADD COLUMN plan varchar(20) NOT NULL DEFAULT 'free'",
    'ALTER TABLE users ADD COLUMN plan varchar(20)',
    'ALTER TABLE users ADD COLUMN n int NOT NULL AUTO_INCREMENT UNIQUE',
    'CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN b int NOT NULL',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN plan varchar(20) NOT NULL',
      message:
        /^shop\.users\.plan is NOT NULL without a default: the ALTER gives every existing row the type's zero value .*fails under a strict sql_mode \(error 1364\)/,
      safe: /^ALTER TABLE `users` ADD COLUMN `plan` varchar\(20\) NULL, ALGORITHM=INSTANT;\n.*\n.*\n-- ALTER TABLE `users` MODIFY `plan` varchar\(20\) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;$/,
    },
  ],
});

mysqlRuleTester('dml-without-where', {
  valid: [
    "UPDATE users SET name = 'x' WHERE id = 1",
    'DELETE FROM users WHERE id = 1',
    'DELETE FROM tags LIMIT 1000',
  ],
  invalid: [
    {
      sql: 'DELETE FROM tags',
      message: /^DELETE without WHERE deletes every row of shop\.tags in one transaction/,
      safe: /^-- if every row is meant.*\n-- run it again until it deletes 0 rows:\nDELETE FROM tags LIMIT 10000;\n-- to empty the table at once instead: TRUNCATE TABLE `tags`/,
    },
    {
      sql: 'UPDATE users SET score = 0',
      safe: /\nUPDATE users SET score = 0 WHERE `id` BETWEEN 1 AND 10000;\n/,
    },
    { name: 'no integer key to range over', sql: "UPDATE settings SET value = 'x'", safe: null },
  ],
});

mysqlRuleTester('missing-object', {
  valid: [
    'ALTER TABLE users ADD COLUMN phone varchar(20)',
    // MySQL index names are per table: orders may have one called like a users index.
    'CREATE INDEX users_status_index ON orders (note)',
    'ALTER TABLE users DROP INDEX users_status_index',
  ],
  invalid: [
    { sql: 'ALTER TABLE users ADD COLUMN email varchar(20)', message: /error 1060 ER_DUP_FIELDNAME/ },
    { sql: 'ALTER TABLE nobody ADD COLUMN a int', message: /error 1146 ER_NO_SUCH_TABLE/ },
    { sql: 'ALTER TABLE users DROP COLUMN nope', message: /error 1054 ER_BAD_FIELD_ERROR/ },
    {
      sql: 'CREATE INDEX users_status_index ON users (name)',
      message: /shop\.users already has an index named users_status_index: .*error 1061 ER_DUP_KEYNAME/,
    },
    { sql: 'DROP INDEX nope ON users', message: /shop\.users has no index nope: .*error 1091/ },
    { sql: 'DROP TABLE nobody', message: /error 1051 ER_BAD_TABLE_ERROR/ },
  ],
});

mysqlRuleTester('truncate-table', {
  valid: ['CREATE TABLE t (a int); INSERT INTO t VALUES (1); TRUNCATE TABLE t'],
  invalid: [
    {
      sql: 'TRUNCATE TABLE tags',
      message: /^TRUNCATE discards every row of shop\.tags: it is DDL, so it commits at once/,
      safe: /^-- keep a copy first.*\nCREATE TABLE `tags_backup` LIKE `tags`;\nINSERT INTO `tags_backup` SELECT \* FROM `tags`;\nTRUNCATE TABLE `tags`;$/,
      safeStillFlagged: true,
    },
  ],
});

mysqlRuleTester('drop-not-null', {
  valid: [
    // Nullable already: MODIFY restates NULL.
    'ALTER TABLE users MODIFY name varchar(100) NULL',
    'ALTER TABLE users MODIFY email varchar(255) NOT NULL',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users MODIFY email varchar(255)',
      message: /^This MODIFY\/CHANGE leaves out NOT NULL, so shop\.users\.email can hold NULL from now on/,
      severity: 'warning',
      safe: null,
    },
    {
      name: 'without a schema: what happens if it was NOT NULL, as information',
      schema: null,
      sql: 'ALTER TABLE users MODIFY email varchar(255)',
      message: /^This MODIFY\/CHANGE leaves out NOT NULL: if users\.email is NOT NULL today/,
      severity: 'info',
    },
  ],
});

mysqlRuleTester('unique-on-existing-data', {
  valid: ['CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a ON t (a)'],
  invalid: [
    {
      name: 'a prefix key part is unique on its prefix; DESC is left out',
      sql: 'CREATE UNIQUE INDEX users_name_unique ON users (name(10) DESC, nickname)',
      safe: /\nSELECT LEFT\(`name`, 10\), `nickname`, count\(\*\) FROM `users` WHERE LEFT\(`name`, 10\) IS NOT NULL AND `nickname` IS NOT NULL GROUP BY LEFT\(`name`, 10\), `nickname` HAVING count\(\*\) > 1 LIMIT 20;$/,
    },
  ],
});
