/**
 * What to do after a failed deploy, by hand, and how to prevent the next one: advice derived
 * from the incident and its analysis, cause by cause.
 */
import type { Incident, SessionInfo } from '../../core/deploy.js';
import type { IncidentAnalysis } from './analysis.js';
import {
  clipOneLine,
  code,
  formatMs,
  QUERY_CELL_CHARS,
  r,
  richPlain,
  type Advice,
  type Rich,
} from './rich.js';

const DB = '"$DATABASE_URL"';

export function fixByHand(incident: Incident, a: IncidentAnalysis): Advice[] {
  const out: Advice[] = [];
  const step = a.planStep;
  const words = a.words;
  out.push({
    text: r`See what the journal recorded and what is applied now (target ${incident.target}): ${code(`schemapilot status --db ${DB}`)}.`,
  });

  if (incident.rollbackErrors.length > 0) {
    const failed = incident.rollbackErrors.map((e) => e.step);
    out.push({
      text: r`The automatic rollback failed on ${failed.join(', ')}. Fix what its error says, then finish the rollback: ${code(`schemapilot rollback --db ${DB}`)} undoes the steps still applied, last first.`,
    });
  }
  if (a.remaining.length > 0 && incident.rollbackErrors.length > 0) {
    out.push({
      text: r`Or run the remaining rollback SQL by hand, in this order (the plan's rollback of ${a.remaining.map((x) => x.step).join(', ')}); stop at the first error:`,
      sql: a.remaining.flatMap((x) => x.sql),
    });
  }
  for (const id of a.irreversible)
    out.push({
      text: r`Step ${code(id)} cannot be undone: its data is gone; restore it from a backup if needed.`,
    });
  for (const index of incident.invalidIndexes.filter((i) => !i.dropped)) {
    out.push({
      text: r`Drop the ${words.leftover.what} ${code(index.name)} ${words.leftover.cause}:`,
      sql: [words.leftover.drop(index.name)],
    });
  }

  const resume = r`Rerun ${code(`schemapilot deploy plan.json --db ${DB}`)} with the same plan: it resumes from the journal, skips the steps still applied and runs the rest.`;
  switch (incident.cause) {
    case 'lock timeout': {
      if (a.blockers.length === 0) {
        out.push({
          text: r`No blocking session was captured. Find who holds locks on ${step?.lock ? code(step.lock.table) : 'the table'} now:`,
          sql: [words.lockHolders(step?.lock?.table ?? null)],
        });
      }
      for (const { session } of a.blockers) {
        const who = sessionWords(session);
        const idle = words.idleInTransaction(session.state);
        out.push({
          text: r`Session ${code(session.pid)}${who} held the lock${session.transactionAgeMs !== null ? r` in a transaction open for ${formatMs(session.transactionAgeMs)}` : []}${session.query ? r`, running ${code(clipOneLine(session.query, QUERY_CELL_CHARS))}` : []}. Wait for it to finish, or ask its owner to end it. Only if ending it is safe (not a job mid-write whose work matters), terminate it${idle ? ' (it is idle in a transaction: cancelling its query would not release the lock)' : ''}:`,
          sql: [words.endSession(session.pid)],
        });
      }
      if (a.blockers.length > 0) {
        out.push({
          text: r`Check that it is gone and that nothing else holds a lock on ${step?.lock ? code(step.lock.table) : 'the table'}:`,
          sql: [words.lockHolders(step?.lock?.table ?? null)],
        });
      }
      out.push({ text: resume });
      break;
    }
    case 'blocking others': {
      const pids = a.blocked.map((s) => s.session.pid);
      out.push({
        text: pids.length
          ? r`Sessions ${pids.join(', ')} waited behind our statement; they were released when it was cancelled. Nothing needs ending.`
          : r`The sessions that waited behind our statement were released when it was cancelled. Nothing needs ending.`,
      });
      out.push({
        text: r`Rerun the deploy when traffic on ${step?.lock ? code(step.lock.table) : 'the table'} is lower, or with a higher ${code('--max-blocking-ms')} if those waits are acceptable. ${resume}`,
      });
      break;
    }
    case 'error': {
      if (a.violations.length > 0) {
        for (const v of a.violations) {
          out.push({
            text: v.check
              ? r`Find the rows that break it (from the pre-check "${v.check.description}"), then fix, backfill or delete them:`
              : r`Find the rows that break it, then fix, backfill or delete them:`,
            sql: [v.sql],
          });
        }
        out.push({ text: r`When the query above returns no rows: ${resume}` });
      } else if (words.violation(incident.error.sqlstate) !== null) {
        out.push({
          text: r`Existing rows break the constraint: find them from the error's message (PostgreSQL: its DETAIL) and fix, backfill or delete them. Then: ${resume}`,
        });
      } else {
        out.push({
          text: r`Fix what the error says (${words.codeLabel} ${code(incident.error.sqlstate ?? 'none')}), then: ${resume}`,
        });
      }
      break;
    }
    case 'step budget': {
      const backfill = incident.failedStep.backfill;
      out.push({
        text: backfill
          ? r`The backfill stopped after ${backfill.rows} rows${backfill.lastKey !== null ? r` (last key ${code(backfill.lastKey)})` : []}; a rerun continues after it. ${resume}`
          : r`Give the step more time with ${code('--step-budget-ms')} (and if the statement itself timed out, plan again with a larger ${code('--statement-timeout-ms')}), then: ${resume}`,
      });
      break;
    }
    case 'total budget':
      out.push({
        text: r`Nothing is wrong with the step itself. Allow more time with ${code('--total-budget-ms')} if needed. ${resume}`,
      });
      break;
    case 'connection lost':
      out.push({
        text: r`Check that the database answers again (the status command above), then: ${resume} A step whose last statement did commit is found done in the journal and skipped.`,
      });
      break;
  }
  if (incident.rollbackErrors.length === 0 && a.stillApplied.length > 0) {
    out.push({
      text: r`To give up instead and undo the steps still applied (${a.stillApplied.join(', ')}): ${code(`schemapilot rollback --db ${DB}`)}${a.remaining.length > 0 ? ', or run this rollback SQL by hand, in this order, stopping at the first error:' : '.'}`,
      ...(a.remaining.length > 0 ? { sql: a.remaining.flatMap((x) => x.sql) } : {}),
    });
  }
  return out;
}

