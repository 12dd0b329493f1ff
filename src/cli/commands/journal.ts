import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { intFlag, MAX_PG_TIMEOUT_MS } from '../flags.js';
import { listDeploys, readDeploy, rollbackDeploy } from '../../api/deploy.js';
import { deployerOf } from '../../deploy/driver.js';
import { chooseDialect } from '../../dialects/index.js';
import type { DeployRecord } from '../../core/deploy.js';
import type { Plan } from '../../core/plan.js';
import type { Painter } from '../../reporters/ansi.js';
import { canonicalJson } from '../../schema/canonical-json.js';
import { emit, oneOf, painterForOutput, resolveDbUrl } from '../io.js';
import { addNetworkOptions } from '../network.js';

interface StatusFlags {
  db?: string;
  deploy?: string;
  all?: boolean;
  format: string;
}

export function registerStatus(program: Command): void {
  addNetworkOptions(program.command('status'))
    .description(
      "Show the deploy journal: the last deploy's steps, their status, attempts and backfill progress",
    )
    .option('--db <url>', 'target database (default: $DATABASE_URL)')
    .option('--deploy <id>', 'a given deploy instead of the last one')
    .option('--all', 'list the last 20 deploys instead')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      '\nExit codes: 0 (the last deploy succeeded, or none), 1 (it failed, was rolled back or is unfinished), 2 bad input.',
    )
    .action(async (flags: StatusFlags) => {
      const format = oneOf('--format', flags.format, ['text', 'json'] as const);
      const id = deployId(flags.deploy);
      // The journal carries no dialect before it is read: the URL's (PostgreSQL when it says none).
      const url = resolveDbUrl(flags.db) ?? '';
      const dialect = chooseDialect({ url });
      const { driver, deploy } = deployerOf(dialect);
      const session = await driver.connect(url, {
        applicationName: 'schemapilot status',
        readOnly: true,
      });
      try {
        await deploy.probes.readOnly(session);
        if (flags.all) {
          const deploys = await listDeploys(session, 20, dialect);
          emit(
            format === 'json'
              ? canonicalJson(deploys, 2)
              : deploys.map((d) => `${d.id}\t${d.status}\t${d.startedAt}\t${d.ranBy}`).join('\n') ||
                  'no deploys yet',
            undefined,
          );
          return;
        }
        const found = await readDeploy(session, id, dialect);
        if (!found) {
          if (id !== undefined) throw new InputError(`--deploy ${id}: no such deploy in the journal`);
          emit(
            format === 'json' ? 'null' : 'no deploys yet (the journal is created by the first deploy)',
            undefined,
          );
          return;
        }
        emit(
          format === 'json'
            ? canonicalJson(found.record, 2)
            : renderStatus(found.record, found.plan, painterForOutput(undefined)),
          undefined,
        );
        process.exitCode = found.record.status === 'succeeded' ? 0 : 1;
      } finally {
        await session.close().catch(() => undefined);
      }
    });
}

interface RollbackFlags {
  db?: string;
  to?: string;
  acceptDataLoss?: boolean;
  lockTimeoutMs: string;
}

export function registerRollback(program: Command): void {
  addNetworkOptions(program.command('rollback'))
    .description('Undo the last deploy from the journal, step by step, last step first')
    .option('--db <url>', 'target database (default: $DATABASE_URL)')
    .option('--to <step>', 'keep the steps up to and including this one; undo the later ones')
    .option(
      '--accept-data-loss',
      'also undo steps marked irreversible (e.g. a column swap: writes made since are lost)',
    )
    .option('--lock-timeout-ms <ms>', 'lock_timeout of each rollback statement (retried on timeout)', '2000')
    .addHelpText(
      'after',
      '\nAlso cleans up after a deploy that crashed (a step left running, an INVALID index).\nExit codes: 0 rolled back, 1 a step could not be undone (printed), 2 bad input.',
    )
    .action(async (flags: RollbackFlags) => {
      const lockTimeoutMs =
        intFlag('--lock-timeout-ms', flags.lockTimeoutMs, { min: 1, max: MAX_PG_TIMEOUT_MS, unit: 'ms' }) ??
        2000;
      const url = resolveDbUrl(flags.db) ?? '';
      const result = await rollbackDeploy({
        dialect: chooseDialect({ url }),
        url,
        lockTimeoutMs,
        acceptDataLoss: flags.acceptDataLoss === true,
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        onStep: (id) => void process.stderr.write(`· rolling back ${id}\n`),
      });
      const out = [
        `deploy ${result.deployId}: rolled back ${result.rolledBack.length ? result.rolledBack.join(', ') : 'nothing'}`,
      ];
      for (const e of result.errors) out.push(`could not undo ${e.step}: ${e.message}`);
      if (result.stoppedAt)
        out.push(
          `stopped at ${result.stoppedAt}: it is a point of no return (undoing it loses writes made since); rerun with --accept-data-loss to undo it anyway`,
        );
      emit(out.join('\n'), undefined);
      process.exitCode = result.complete ? 0 : 1;
    });
}

function deployId(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InputError(`--deploy must be a deploy id (a number); got "${value}"`);
  return Number(value);
}

function renderStatus(record: DeployRecord, plan: Plan, paint: Painter): string {
  const colour =
    record.status === 'succeeded' ? paint.green : record.status === 'running' ? paint.yellow : paint.red;
  const out = [
    `${paint.bold(`deploy ${record.id}`)} ${colour(record.status)} · started ${record.startedAt}${record.finishedAt ? ` · finished ${record.finishedAt}` : ''} · by ${record.ranBy}`,
  ];
  for (const [i, step] of record.steps.entries()) {
    const attempts = step.attempts.length > 1 ? ` · ${step.attempts.length} attempts` : '';
    const last = step.attempts[step.attempts.length - 1]?.error;
    const backfill = step.backfill ? ` · ${step.backfill.rows.toLocaleString('en')} rows backfilled` : '';
    // MySQL commits DDL statement by statement: say how far a step that did not finish got.
    const total = plan.steps[i]?.sql.length ?? 0;
    const counted =
      step.statementsDone !== undefined && total > 1 && step.status !== 'done'
        ? ` · ${step.statementsDone} of ${total} statements committed`
        : '';
    out.push(
      `  ${step.id.padEnd(12)} ${step.status.padEnd(12)} ${step.description}${attempts}${backfill}${counted}`,
    );
    if (last && step.status !== 'done')
      out.push(paint.dim(`      last error: ${last.sqlstate ? `${last.sqlstate} ` : ''}${last.message}`));
  }
  if (record.status === 'running')
    out.push(
      '',
      'This deploy did not finish: run the same deploy again to resume it, or schemapilot rollback to undo it.',
    );
  return out.join('\n');
}
