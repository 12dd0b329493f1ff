import type { Severity } from '../core/analysis.js';
import type { FleetService } from '../core/fleet.js';
import type { RunnerName } from '../core/runners.js';
import { DEFAULT_MYSQL_CONFIG, type MysqlConfig } from './mysql.js';

export { RUNNERS, type RunnerName } from '../core/runners.js';

export type RuleSetting = Severity | 'off';

/** Config after defaults: what the engine reads. */
export interface ResolvedConfig {
  rules: Record<string, RuleSetting>;
  /** Tables with at least this many rows count as large: locking findings keep full severity. */
  largeTableRows: number;
  /** Schema that unqualified names resolve to. */
  defaultSchema: string;
  /** Server version to assume when there is no live database: the dialect's fact key (PostgreSQL: the major). */
  targetVersion: number | null;
  /**
   * The config file's `targetVersion` when written as a version ("8.0.36", "10.11"): the
   * dialect of the run turns it into `targetVersion` (api/input.ts configForDialect).
   */
  targetVersionText?: string;
  runner: RunnerName | null;
  /**
   * The deploy session's TimeZone is UTC (timestamp ↔ timestamptz needs no rewrite on 12+).
   * Null: not configured; the live database's setting decides, else "not UTC" is assumed.
   */
  timeZoneIsUtc: boolean | null;
  /** lock-timeout-missing accepts a lock_timeout up to this many ms. */
  maxLockTimeoutMs: number;
  /** The optional AI provider (keys come from the environment, never from this file). */
  ai: AiFileConfig;
  /** Services whose queries impact checks; paths already absolute (resolved against the config file). */
  services: FleetService[];
  /** MySQL/MariaDB plans: the online schema change tool (src/config/mysql.ts). */
  mysql: MysqlConfig;
}

/** `ai` in schemapilot.config.json; environment variables override it (src/ai/config.ts). */
export interface AiFileConfig {
  provider?: 'anthropic' | 'openai';
  model?: string;
  /** OpenAI-compatible endpoint (Ollama, vLLM, LM Studio) or an Anthropic proxy. */
  baseUrl?: string;
  /** Name of the environment variable holding the key (default: the provider's usual one). */
  apiKeyEnv?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Response cache directory; "off" disables. */
  cacheDir?: string;
  /** USD per million tokens, by model id. */
  prices?: Record<string, { inputPerMTok: number; outputPerMTok: number }>;
}

export const DEFAULT_CONFIG: ResolvedConfig = {
  rules: {},
  largeTableRows: 100_000,
  defaultSchema: 'public',
  targetVersion: null,
  runner: null,
  timeZoneIsUtc: null,
  maxLockTimeoutMs: 10_000,
  ai: {},
  services: [],
  mysql: DEFAULT_MYSQL_CONFIG,
};

/** Major assumed when neither a database nor the config says: the oldest supported major. */
export const ASSUMED_MAJOR = 11;
