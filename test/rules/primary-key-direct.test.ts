import { ruleTester } from '../support/rule-tester.js';
import { withoutPrimaryKey } from './schemas.js';

const schema = withoutPrimaryKey('users');

ruleTester('primary-key-direct', {
  valid: [
    { sql: 'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey', schema },
    { name: 'new table', sql: 'CREATE TABLE t (id int); ALTER TABLE t ADD PRIMARY KEY (id)' },
  ],
  invalid: [
    {
      name: 'NOT NULL column: index only',
      sql: 'ALTER TABLE users ADD PRIMARY KEY (id)',
      schema,
      message:
        /^Adding PRIMARY KEY users_pkey builds its index over every row of public\.users while ACCESS EXCLUSIVE blocks reads and writes\.$/,
      safe: /^-- outside a transaction block[^\n]*\nCREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users \(id\);\n[^\n]*\nALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;$/,
      severity: 'error',
    },
    {
      name: 'nullable column: NOT NULL through a CHECK first',
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_name_pkey PRIMARY KEY (email, name)',
      schema,
      message: /first makes name NOT NULL, which scans the table/,
      safe: /^ALTER TABLE users ADD CONSTRAINT users_name_not_null CHECK \(name IS NOT NULL\) NOT VALID;[\s\S]*ALTER TABLE users ALTER COLUMN name SET NOT NULL;[\s\S]*CREATE UNIQUE INDEX CONCURRENTLY users_email_name_pkey ON users \(email, name\);/,
    },
    {
      name: 'PostgreSQL 11 cannot skip the NOT NULL scan',
      major: 11,
      sql: 'ALTER TABLE users ADD PRIMARY KEY (name)',
      schema: withoutPrimaryKey('users', 11),
      safe: /PostgreSQL 11 cannot use the CHECK to skip the scan/,
    },
    {
      name: 'small table: warning',
      sql: 'ALTER TABLE settings ADD PRIMARY KEY (id)',
      schema: withoutPrimaryKey('settings'),
      severity: 'warning',
    },
  ],
});
