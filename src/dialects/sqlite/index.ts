/**
 * SQLite as an implementation of the dialect contract (src/core/dialect). The rest of
 * schemapilot reaches it only through this object, registered in src/dialects/index.ts.
 *
 * TODO, in this order (CONTRIBUTING.md, "A dialect"):
 * - language: parser.ts, lower.ts, facts.ts, quote.ts, version.ts; capabilities below;
 * - safeSql: the building blocks rules and plan recipes share (src/core/dialect/safe-sql.ts);
 * - driver: sessions, introspection, the step runner, deploy lock and probes
 *   (src/core/dialect/driver.ts; ../postgres/index.ts shows one);
 * - scratch: isolated databases for validate (src/core/dialect/scratch.ts).
 */
import type { Dialect, Engine } from '../../core/dialect/index.js';
import { sqliteFacts } from './facts.js';
import { lowerSqlite } from './lower.js';
import { parseSqlite } from './parser.js';
import { quoteIdent, quoteLiteral } from './quote.js';
import { ASSUMED_SQLITE_VERSION, parseSqliteVersion } from './version.js';
import { notImplemented } from './not-implemented.js';
import { sqlitePlannerDialect } from './plan-sql.js';
import { SQLITE_SAFE_SQL } from './safe-sql/index.js';

function engine(defaultSchema: string): Engine {
  return {
    dialect: 'sqlite',
    parse: parseSqlite,
    lower: lowerSqlite,
    facts: sqliteFacts,
    quote: {
      ident: quoteIdent,
      table: (qualified) => {
        const dot = qualified.indexOf('.');
        const schema = qualified.slice(0, dot);
        const name = qualified.slice(dot + 1);
        return schema === defaultSchema ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
      },
      literal: quoteLiteral,
    },
  };
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  title: 'SQLite',
  language: {
    load: () => Promise.resolve(),
    // TODO: the schema (database) unqualified names resolve to.
    defaultSchema: 'main',
    engine,
    parseVersion: parseSqliteVersion,
    snapshotVersion: (snapshot) => parseSqliteVersion(snapshot.serverVersion, 'the snapshot'),
    factKey: () => notImplemented('version keys for facts', 'index.ts'),
    assumedVersion: { version: ASSUMED_SQLITE_VERSION, words: `SQLite ${ASSUMED_SQLITE_VERSION.text}` },
    // TODO: each one checked against the vendor's documentation and a real server.
    capabilities: {
      transactionalDdl: false,
      concurrentIndexBuilds: false,
      notValidConstraints: false,
      lockTimeout: false,
      maxIdentifierBytes: 64,
    },
    planner: (defaultSchema) => sqlitePlannerDialect(engine(defaultSchema)),
  },
  safeSql: SQLITE_SAFE_SQL,
};
