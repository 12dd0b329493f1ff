import { writeFileSync } from 'node:fs';
import { makeDirectory } from '../../core/make-directory.js';
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkPlan, plan as makePlan } from '../../api/plan.js';
import { intFlag } from '../flags.js';
import { InputError, SchemapilotError } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import type { Incident } from '../../core/deploy.js';
import { DEFAULT_DEPLOY_LIMITS, deploy, type DeployEvent, type DeployOptions } from '../../api/deploy.js';
import {
  renderIncidentJson,
  renderIncidentMarkdown,
  renderIncidentText,
} from '../../reporters/incident/index.js';
import { renderValidationText } from '../../reporters/validation-text.js';
import { canonicalJson } from '../../schema/canonical-json.js';
import { dialectNamed } from '../../dialects/index.js';
import { withScratch } from '../../validate/scratch.js';
import { validatePlan } from '../../api/validate.js';
import { checkConnectionString, emit, oneOf, painterForOutput, printNote, resolveDbUrl } from '../io.js';
import {
  addMigrationInputOptions,
  readMigrationInput,
  type MigrationInputFlags,
} from '../migration-input.js';
import { readPlanFile } from '../plan-file.js';
import { ProgressPrinter } from '../progress.js';
import { addServiceOptions, serviceImpactFor, type ServiceFlags } from '../service-input.js';
import { inspectDatabase } from '../../api/input.js';
import { loadConfig } from '../../config/load.js';
import { ENGINE_RULE_IDS } from '../../linter/run.js';
import { allRules } from '../../rules/index.js';
import type { MigrationInput } from '../migration-input.js';
import { renderImpactText } from '../../reporters/impact/text.js';

interface DeployFlags extends MigrationInputFlags, ServiceFlags {
  dryRun?: boolean;
  allowUnhashedPlan?: boolean;
  skipValidate?: boolean;
  devUrl?: string;
  autoRollback: boolean;
  maxBlockingMs: string;
  stepBudgetMs: string;
  totalBudgetMs: string;
  maxReplicaLagMs: string;
  retries?: string;
  incidentDir: string;
  format: string;
}

