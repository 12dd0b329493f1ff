/**
 * schemapilot's public API: plain data in, plain data out, except the functions that take a
 * database URL or connection. The CLI (src/cli) is a thin layer over these.
 */
export * from './core/errors.js';
export * from './core/snapshot.js';
export type * from './core/analysis.js';
export type * from './core/change.js';
export type * from './core/plan.js';
export type { Rule, RuleMeta, RuleContext, FindingDraft } from './core/rule.js';
export { LOCK_MODES, type LockMode, describeBlocking, conflicts } from './core/locks.js';

// inspect
export {
  inspectPostgres,
  introspectPostgres,
  type IntrospectOptions,
} from './dialects/postgres/introspect.js';
export { ConnectionFailure, connectPostgres, describeTarget } from './dialects/postgres/connect.js';
export { parseConnectionString, type ConnInfo } from './dialects/postgres/conninfo.js';
export { setNetworkTimeouts } from './core/timeouts.js';
export { schemaHash } from './schema/hash.js';
export { canonicalJson } from './schema/canonical-json.js';
export { diffSnapshots, formatDifferences, type SchemaDifference } from './schema/diff.js';
export { toBriefTableShape, type BriefTableShape } from './schema/brief-shape.js';
export { findTable, requireTable } from './schema/lookup.js';

// analyze
export { analyze, type AnalyzeOptions, type AnalyzeOutput } from './api/analyze.js';
export { readMigrations, readInline, inlineMigration } from './api/read.js';
export type { MigrationFile, StatementDetail } from './core/migration.js';
export type * from './core/dialect/index.js';
// dialects: the registry, and PostgreSQL's implementation of the contract
export { DEFAULT_DIALECT, dialectNamed, dialectNames, registerDialect } from './dialects/index.js';
export { postgresDialect } from './dialects/postgres/index.js';
export type { LiveReader } from './core/dialect/live.js';
export {
  gatherInput,
  inspectDatabase,
  openLiveDatabase,
  readLiveSchema,
  type GatherOptions,
  type GatheredInput,
  type LiveDatabase,
  type LiveSchema,
} from './api/input.js';
export { compareVersions, versionAtLeast } from './core/dialect/version.js';
export { allRules } from './rules/index.js';
export { loadConfig, validateConfig } from './config/load.js';
export { DEFAULT_CONFIG, type ResolvedConfig } from './config/types.js';

// plan
export { plan, checkPlan, type PlanApiOptions } from './api/plan.js';
export { PLAN_WRITERS, planWriter, type PlanWriter, type WrittenFile } from './api/write.js';
export { applySteps, rollbackSteps, applyStep, rollbackStep } from './dialects/postgres/steps/apply.js';

// validate and check
export { validatePlan, type ValidateOptions, type DataOption } from './api/validate.js';
export type * from './validate/types.js';
export {
  check,
  buildChecklist,
  type CheckOptions,
  type CheckResult,
  type ChecklistItem,
} from './api/check.js';
export { loadSchema, cloneInto, runAsWritten, type SchemaSource } from './dialects/postgres/validate/load.js';
export { synthesizeRows, type TableDataReport } from './dialects/postgres/validate/synthesize.js';
export { copySampleRows } from './dialects/postgres/validate/sample.js';
export {
  traceStatement,
  traceInOpenTransaction,
  type StatementTrace,
} from './dialects/postgres/validate/trace.js';

// reports
export { renderSnapshotText } from './reporters/snapshot-text.js';
export { renderAnalysisText } from './reporters/analysis-text.js';
export { renderAnalysisJson } from './reporters/analysis-json.js';
export { renderPlanText } from './reporters/plan-text.js';
export { renderValidationText, renderChecklist } from './reporters/validation-text.js';
export { renderValidationMarkdown } from './reporters/validation-markdown.js';

// scratch servers
export { startEmbeddedPostgres, type EmbeddedServer } from './dialects/postgres/scratch/embedded-server.js';
export {
  openScratchServer,
  withScratchServer,
  installedEmbeddedMajors,
  type ScratchServer,
  type ScratchDatabase,
} from './dialects/postgres/scratch/scratch.js';
