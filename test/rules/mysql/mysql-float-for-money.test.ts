import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-float-for-money', {
  valid: [
    'ALTER TABLE orders ADD COLUMN unit_price decimal(19,4)',
    'ALTER TABLE orders ADD COLUMN weight_kg double',
    'CREATE TABLE readings (temperature float, latitude double)',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders ADD COLUMN unit_price double NOT NULL DEFAULT 0',
      message: /^shop\.orders\.unit_price is DOUBLE: binary floating point/,
      severity: 'warning',
      safe: /^ALTER TABLE orders ADD COLUMN unit_price DECIMAL\(19,4\) NOT NULL DEFAULT 0;$/,
    },
    {
      sql: 'CREATE TABLE invoices (id int PRIMARY KEY, total float(10,2), tax_amount double)',
      message: /shop\.invoices\.total, shop\.invoices\.tax_amount are FLOAT\(10,2\)/,
      safe: /^CREATE TABLE invoices \(id int PRIMARY KEY, total DECIMAL\(19,4\), tax_amount DECIMAL\(19,4\)\);$/,
    },
    {
      sql: 'ALTER TABLE users MODIFY balance float NOT NULL',
      message: /users\.balance is FLOAT/,
      safeStillFlagged: true,
    },
  ],
});
