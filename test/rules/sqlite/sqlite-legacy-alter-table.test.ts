/**
 * RENAME TABLE with legacy_alter_table=ON, or on a SQLite older than 3.25.0/3.26.0. What stays
 * behind (view and trigger bodies, other tables' foreign keys) is run on the library in
 * claims.test.ts; that RENAME COLUMN is not affected too.
 */
import { sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

sqliteRuleTester('sqlite-legacy-alter-table', {
  valid: [
    'ALTER TABLE users RENAME TO people',
    'PRAGMA legacy_alter_table = ON;\nALTER TABLE settings RENAME TO app_settings;\nPRAGMA legacy_alter_table = OFF;',
    {
      name: 'RENAME COLUMN rewrites views and triggers whatever the pragma says',
      sql: 'PRAGMA legacy_alter_table = ON;\nALTER TABLE users RENAME COLUMN nickname TO handle;\nPRAGMA legacy_alter_table = OFF;',
    },
    {
      name: "renamed away and created again under its name: the references are meant to stay (Django's older rebuild)",
      sql: 'PRAGMA foreign_keys = OFF;\nPRAGMA legacy_alter_table = ON;\nALTER TABLE users RENAME TO users_old;\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT, nickname TEXT, status TEXT);\nINSERT INTO users SELECT id, email, name, nickname, status FROM users_old;\nDROP TABLE users_old;\nPRAGMA legacy_alter_table = OFF;\nPRAGMA foreign_keys = ON;',
    },
    {
      name: 'from 3.26.0 foreign keys follow even with foreign_keys off',
      version: '3.26.0',
      sql: 'PRAGMA foreign_keys = OFF;\nALTER TABLE tags RENAME TO user_tags;\nPRAGMA foreign_keys = ON;',
    },
  ],
  invalid: [
    {
      name: 'a view reads the renamed table',
      sql: 'PRAGMA legacy_alter_table = ON;\nALTER TABLE users RENAME TO people;\nPRAGMA legacy_alter_table = OFF;',
      message:
        /^legacy_alter_table is on, so renaming users to people leaves view active_users naming users: it fails with "no such table: main\.users" from then on\./,
      safe: /^PRAGMA legacy_alter_table = OFF;\nALTER TABLE users RENAME TO people;$/,
      count: 1,
    },
    {
      name: 'left on',
      sql: 'PRAGMA legacy_alter_table = ON',
      message: /^legacy_alter_table is turned on and left on/,
      severity: 'warning',
    },
    {
      name: 'before 3.25.0 views keep the old name',
      version: '3.24.0',
      sql: 'ALTER TABLE orders RENAME TO purchases',
      message:
        /^SQLite 3\.24\.0 is older than 3\.25\.0, so renaming orders to purchases leaves view order_totals naming orders/,
      safe: null,
    },
    {
      name: 'before 3.26.0, with foreign keys off, other tables keep referencing the old name',
      version: '3.25.3',
      sql: 'PRAGMA foreign_keys = OFF;\nALTER TABLE users RENAME TO people;\nPRAGMA foreign_keys = ON;',
      message:
        /^foreign_keys is off and SQLite 3\.25\.3 is older than 3\.26\.0, so renaming users to people leaves the foreign key of orders, the foreign key of tags naming users/,
    },
    {
      name: 'without a schema: which views is unknown',
      schema: null,
      sql: 'PRAGMA legacy_alter_table = ON;\nALTER TABLE users RENAME TO people;\nPRAGMA legacy_alter_table = OFF;',
      message: /leaves every view and trigger that names users naming it: .*\(run with --db to know which\)/,
      severity: 'warning',
    },
  ],
});
