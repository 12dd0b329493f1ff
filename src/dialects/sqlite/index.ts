/**
 * SQLite as an implementation of the dialect contract (src/core/dialect). The rest of
 * schemapilot reaches it only through this object, registered in src/dialects/index.ts.
 *
 * language: our own parser (syntax/, decision 0032), lowering, facts per SQLite version
 * (facts/, decision 0033), quoting, versions, capabilities. Nothing here loads better-sqlite3:
 * `analyze` without a database needs no native module.
 * planner and safeSql: the table rebuild and the recipes' building blocks (rebuild/, safe-sql/,
 * plan-sql.ts, decision 0035).
 */
import type { Dialect } from '../../core/dialect/index.js';
import { SQLITE_CAPABILITIES } from './capabilities.js';
import { sqliteEngine } from './engine.js';
import { sqlitePlannerDialect } from './plan-sql.js';
import { SQLITE_SAFE_SQL } from './safe-sql/index.js';
import { ASSUMED_SQLITE_VERSION, parseSqliteVersion, sqliteFactKey } from './version.js';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  title: 'SQLite',
  language: {
    // The parser is plain TypeScript: nothing to load.
    load: () => Promise.resolve(),
    // SQLite's name for the database file a connection opens; `temp` and attached databases
    // are the other schemas.
    defaultSchema: 'main',
    engine: sqliteEngine,
    parseVersion: parseSqliteVersion,
    snapshotVersion: (snapshot) => parseSqliteVersion(snapshot.serverVersion, 'the snapshot'),
    factKey: sqliteFactKey,
    assumedVersion: { version: ASSUMED_SQLITE_VERSION, words: `SQLite ${ASSUMED_SQLITE_VERSION.text}` },
    capabilities: SQLITE_CAPABILITIES,
    planner: (defaultSchema) => sqlitePlannerDialect(sqliteEngine(defaultSchema), defaultSchema),
  },
  safeSql: SQLITE_SAFE_SQL,
};
