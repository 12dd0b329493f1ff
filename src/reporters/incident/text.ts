/** The incident report's short terminal version. */
import type { IncidentWords } from '../../core/dialect/deploy.js';
import type { Incident, SessionInfo } from '../../core/deploy.js';
import type { Plan } from '../../core/plan.js';
import { analyseIncident } from '../../deploy/incident/analysis.js';
import type { StatementReport } from '../../deploy/incident/statements.js';
import { clipOneLine, formatMs, type Advice } from '../../deploy/incident/rich.js';
import type { Painter } from '../ansi.js';
import { plainPainter } from '../ansi.js';
import {
  clipBlock,
  QUERY_BLOCK_CHARS,
  QUERY_BLOCK_LINES,
  richTerminal,
  safe,
  sqlstateWords,
} from './format.js';

/** A short version for the terminal: verdict, cause, blockers, state, what to do. */
/** `words`: the target dialect's (`driver.deploy.incident`); PostgreSQL's when not given. */
export function renderIncidentText(
  incident: Incident,
  plan: Plan,
  paint: Painter = plainPainter,
  words?: IncidentWords,
): string {
  const a = analyseIncident(incident, plan, words);
  const f = incident.failedStep;
  const out: string[] = [paint.bold(paint.red(richTerminal(a.verdict)))];
  out.push(`${paint.bold(safe(f.id))} ${paint.cyan(safe(f.phase))} ${safe(f.description)}`);
  out.push(
    `  ${paint.red(sqlstateWords(incident.error, a.words))}: ${safe(clipOneLine(incident.error.message, 200))}`,
    `  ${paint.dim('cause:')} ${richTerminal(a.cause)}`,
  );
  const attempts = f.attempts.length;
  if (attempts > 0) out.push(paint.dim(`  ${attempts} attempt${attempts === 1 ? '' : 's'}`));
  if (a.statements && a.statements.total > 1) out.push('', ...statementLines(a.statements, paint));
  if (a.blockers.length > 0) {
    out.push('', paint.yellow('Blocking sessions:'));
    for (const { session: s } of a.blockers) out.push(`  ${sessionLine(s)}`);
  }
  if (a.blocked.length > 0) {
    out.push('', paint.yellow('Sessions waiting on us:'));
    for (const { session: s } of a.blocked) out.push(`  ${sessionLine(s)}`);
  }
  if (incident.rolledBack.length > 0) out.push('', `Rolled back: ${safe(incident.rolledBack.join(', '))}`);
  for (const e of incident.rollbackErrors)
    out.push(paint.red(`Rollback of ${safe(e.step)} failed: ${safe(clipOneLine(e.message, 200))}`));
  for (const i of incident.invalidIndexes)
    out.push(
      i.dropped
        ? `${a.words.leftover.what} ${safe(i.name)} dropped`
        : paint.red(`${a.words.leftover.what} ${safe(i.name)} still there`),
    );
  if (incident.backup)
    out.push(
      incident.backup.restored
        ? paint.green(
            `Restored from the backup ${safe(incident.backup.path)}: the database is as it was before the deploy`,
          )
        : `Backup taken before the deploy: ${safe(incident.backup.path)}${incident.backup.why ? ` (not restored: ${safe(incident.backup.why)})` : ''}`,
    );
  out.push(
    `Schema restored: ${incident.schemaRestored === null ? 'unknown' : incident.schemaRestored ? paint.green('yes') : paint.red('no')}`,
    `Still applied: ${a.stillApplied.length > 0 ? safe(a.stillApplied.join(', ')) : 'nothing'}`,
  );
  out.push('', paint.bold('Fix by hand:'));
  a.fix.forEach((x, i) => out.push(...adviceText(`  ${i + 1}. `, x, paint)));
  out.push('', paint.bold('Prevent it:'));
  for (const x of a.prevent) out.push(...adviceText('  - ', x, paint));
  return out.join('\n') + '\n';
}

function adviceText(marker: string, advice: Advice, paint: Painter): string[] {
  const out = [`${marker}${richTerminal(advice.text)}`];
  const indent = ' '.repeat(marker.length + 2);
  for (const sql of advice.sql ?? []) {
    const shown = clipBlock(sql, QUERY_BLOCK_LINES, QUERY_BLOCK_CHARS);
    out.push(...shown.split('\n').map((l) => paint.cyan(`${indent}${safe(l)}`)));
  }
  return out;
}

function sessionLine(s: SessionInfo): string {
  const who = [s.user, s.application, s.clientAddress].filter((x) => x).join(' / ') || 'unknown';
  const age = s.transactionAgeMs === null ? '' : `, transaction ${formatMs(s.transactionAgeMs)}`;
  const query = s.query ? `: ${clipOneLine(s.query, 100)}` : '';
  return safe(`pid ${s.pid} (${who}, ${s.state ?? 'state unknown'}${age})${query}`);
}

/** Each statement of a half-applied step: committed, failed (or unknown), not run. */
function statementLines(report: StatementReport, paint: Painter): string[] {
  const out = [paint.yellow(`Statements of ${safe(report.step)} (${safe(report.summary)}):`)];
  for (const s of report.ran)
    out.push(`  ${paint.green('ran     ')} ${s.n}. ${safe(clipOneLine(s.sql, 100))}`);
  if (report.stopped)
    out.push(
      `  ${report.stopped.outcome === 'failed' ? paint.red('failed  ') : paint.yellow('unknown ')} ${report.stopped.n}. ${safe(clipOneLine(report.stopped.sql, 100))}`,
    );
  for (const s of report.notRun)
    out.push(`  ${paint.dim('not run ')} ${s.n}. ${safe(clipOneLine(s.sql, 100))}`);
  if (report.ran.length > 0)
    out.push(
      report.undone
        ? `  Undone: ${
            report.undo
              ? `the inverses of statement(s) ${report.ran
                  .map((s) => s.n)
                  .reverse()
                  .join(', ')} ran, last first`
              : "the step's rollback ran"
          }.`
        : paint.red('  Not undone: the statements that ran are still applied.'),
    );
  return out;
}
