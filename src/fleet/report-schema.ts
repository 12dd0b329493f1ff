/**
 * What a file given to `schemapilot fleet report` must hold before the renderers read it: a
 * `check --format json` report with every field the fleet's text, markdown and SARIF read, or a
 * fleet report whose services carry such reports. A file from another version or edited by
 * hand is then one error naming the file and the JSON path (`orders.json:
 * $.validation.steps: missing (expected array)`), never a TypeError in a renderer.
 *
 * Objects are loose: the check report has many more fields (the plan's steps, each statement's
 * changes …) and the renderers get the file's own value, not a stripped copy.
 */
import { z } from 'zod';

const text = z.string();
const count = z.number().int().min(0);
const position = z.number().int().min(1);
const severity = z.enum(['error', 'warning', 'info']);

const finding = z.looseObject({
  rule: text,
  severity,
  message: text,
  safeAlternative: text.nullable(),
  table: text.optional(),
});

const statement = z.looseObject({
  file: text,
  line: position,
  column: position,
  sql: text,
  // grouping.ts reads the changes for a finding's table; the other statement fields only the
  // analysis' own reporters read, which the fleet does not call.
  changes: z.array(z.looseObject({})),
  findings: z.array(finding),
});

const checklistItem = z.looseObject({ ok: z.boolean(), label: text, reasons: z.array(text) });

const statementRun = z.looseObject({
  sql: text,
  durationMs: z.number(),
  traced: z
    .looseObject({
      locks: z.array(z.looseObject({ relation: text, mode: text })),
      rewrittenTables: z.array(text),
      online: z
        .looseObject({ algorithm: text.nullable().optional(), blocksWrites: z.boolean().optional() })
        .optional(),
    })
    .nullable(),
});

const validation = z.looseObject({
  scratch: z.looseObject({
    major: z.number(),
    kind: text,
    server: text.optional(),
    warning: text.optional(),
  }),
  clone: text,
  steps: z.array(
    z.looseObject({
      step: text,
      statements: z.array(statementRun),
      error: z.looseObject({ message: text, sqlstate: text.optional() }).optional(),
    }),
  ),
  findings: z.array(z.looseObject({ check: text, severity, message: text })),
  passed: z.boolean(),
  durationMs: z.number(),
});

const impact = z.looseObject({
  affected_services: z.array(
    z.looseObject({
      service: text,
      queries: z.array(
        z.looseObject({
          file: text,
          line: position,
          column: position,
          status: text,
          breaksAt: text,
          error: z.looseObject({ code: text, message: text }).optional(),
          reason: text.optional(),
        }),
      ),
    }),
  ),
  services: z.array(
    z.looseObject({
      service: text,
      languages: z.array(text),
      filesScanned: count,
      queriesFound: count,
      queriesChecked: count,
      unresolved: z.array(z.looseObject({ file: text, line: position })),
      alreadyBroken: z.array(z.unknown()),
    }),
  ),
});

/** `check --format json`, as far as the fleet's renderers read it. */
export const checkReportSchema = z.looseObject({
  analysis: z.looseObject({
    dialect: text,
    statements: z.array(statement),
    assessment: z.looseObject({
      breaking_changes: z.array(text),
      performance_impact: text,
      lock_duration_estimate: text,
      recommended_approach: text,
    }),
  }),
  plan: z.looseObject({ steps: z.array(z.unknown()) }),
  validation,
  checklist: z.array(checklistItem),
  safeToDeploy: z.boolean(),
  impact: impact.optional(),
});

const summary = z.looseObject({
  breakingChanges: count,
  lockRisk: text.nullable(),
  lockDuration: text.nullable(),
  planSteps: count.nullable(),
  validation: z.enum(['passed', 'failed', 'not run']),
  servicesAffected: z.array(text),
  servicesChecked: count,
});

/** A FleetReport (`fleet check --format json`, `fleet report --format json`). */
export const fleetReportSchema = z.looseObject({
  safe: z.boolean(),
  since: text.nullable(),
  services: z.array(
    z.looseObject({
      service: text.min(1),
      dialect: text,
      database: text.nullable(),
      owners: z.array(text),
      migrations: z.array(text),
      verdict: z.enum(['safe', 'unsafe', 'skipped', 'failed']),
      reasons: z.array(text),
      summary,
      check: checkReportSchema.optional(),
    }),
  ),
  unchanged: z.array(text),
});
