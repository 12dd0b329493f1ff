/**
 * The dialect contract: what a database family must provide for schemapilot to analyse, plan,
 * validate and deploy migrations for it (docs/decisions/0016-the-dialect-contract.md).
 * PostgreSQL is one implementation (src/dialects/postgres); src/dialects/index.ts registers the
 * implementations by name; test/dialects/toy is the smallest one that works.
 *
 * - `language` (language.ts, version.ts): parse, lower to Changes, facts per Change and
 *   version, quoting, versions, capabilities. Enough for `analyze` and `plan` without a server.
 * - `safeSql` (safe-sql.ts): building blocks shared by rules' safe alternatives and plan
 *   recipes (`RuleContext.sql`, `RecipeContext.sql`).
 * - `driver` (driver.ts): sessions on a live server, `inspect`, the step runner; its sections
 *   live.ts (input gathering), deploy.ts (journal, lock, probes, backfill, error classes) and
 *   validation.ts (load, run as written, trace, rows).
 * - `scratch` (scratch.ts): isolated databases for `validate`.
 *
 * Only `language` is required: a dialect without a driver analyses files but cannot inspect,
 * validate or deploy, and the commands say so.
 */
import type { DialectDriver } from './driver.js';
import type { DialectLanguage } from './language.js';
import type { SafeSql } from './safe-sql.js';
import type { ScratchProvider } from './scratch.js';

export interface Dialect {
  /** Registry key; a JSON contract (snapshot, plan) stores it as a DialectName. */
  name: string;
  /** Product name in users' words ("PostgreSQL"). */
  title: string;
  /** URL schemes that name this dialect's servers, without the colon ("mysql", "mariadb"). */
  urlSchemes?: readonly string[];
  /**
   * A database that is a file (SQLite): a path given where a URL goes (`--db app.db`), with no
   * scheme, names this dialect when it ends in one of these (".db", ".sqlite"; any case).
   */
  fileExtensions?: readonly string[];
  language: DialectLanguage;
  safeSql?: SafeSql;
  driver?: DialectDriver;
  scratch?: ScratchProvider;
}

export type * from './deploy.js';
export type * from './driver.js';
export type * from './impact.js';
export type * from './live.js';
export type * from './query-shape.js';
export type * from './validation.js';
export type * from './language.js';
export type * from './safe-sql.js';
export type * from './scratch.js';
export * from './version.js';
