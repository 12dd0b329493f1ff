/**
 * Every measured MySQL/MariaDB fact, in one file so that the cases run one after another:
 * each times a statement against probes, and two suites altering tables at once on a 2-core
 * machine would make each other's statements slow in ways that look like blocking. One
 * database for all (support.ts); each case module makes its table fresh. The cases, by topic:
 * cases/columns.ts, keys.ts, tables.ts (and tables with a FULLTEXT index), options.ts
 * (ALGORITHM=/LOCK=), myisam.ts, partitions.ts.
 */
import { afterAll, beforeAll } from 'vitest';
import { describeMysql } from '../support.js';
import { columnCases } from './cases/columns.js';
import { keyCases } from './cases/keys.js';
import { myisamCases } from './cases/myisam.js';
import { optionCases } from './cases/options.js';
import { partitionCases } from './cases/partitions.js';
import { tableCases } from './cases/tables.js';
import { openFactsDb, type FactsDb, type SharedFactsDb } from './support.js';

describeMysql('MySQL/MariaDB facts, measured on the server', (serverUrl) => {
  let db: FactsDb | undefined;
  const shared: SharedFactsDb = {
    get: () => {
      if (!db) throw new Error('the facts database is not open');
      return db;
    },
  };
  beforeAll(async () => {
    db = await openFactsDb(serverUrl);
  });
  afterAll(async () => db?.close());

  columnCases(shared);
  keyCases(shared);
  tableCases(shared);
  optionCases(shared);
  myisamCases(shared);
  partitionCases(shared);
});