export function registerDeploy(program: Command): void {
  addServiceOptions(
    addMigrationInputOptions(
      program
        .command('deploy')
        .description(
          'Apply a plan (plan.json, or a migration planned on the fly) with timeouts, retries, a blocking watchdog, a journal and automatic rollback',
        ),
      'deploy',
    ),
    { devUrl: false },
  )
    .option('--dry-run', 'check the schema hash, the journal and the plan; apply nothing')
    .option(
      '--allow-unhashed-plan',
      'deploy a plan.json made without --db or --schema (no schema hash: drift cannot be checked)',
    )
    .option('--skip-validate', 'deploy a migration file without proving its plan on a scratch database first')
    .option('--dev-url <url>', 'scratch server for that validation (default: an embedded PostgreSQL)')
    .option(
      '--no-auto-rollback',
      'leave applied steps in place when a step fails (the journal says what is applied)',
    )
    .option(
      '--max-blocking-ms <ms>',
      'cancel and retry a statement other sessions have waited on this long',
      '1000',
    )
    .option('--step-budget-ms <ms>', 'give up a step after this long, retries included', '120000')
    .option('--total-budget-ms <ms>', 'time allowed for all transactional steps together', '30000')
    .option('--max-replica-lag-ms <ms>', 'slow backfills down while replicas lag more than this', '5000')
    .option('--retries <n>', "attempts per step (default: the plan's retry policy, 5)")
    .option('--incident-dir <dir>', 'where incident reports are written', 'schemapilot-incidents')
    .option(
      '--format <format>',
      'text, or json (result on stdout, progress events as JSON lines on stderr)',
      'text',
    )
    .addHelpText(
      'after',
      `
Each step runs with its lock timeout (default 2 s; MySQL: lock_wait_timeout) and statement
timeout. A lock timeout or deadlock is retried with exponential backoff and jitter; a watchdog
on a second connection cancels our statement (and retries later) when application sessions have
waited behind it longer than --max-blocking-ms. Backfills run in batches, each its own
transaction, slowing down while others wait on them or replicas lag. Every step is journaled in
the target (PostgreSQL: schema "schemapilot"; MySQL/MariaDB: database "schemapilot", with each
DDL statement counted as it commits), so a deploy that crashed resumes where it stopped when
run again. On failure the applied steps (on MySQL, the statements that ran) are rolled back
(unless --no-auto-rollback) and an incident report is written.
Only one deploy or rollback runs per database at a time. The live schema must be the one the
plan was made for (its hash), or the deploy is refused; a plan without a hash (planned without
--db or --schema) is refused too, unless --allow-unhashed-plan is given. A plan.json is checked
against schema/plan.schema.json first: a bad one is refused naming the JSON path (exit 2).

Exit codes: 0 deployed (or dry run passed), 1 failed, rolled back or refused, 2 bad input.

Examples:
  schemapilot deploy plan.json --db "$DATABASE_URL" --dry-run
  schemapilot deploy migrations/V12__orders.sql --db "$DATABASE_URL"
  schemapilot status --db "$DATABASE_URL"`,
    )
    .action(async (paths: string[], flags: DeployFlags) => {
      const format = oneOf('--format', flags.format, ['text', 'json'] as const);
      const limits = deployLimits(flags);
      const url = resolveDbUrl(flags.db);
      if (!url) throw new InputError('no database given: pass --db or set DATABASE_URL');
      if (flags.devUrl !== undefined) checkConnectionString(flags.devUrl, '--dev-url');
      if ((flags.service?.length ?? 0) > 0 && !flags.dryRun)
        throw new InputError(
          '--service checks services in a dry run: use deploy --dry-run --service (or schemapilot check --service) before deploying',
        );
      let planInput: MigrationInput | undefined;
      const planFile = paths.length === 1 && paths[0]?.endsWith('.json') ? paths[0] : undefined;
      const p = planFile ? readPlanFile(planFile) : await planFromFiles(paths, flags);
      const paint = painterForOutput(undefined);
      const progress = new ProgressPrinter(process.stderr, format === 'json');
      const result = await deploy({
        ...limits,
        url,
        plan: p,
        onEvent: (e: DeployEvent) => progress.event(e),
      });
      progress.end();
      for (const note of result.notes) printNote('note', note);
      if (flags.dryRun) {
        const schema = p.sourceSchemaHash
          ? 'the live schema matches the plan'
          : 'the schema was not checked (the plan has no hash)';
        const text = `dry run: ${schema}; ${p.steps.length} step(s) would run: ${result.steps.join(', ')}. Nothing was applied.\n`;
        const impact = await dryRunImpact(flags, url, p, planInput);
        emit(
          format === 'json'
            ? canonicalJson({ dryRun: true, ...result, ...(impact ? { impact } : {}) }, 2)
            : impact
              ? `${text}\n${renderImpactText(impact, paint)}`
              : text,
          undefined,
        );
        process.exitCode = (impact?.affected_services.length ?? 0) > 0 ? 1 : 0;
        return;
      }
      if (result.incident) {
        // The report quotes the target's own words: its error names, its lock queries.
        const words = dialectNamed(p.dialect, 'the plan\'s "dialect"').driver?.deploy?.incident;
        const dir = flags.incidentDir;
        const base = join(dir, `deploy-${result.incident.deploy.id}`);
        try {
          makeDirectory(dir);
          writeFileSync(
            `${base}.md`,
            renderIncidentMarkdown(result.incident, p, words) + (await postMortem(result.incident, p)),
          );
          writeFileSync(`${base}.json`, renderIncidentJson(result.incident, p, words));
        } catch (error) {
          printNote('warning', `could not write the incident report to ${dir}: ${(error as Error).message}`);
        }
        if (format === 'json') emit(renderIncidentJson(result.incident, p, words), undefined);
        else
          emit(
            renderIncidentText(result.incident, p, paint, words) + `\nIncident report: ${base}.md\n`,
            undefined,
          );
        process.exitCode = 1;
        return;
      }
      const summary = `deploy ${result.deploy?.id ?? '?'} ${result.resumed ? 'resumed and ' : ''}succeeded: ${p.steps.length} step(s)\n`;
      emit(format === 'json' ? canonicalJson(result.deploy, 2) : paint.green(summary), undefined);
      process.exitCode = 0;

      async function planFromFiles(files: string[], f: DeployFlags): Promise<Plan> {
        const input = await readMigrationInput(files, f, 'deploy');
        planInput = input;
        if (!input.snapshot) throw new InputError('deploy needs the live database: pass --db');
        const planned = await makePlan({
          files: input.files,
          snapshot: input.snapshot,
          config: input.config,
        });
        const unsafe = (await checkPlan(planned, input.snapshot, input.config)).filter(
          (x) => x.severity === 'error',
        );
        if (unsafe.length > 0)
          throw new InputError(
            `the plan is still unsafe: ${unsafe[0]?.message ?? ''} (run schemapilot plan to see it)`,
          );
        if (f.skipValidate || f.dryRun) return planned;
        process.stderr.write('· validating the plan on a scratch database (--skip-validate to skip)\n');
        const snapshot = input.snapshot;
        const dialect = dialectNamed(planned.dialect, 'the plan\'s "dialect"');
        if (!dialect.scratch)
          throw new InputError(
            `validating needs a scratch server, which ${dialect.title} lacks (--skip-validate)`,
          );
        const proof = await withScratch(
          dialect.scratch,
          { major: input.major, devUrl: f.devUrl },
          (scratch) =>
            validatePlan({
              dialect,
              plan: planned,
              original: input.files,
              schema: { kind: 'snapshot', snapshot },
              scratch,
              config: input.config,
            }),
        );
        if (!proof.passed) {
          process.stdout.write(renderValidationText(proof, paint));
          throw new SchemapilotError('validation failed on the scratch database: nothing was deployed', {
            exitCode: 1,
          });
        }
        return planned;
      }
    });
}