export function prevention(incident: Incident, a: IncidentAnalysis): Advice[] {
  const out: Advice[] = [];
  const words = a.words;
  const table = a.planStep?.lock?.table;
  const longTransactions: Advice = {
    text: r`Find long transactions before deploying, and end or wait for them:`,
    sql: [words.longTransactions],
  };
  switch (incident.cause) {
    case 'lock timeout':
      out.push(
        { text: r`Run the deploy during low traffic${table ? r` on ${code(table)}` : []}.` },
        longTransactions,
        {
          text: r`Set ${code(words.idleTimeout.setting)} for ${words.idleTimeout.who}, so a forgotten transaction cannot hold locks for long.`,
        },
        {
          text: r`Raise ${code('--retries')}, or ${code(words.lockTimeoutSetting)} (${code('schemapilot plan --lock-timeout-ms')}): a longer ${words.lockTimeoutSetting} makes other sessions queue behind us longer, so prefer more retries.`,
        },
      );
      break;
    case 'blocking others':
      out.push(
        { text: r`Run the deploy during low traffic${table ? r` on ${code(table)}` : []}.` },
        longTransactions,
        {
          text: r`Keep ${code(words.lockTimeoutSetting)} short so a waiting deploy holds others back for less time, and rely on retries.`,
        },
      );
      break;
    case 'error':
      if (words.violation(incident.error.sqlstate) !== null)
        out.push(
          {
            text: r`Check the plan against real data before deploying: ${code(`schemapilot check --db ${DB} --dry-run --sample-rows 10000`)}, or against generated rows with ${code('--synthesize 1000')}.`,
          },
          {
            text: r`Fix or backfill the data first (a separate migration), and keep the application from writing rows that break the new constraint.`,
          },
        );
      else
        out.push({
          text: r`Prove the plan on a scratch copy first: ${code(`schemapilot check --db ${DB} --dry-run --synthesize 1000`)}.`,
        });
      break;
    case 'step budget':
      out.push(
        {
          text: r`Measure on realistic data first: ${code(`schemapilot check --db ${DB} --dry-run --sample-rows 10000`)}, and give long steps (index builds, validations, backfills) a ${code('--step-budget-ms')} that fits the table's size.`,
        },
        { text: r`Run long steps during low traffic, when they go faster.` },
      );
      break;
    case 'total budget':
      out.push(
        { text: r`Raise ${code('--total-budget-ms')}, or split the migration into smaller deploys.` },
        { text: r`Run long deploys during low traffic.` },
      );
      break;
    case 'connection lost':
      out.push({
        text: r`Run deploys from a host close to the database (not over a VPN or a flaky link), and with ${code('--query-timeout')} long enough for the slowest housekeeping query.`,
      });
      break;
  }
  if (incident.rollbackErrors.length > 0)
    out.push({
      text: r`Prove the rollback too before deploying: ${code(`schemapilot validate --db ${DB}`)} applies the plan and its rollback on a scratch database.`,
    });
  if (incident.invalidIndexes.length > 0)
    out.push({
      text: r`Online builds fail on duplicates or deadlocks and leave things behind (${words.leftover.what}): check the data with ${code('schemapilot check --synthesize 1000')} and build during low write traffic.`,
    });
  if (!out.some((x) => richPlain(x.text).includes('check')))
    out.push({
      text: r`Run ${code(`schemapilot check --db ${DB} --dry-run --synthesize 1000`)} before each deploy.`,
    });
  return out;
}

function sessionWords(s: SessionInfo): Rich {
  const parts: Rich[] = [];
  if (s.user) parts.push(r`user ${s.user}`);
  if (s.application) parts.push(r`application ${s.application}`);
  if (s.clientAddress) parts.push(r`from ${s.clientAddress}`);
  if (s.state) parts.push(r`${s.state}`);
  if (parts.length === 0) return [];
  const out: Rich = [' ('];
  parts.forEach((p, i) => {
    if (i > 0) out.push(', ');
    out.push(...p);
  });
  out.push(')');
  return out;
}
