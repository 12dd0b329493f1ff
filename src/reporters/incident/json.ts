/** The incident report as stable JSON, for tools. */
import type { IncidentWords } from '../../core/dialect/deploy.js';
import type { Incident } from '../../core/deploy.js';
import type { Plan } from '../../core/plan.js';
import { analyseIncident } from '../../deploy/incident/analysis.js';
import { richPlain, type Advice } from '../../deploy/incident/rich.js';
import { canonicalJson } from '../../schema/canonical-json.js';

/** Stable JSON: the incident, the verdict, and what to do, as plain strings for tools. */
export function renderIncidentJson(incident: Incident, plan: Plan, words?: IncidentWords): string {
  const a = analyseIncident(incident, plan, words);
  return (
    canonicalJson(
      {
        formatVersion: 1,
        title: richPlain(a.verdict),
        cause: richPlain(a.cause),
        incident,
        stillApplied: a.stillApplied,
        remainingRollbackSql: a.remaining.flatMap((x) => x.sql),
        remainingRollback: a.remaining,
        violatingRowsSql: a.violations.map((v) => v.sql),
        ...(a.statements ? { statements: a.statements } : {}),
        fixByHand: a.fix.map(advicePlain),
        prevent: a.prevent.map(advicePlain),
      },
      2,
    ) + '\n'
  );
}

function advicePlain(advice: Advice): string {
  const text = richPlain(advice.text);
  return advice.sql && advice.sql.length > 0 ? `${text}\n${advice.sql.join(';\n')};` : text;
}
