import { ruleTester } from '../support/rule-tester.js';

ruleTester('rename-table', {
  valid: [
    {
      name: 'a view keeps the old name working',
      sql: 'ALTER TABLE settings RENAME TO app_settings; CREATE VIEW settings AS SELECT * FROM app_settings',
    },
    { name: 'new table', sql: 'CREATE TABLE t (id int); ALTER TABLE t RENAME TO t2' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE settings RENAME TO app_settings',
      message:
        /^Renaming public\.settings to app_settings breaks every query that still uses public\.settings/,
      safe: /\nALTER TABLE settings RENAME TO app_settings;\nCREATE VIEW settings AS SELECT \* FROM app_settings;\n[\s\S]*-- DROP VIEW settings;$/,
      severity: 'error',
    },
    {
      name: 'a materialized view does not take writes',
      sql: 'ALTER TABLE settings RENAME TO app_settings; CREATE MATERIALIZED VIEW settings AS SELECT * FROM app_settings',
    },
  ],
});
