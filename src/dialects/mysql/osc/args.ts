/**
 * The arguments of an online schema change step, as the plan stores them: the tool's throttling
 * and cut-over filled in, nothing about the connection (the runner adds host, port, user and a
 * defaults file holding the password from the deploy's target, osc/run.ts). Each flag says why
 * it is set; the values are the tools' documented knobs, chosen for a primary serving traffic.
 * https://docs.percona.com/percona-toolkit/pt-online-schema-change.html
 * https://github.com/github/gh-ost/blob/master/doc/command-line-flags.md
 */
import type { ToolSpec } from '../../../core/dialect/safe-sql.js';
import type { ToolRun } from '../../../core/plan.js';

/** Pause while more than this many threads run queries; give up above the critical level. */
const MAX_THREADS_RUNNING = 25;
const CRITICAL_THREADS_RUNNING = 100;

function ptOnlineSchemaChange(spec: ToolSpec): string[] {
  return [
    // Without it the tool only checks and reports; the plan step is meant to run.
    '--execute',
    // Each chunk is sized to take about half a second, so row locks stay short.
    '--chunk-time=0.5',
    `--max-load=Threads_running=${MAX_THREADS_RUNNING}`,
    `--critical-load=Threads_running=${CRITICAL_THREADS_RUNNING}`,
    // Replicas more than a second behind pause the copy (found through the processlist).
    '--max-lag=1',
    // The tool's own metadata locks (creating the triggers, the final RENAME TABLE) wait this
    // long, then it retries (--tries), instead of queueing every query of the table behind it.
    `--set-vars=lock_wait_timeout=${spec.lockWaitSeconds},innodb_lock_wait_timeout=1`,
    '--tries=create_triggers:20:1,drop_triggers:20:1,swap_tables:20:1,update_foreign_keys:20:1',
    // Tables other tables reference: the tool picks how to point their foreign keys at the new table.
    '--alter-foreign-keys-method=auto',
    // The table's own triggers go to the new table (MySQL 5.7.2+, MariaDB 10.2.3+: several per event).
    '--preserve-triggers',
    '--progress=time,30',
    // No call home from a deploy.
    '--no-version-check',
  ];
}

function ghOst(spec: ToolSpec): string[] {
  return [
    '--execute',
    // The deploy's target is the primary: gh-ost reads its binary log there (binlog_format=ROW).
    '--allow-on-master',
    '--chunk-size=1000',
    `--max-load=Threads_running=${MAX_THREADS_RUNNING}`,
    `--critical-load=Threads_running=${CRITICAL_THREADS_RUNNING}`,
    '--max-lag-millis=1500',
    // The cut-over's table lock waits this long, then gh-ost retries (--default-retries).
    `--cut-over-lock-timeout-seconds=${spec.lockWaitSeconds}`,
    '--cut-over=default',
    '--default-retries=120',
    '--exact-rowcount',
    '--concurrent-rowcount',
    '--initially-drop-ghost-table',
    '--ok-to-drop-table',
  ];
}

export function toolRun(spec: ToolSpec): ToolRun {
  const dot = spec.table.indexOf('.');
  const database = spec.table.slice(0, dot);
  return {
    name: spec.name,
    database: database === spec.defaultSchema ? null : database,
    table: spec.table.slice(dot + 1),
    alter: spec.alter,
    args: spec.name === 'gh-ost' ? ghOst(spec) : ptOnlineSchemaChange(spec),
  };
}
