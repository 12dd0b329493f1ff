/**
 * The dialect contract: what a database family must provide for schemapilot to analyse, plan,
 * validate and deploy migrations for it. PostgreSQL is one implementation
 * (src/dialects/postgres); src/dialects/index.ts registers the implementations by name.
 *
 * - `language`: parse, lower to Changes, facts per Change and version, quoting, versions,
 *   capabilities. Enough for `analyze` without a server.
 * - `safeSql`: building blocks shared by rules' safe alternatives and plan recipes.
 * - `driver`: sessions on a live server (introspect, step runner, deploy lock, probes, trace).
 * - `scratch`: isolated databases for `validate`.
 *
 * Only `language` is required: a dialect without a driver analyses files but cannot inspect,
 * validate or deploy (the CLI says so).
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
  language: DialectLanguage;
  safeSql?: SafeSql;
  driver?: DialectDriver;
  scratch?: ScratchProvider;
}

export type * from './deploy.js';
export type * from './driver.js';
export type * from './live.js';
export type * from './validation.js';
export type * from './language.js';
export type * from './safe-sql.js';
export type * from './scratch.js';
export * from './version.js';
