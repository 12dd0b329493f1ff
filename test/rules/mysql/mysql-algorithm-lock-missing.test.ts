import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-algorithm-lock-missing', {
  valid: [
    'ALTER TABLE users ADD COLUMN phone varchar(20), ALGORITHM=INSTANT',
    'ALTER TABLE users ADD INDEX users_name_index (name), ALGORITHM=INPLACE, LOCK=NONE',
    'CREATE INDEX users_name_index ON users (name) ALGORITHM=INPLACE LOCK=NONE',
    // Metadata only whatever the server does: nothing to pin.
    'ALTER TABLE users ALTER COLUMN score SET DEFAULT 1',
    'ALTER TABLE users DROP INDEX users_status_index',
    "ALTER TABLE users COMMENT = 'people'",
    // No ALGORITHM on these statements.
    'RENAME TABLE users TO people',
    'OPTIMIZE TABLE users',
    // A rebuild on purpose: mysql-table-rebuild's.
    'ALTER TABLE users ENGINE=InnoDB',
    'ALTER TABLE users FORCE',
    // A new table: nobody waits for it.
    'CREATE TABLE t (id int PRIMARY KEY); ALTER TABLE t ADD COLUMN a int',
    // Copies and write-blocking builds are other rules' findings.
    'ALTER TABLE users MODIFY score bigint NOT NULL DEFAULT 0',
    'ALTER TABLE articles ADD COLUMN summary varchar(200)',
    'ALTER TABLE users ADD COLUMN c int, ALGORITHM=COPY',
  ],
  invalid: [
    {
      name: 'instant on MariaDB 10.11: ask for INSTANT',
      sql: 'ALTER TABLE users ADD COLUMN phone varchar(20) AFTER email',
      message:
        /No ALGORITHM\/LOCK on this ALTER of shop\.users .*Ask for ALGORITHM=INSTANT.*instant on MariaDB 10\.11/,
      safe: /^ALTER TABLE users ADD COLUMN phone varchar\(20\) AFTER email, ALGORITHM=INSTANT;$/,
      severity: 'warning',
    },
    {
      name: 'MySQL 8.0.20: ADD COLUMN … AFTER is not instant before 8.0.29 (documented)',
      version: '8.0.20',
      sql: 'ALTER TABLE users ADD COLUMN phone varchar(20) AFTER email',
      safe: /, ALGORITHM=INPLACE, LOCK=NONE;$/,
    },
    {
      name: 'MySQL 8.0.20 at the end: instant since 8.0.12',
      version: '8.0.20',
      sql: 'ALTER TABLE users ADD COLUMN phone varchar(20)',
      safe: /, ALGORITHM=INSTANT;$/,
    },
    {
      name: 'an index build: INPLACE, LOCK=NONE, options without commas in CREATE INDEX',
      sql: 'CREATE INDEX users_name_index ON users (name)',
      message: /this CREATE INDEX of shop\.users/,
      safe: /^CREATE INDEX users_name_index ON users \(name\) ALGORITHM=INPLACE LOCK=NONE;$/,
    },
    {
      name: 'INPLACE without LOCK may still take LOCK=SHARED',
      sql: 'ALTER TABLE users ADD INDEX users_name_index (name), ALGORITHM=INPLACE',
      safe: /^ALTER TABLE users ADD INDEX users_name_index \(name\), ALGORITHM=INPLACE, LOCK=NONE;$/,
    },
    {
      name: 'LOCK=SHARED written: writes blocked though the change can run with them',
      sql: 'ALTER TABLE users ADD INDEX users_name_index (name), LOCK=SHARED',
      message: /LOCK=SHARED on shop\.users .* blocks writes/,
      safe: /\(name\), ALGORITHM=INPLACE, LOCK=NONE;$/,
    },
    {
      name: 'without a schema the engine is unknown: INPLACE, LOCK=NONE makes the server refuse a copy',
      schema: null,
      sql: 'ALTER TABLE legacy_log ADD INDEX legacy_log_message (message)',
      message: /No ALGORITHM\/LOCK on this ALTER of legacy_log:/,
      safe: /, ALGORITHM=INPLACE, LOCK=NONE;$/,
    },
    {
      name: 'a small table: one step lower',
      sql: 'ALTER TABLE settings ADD COLUMN note varchar(20)',
      severity: 'info',
    },
  ],
});