/**
 * deploy --dry-run --service: the services' queries against the plan, on a scratch server
 * (--dev-url or embedded). A plan.json brings its own source statements; the schema is read
 * from --db (read-only).
 */
async function dryRunImpact(flags: DeployFlags, url: string, p: Plan, input: MigrationInput | undefined) {
  const config =
    input?.config ??
    loadConfig({
      explicitPath: flags.config,
      knownRules: [...allRules.map((r) => r.meta.id), ...ENGINE_RULE_IDS],
    }).config;
  if ((flags.service?.length ?? 0) === 0 && config.services.length === 0) return undefined;
  const dialect = dialectNamed(p.dialect, 'the plan\'s "dialect"');
  const snapshot = input?.snapshot ?? (await inspectDatabase(url, { dialect }));
  const files =
    input?.files ??
    p.sources.map((s) => ({ path: `${s.file}:${s.line}`, sql: s.sql, transaction: 'none' as const }));
  return serviceImpactFor(flags, { config, snapshot, dialect, major: p.serverMajor, files }, p);
}

function deployLimits(flags: DeployFlags): Omit<DeployOptions, 'dialect' | 'url' | 'plan' | 'onEvent'> {
  // A day bounds every budget: a deploy step that may run longer is a maintenance job.
  const int = (flag: string, value: string | undefined, min: number): number | undefined =>
    intFlag(flag, value, flag === '--retries' ? { min, max: 100 } : { min, max: 86_400_000, unit: 'ms' });
  return {
    ...DEFAULT_DEPLOY_LIMITS,
    autoRollback: flags.autoRollback,
    dryRun: flags.dryRun === true,
    allowUnhashedPlan: flags.allowUnhashedPlan === true,
    maxBlockingMs: int('--max-blocking-ms', flags.maxBlockingMs, 0) ?? DEFAULT_DEPLOY_LIMITS.maxBlockingMs,
    stepBudgetMs: int('--step-budget-ms', flags.stepBudgetMs, 1) ?? DEFAULT_DEPLOY_LIMITS.stepBudgetMs,
    totalBudgetMs: int('--total-budget-ms', flags.totalBudgetMs, 1) ?? DEFAULT_DEPLOY_LIMITS.totalBudgetMs,
    maxReplicaLagMs:
      int('--max-replica-lag-ms', flags.maxReplicaLagMs, 0) ?? DEFAULT_DEPLOY_LIMITS.maxReplicaLagMs,
    ...(flags.retries !== undefined ? { maxAttempts: int('--retries', flags.retries, 1) } : {}),
  };
}

/**
 * The AI post-mortem section of the incident report, when a provider is configured; empty
 * otherwise. The report above it stands on its own: a failing model only costs this section.
 */
async function postMortem(incident: Incident, p: Plan): Promise<string> {
  const { loadConfig } = await import('../../config/load.js');
  const { allRules } = await import('../../rules/index.js');
  const { ENGINE_RULE_IDS } = await import('../../linter/run.js');
  const { aiClientFor } = await import('../ai-setup.js');
  let ai: Awaited<ReturnType<typeof aiClientFor>>;
  try {
    const knownRules = [...allRules.map((r) => r.meta.id), ...ENGINE_RULE_IDS];
    ai = await aiClientFor(loadConfig({ knownRules }).config);
  } catch {
    return '';
  }
  if ('missing' in ai) return '';
  const { describeCalls, writePostMortem } = await import('../../ai/prose.js');
  try {
    const text = await writePostMortem(ai.client, incident, p);
    process.stderr.write(`${describeCalls(ai.client)}\n`);
    return `\n## AI post-mortem\n\n_Written by ${ai.client.model} from the facts above; check it against them._\n\n${text}\n`;
  } catch (error) {
    printNote('note', `no AI post-mortem: ${(error as Error).message}`);
    return '';
  }
}
