/** The incident report in Markdown, for the incident ticket or PR. */
import type { Incident } from '../../core/deploy.js';
import type { Plan } from '../../core/plan.js';
import { analyseIncident, type SessionSeen } from '../../deploy/incident/analysis.js';
import { clipOneLine, formatMs, type Advice } from '../../deploy/incident/rich.js';
import type { StatementReport } from '../../deploy/incident/statements.js';
import type { IncidentWords } from '../../core/dialect/deploy.js';
import { codeBlock, codeSpan, escapeInline } from '../markdown-text.js';
import {
  cell,
  clipBlock,
  codeCell,
  MESSAGE_CHARS,
  QUERY_BLOCK_CHARS,
  QUERY_BLOCK_LINES,
  richMarkdown,
  SQL_BLOCK_CHARS,
  SQL_BLOCK_LINES,
} from './format.js';

/** `words`: the target dialect's (`driver.deploy.incident`); PostgreSQL's when not given. */
export function renderIncidentMarkdown(incident: Incident, plan: Plan, words?: IncidentWords): string {
  const a = analyseIncident(incident, plan, words);
  const w = a.words;
  const noCode = `no ${w.codeLabel}`;
  const d = incident.deploy;
  const out: string[] = [`# ${richMarkdown(a.verdict)}`, ''];
  out.push(
    `Target ${codeSpan(incident.target)} · ran by ${escapeInline(d.ranBy)} · started ${escapeInline(d.startedAt)}` +
      `${d.finishedAt ? ` · finished ${escapeInline(d.finishedAt)}` : ''} · deploy status **${escapeInline(d.status)}** · plan ${codeSpan(d.planHash.slice(0, 12))}`,
    '',
  );

  out.push('## What failed', '');
  const f = incident.failedStep;
  out.push(
    `- **Step:** ${codeSpan(f.id)} (${escapeInline(f.phase)}): ${escapeInline(f.description)}`,
    `- **Error:** ${codeSpan(incident.error.sqlstate ?? noCode)}${errorName(incident.error.sqlstate, w)}: ${escapeInline(clipOneLine(incident.error.message, MESSAGE_CHARS))}`,
    `- **Cause:** ${escapeInline(incident.cause)}: ${richMarkdown(a.cause)}`,
  );
  if (a.planStep)
    out.push(
      `- **Step settings:** ${w.lockTimeoutSetting} ${formatMs(a.planStep.lockTimeoutMs)}, statement timeout ${a.planStep.statementTimeoutMs > 0 ? formatMs(a.planStep.statementTimeoutMs) : 'none'}, ${a.planStep.retry.maxAttempts} attempt(s), ${a.planStep.transactional ? 'one transaction' : 'outside a transaction'}${a.planStep.lock ? `, ${escapeInline(a.planStep.lock.mode)} on ${codeSpan(a.planStep.lock.table)}` : ''}`,
    );
  else out.push(`- **Note:** the plan has no step ${codeSpan(f.id)}: is this the plan that was deployed?`);
  if (f.backfill)
    out.push(
      `- **Backfill so far:** ${f.backfill.rows} rows in ${f.backfill.batches} batches (${Math.round(f.backfill.rowsPerSecond)} rows/s), last key ${codeCell(f.backfill.lastKey)}, throttled ${f.backfill.throttled} times`,
    );
  if (incident.error.message.includes('\n') || incident.error.message.length > MESSAGE_CHARS)
    out.push('', 'Full message:', '', ...codeBlock(clipBlock(incident.error.message, 20, 2000)));
  out.push('', 'SQL, as run:', '');
  const sql = incident.failedSql.length > 0 ? incident.failedSql : (a.planStep?.sql ?? []);
  out.push(...codeBlock(clipBlock(sql.join(';\n\n'), SQL_BLOCK_LINES, SQL_BLOCK_CHARS), 'sql'), '');
  if (a.statements && a.statements.total > 1) out.push(...statementsMarkdown(a.statements));

  out.push('## Who was blocking', '');
  if (a.blockers.length === 0)
    out.push(
      incident.cause === 'lock timeout'
        ? 'No blocking session was captured (it may have ended before we looked). The query under "How to fix by hand" finds the current lock holders.'
        : 'No session was found blocking our statement.',
      '',
    );
  else out.push(...sessionTable(a.blockers), '', ...sessionQueries(a.blockers));
  out.push('### Sessions that waited on us', '');
  if (a.blocked.length === 0) out.push('None was captured.', '');
  else out.push(...sessionTable(a.blocked), '', ...sessionQueries(a.blocked));

  out.push('## Attempts', '');
  if (f.attempts.length === 0) out.push('No attempt was recorded.', '');
  else {
    out.push('| # | started | duration | cause | error |', '|---|---|---|---|---|');
    for (const at of f.attempts) {
      out.push(
        `| ${at.attempt} | ${cell(at.startedAt)} | ${formatMs(at.durationMs)} | ${cell(at.cause ?? (at.error ? 'error' : null))} | ${at.error ? `${codeCell(at.error.sqlstate ?? noCode)} ${cell(at.error.message)}` : 'succeeded'} |`,
      );
    }
    out.push('');
  }

  out.push('## What was rolled back', '');
  if (!incident.autoRollback)
    out.push('Automatic rollback was off (`--no-auto-rollback`): nothing was undone.', '');
  else if (incident.rolledBack.length === 0) out.push('Nothing: no earlier step needed undoing.', '');
  else {
    out.push('Steps undone, last first:', '');
    for (const id of incident.rolledBack) {
      const step = plan.steps.find((s) => s.id === id);
      out.push(`- ${codeSpan(id)}${step ? `: ${escapeInline(step.description)}` : ''}`);
    }
    out.push('');
  }
  if (incident.rollbackErrors.length > 0) {
    out.push('Rollback errors:', '');
    for (const e of incident.rollbackErrors)
      out.push(`- ${codeSpan(e.step)}: ${escapeInline(clipOneLine(e.message, MESSAGE_CHARS))}`);
    out.push('');
  }
  if (incident.invalidIndexes.length > 0) {
    out.push(`Each ${escapeInline(w.leftover.what)} ${escapeInline(w.leftover.cause)}:`, '');
    for (const i of incident.invalidIndexes)
      out.push(`- ${codeSpan(i.name)}: ${i.dropped ? 'dropped' : '**still there**'}`);
    out.push('');
  }

  out.push('## State of the database now', '');
  if (incident.backup)
    out.push(
      incident.backup.restored
        ? `Restored from the backup taken before the first step, ${codeSpan(incident.backup.path)}: the database is as it was before the deploy.`
        : `A backup was taken before the first step: ${codeSpan(incident.backup.path)}${incident.backup.why ? ` (not restored: ${escapeInline(incident.backup.why)})` : ''}.`,
      '',
    );
  out.push(
    `Schema restored to what it was before the deploy: **${incident.schemaRestored === null ? 'unknown' : incident.schemaRestored ? 'yes' : 'no'}**${incident.schemaRestored === null ? ' (not compared)' : ' (schema hash comparison)'}.`,
    '',
  );
  out.push('| step | phase | status | still applied | why |', '|---|---|---|---|---|');
  for (const s of a.states)
    out.push(
      `| ${codeCell(s.record.id)} | ${cell(s.record.phase)} | ${cell(s.record.status)} | ${s.applied} | ${cell(s.why)} |`,
    );
  out.push(
    '',
    a.stillApplied.length > 0
      ? `Still applied: ${a.stillApplied.map((id) => codeSpan(id)).join(', ')}.`
      : 'No step is still applied.',
    '',
  );

  out.push('## How to fix by hand', '');
  a.fix.forEach((x, i) => out.push(...adviceMarkdown(`**${i + 1}.**`, x)));
  out.push('## How to prevent it', '');
  for (const x of a.prevent) out.push(...adviceMarkdown('-', x));
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function adviceMarkdown(marker: string, advice: Advice): string[] {
  const out = [`${marker} ${richMarkdown(advice.text)}`, ''];
  if (advice.sql && advice.sql.length > 0) {
    const text = advice.sql.map((s) => `${s.replace(/;\s*$/, '')};`).join('\n');
    out.push(...codeBlock(text, 'sql'), '');
  }
  return out;
}

function sessionTable(sessions: readonly SessionSeen[]): string[] {
  const out = [
    '| pid | user | application | client | state | transaction age | wait | query | attempts |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { session: s, attempts } of sessions)
    out.push(
      `| ${s.pid} | ${cell(s.user)} | ${cell(s.application)} | ${cell(s.clientAddress)} | ${cell(s.state)} | ${s.transactionAgeMs === null ? '–' : formatMs(s.transactionAgeMs)} | ${cell(s.waitEvent)} | ${codeCell(s.query)} | ${attempts.join(', ')} |`,
    );
  return out;
}

function sessionQueries(sessions: readonly SessionSeen[]): string[] {
  const out: string[] = [];
  for (const { session: s } of sessions) {
    if (!s.query) continue;
    out.push(
      `Query of pid ${s.pid}:`,
      '',
      ...codeBlock(clipBlock(s.query, QUERY_BLOCK_LINES, QUERY_BLOCK_CHARS), 'sql'),
      '',
    );
  }
  return out;
}

function errorName(code: string | null, words: IncidentWords): string {
  const name = code ? words.errorName(code) : undefined;
  return name ? ` ${name}` : ''; // the dialect's own words, trusted as the PostgreSQL names were
}

/** The failed step statement by statement: what committed, what failed, what never ran, what was undone. */
function statementsMarkdown(report: StatementReport): string[] {
  const out = [`### Statement by statement`, '', `${escapeInline(report.summary)}.`, ''];
  out.push('| # | outcome | statement |', '|---|---|---|');
  for (const s of report.ran) out.push(`| ${s.n} | committed | ${codeCell(s.sql, 120)} |`);
  if (report.stopped)
    out.push(
      `| ${report.stopped.n} | ${report.stopped.outcome === 'failed' ? '**failed**' : '**unknown** (running when the deploy stopped)'} | ${codeCell(report.stopped.sql, 120)} |`,
    );
  for (const s of report.notRun) out.push(`| ${s.n} | did not run | ${codeCell(s.sql, 120)} |`);
  out.push('');
  if (report.ran.length === 0) return out;
  if (report.undone)
    out.push(
      report.undo
        ? `The automatic rollback ran the inverses of the statements that committed, last first:`
        : `The automatic rollback ran the step's rollback:`,
      '',
    );
  else
    out.push(
      report.undo
        ? `Not undone: the statements that committed are still applied. Their inverses, last first:`
        : `Not undone: the statements that committed are still applied, and the plan has no inverse for each statement alone.`,
      '',
    );
  if (report.undo && report.undo.length > 0)
    out.push(...codeBlock(report.undo.map((x) => `${x.replace(/;\s*$/, '')};`).join('\n'), 'sql'), '');
  return out;
}
