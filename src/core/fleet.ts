/**
 * The fleet (issue 15): the services of schemapilot.config.json with where their migrations
 * live, how they run, which database they use and who owns them; and the report of
 * `schemapilot fleet check` (and of `fleet report`, which merges per-service reports into the
 * same shape). Plain JSON-serialisable data.
 */
import type { ServiceSource } from './impact.js';
import type { RunnerName } from './runners.js';

/** A service of the fleet: its code (for cross-service impact) and, when it has them, its migrations. */
export interface FleetService extends ServiceSource {
  /** Absolute path of its migrations directory (or file). */
  migrations?: string;
  /** How its migration tool runs a file; default: detected from the layout, else the config's `runner`. */
  runner?: RunnerName;
  /** The dialect's registry name (`postgres`, `mysql`, `sqlite`); default: the registry's default. */
  dialect?: string;
  /** The NAME of the environment variable holding its database URL; never the URL itself. */
  databaseUrlEnv?: string;
  /** Who reviews its migrations (`@org/team`, `@user`): shown in reports, never notified by them. */
  owners?: string[];
}

/**
 * `safe`: every checklist line passed. `unsafe`: the check ran and something failed.
 * `skipped`: not checked, with the reason (a dialect not supported yet, a missing URL variable
 * where one is needed); never counted as safe. `failed`: the check itself could not run.
 */
export type FleetVerdict = 'safe' | 'unsafe' | 'skipped' | 'failed';

/** One row of the summary table. */
export interface FleetSummaryRow {
  breakingChanges: number;
  /** The assessment's performance_impact (`none` … `high`), or null when not analyzed. */
  lockRisk: string | null;
  /** The assessment's lock_duration_estimate, or null. */
  lockDuration: string | null;
  planSteps: number | null;
  /** `passed`, `failed`, or `not run`. */
  validation: 'passed' | 'failed' | 'not run';
  /** Names of the services whose queries the migration breaks. */
  servicesAffected: string[];
  /** How many services' queries were checked. */
  servicesChecked: number;
}

export interface FleetServiceReport {
  service: string;
  dialect: string;
  /** The shared database's name from the config, or null. */
  database: string | null;
  owners: string[];
  /** The migration files checked, relative to the repository root (or as given), in run order. */
  migrations: string[];
  verdict: FleetVerdict;
  /** Why it is not safe, skipped or failed; empty when safe. */
  reasons: string[];
  summary: FleetSummaryRow;
  /** `check --format json`'s report for this service; absent when skipped or failed. */
  check?: unknown;
}

export interface FleetReport {
  /** Every checked service is safe and none was skipped or failed. */
  safe: boolean;
  /** The git ref the changes were computed against, or null (all pending migrations). */
  since: string | null;
  services: FleetServiceReport[];
  /**
   * Services of the fleet that had nothing to check: no changed migrations since `since`, or,
   * without it, none pending on the service's database (its tool's history has them all).
   */
  unchanged: string[];
}
