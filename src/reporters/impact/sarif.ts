/**
 * SARIF results on the services' own files: one per query that breaks, located in the service
 * (its path relative to the service root, the service's name as the uriBaseId, which a consumer
 * maps to the checkout in `originalUriBaseIds` or its own settings).
 */
import { createHash } from 'node:crypto';
import type { ImpactResult } from '../../core/impact.js';
import { sarifLog } from '../sarif.js';

export const IMPACT_RULES = [
  {
    id: 'cross-service-broken',
    name: 'CrossServiceBroken',
    shortDescription: { text: 'A query of another service that the server refuses after the migration' },
    defaultConfiguration: { level: 'error' as const },
    properties: { tags: ['postgresql', 'migration', 'cross-service'] },
  },
  {
    id: 'cross-service-may-break',
    name: 'CrossServiceMayBreak',
    shortDescription: {
      text: 'A query of another service that still compiles but the migration can make fail',
    },
    defaultConfiguration: { level: 'warning' as const },
    properties: { tags: ['postgresql', 'migration', 'cross-service'] },
  },
];

export function impactSarifResults(result: ImpactResult, ruleOffset = 0): object[] {
  return result.affected_services.flatMap((s) =>
    s.queries.map((q) => {
      const rule = q.status === 'broken' ? 0 : 1;
      const why = q.error ? `${q.error.code} ${q.error.message}` : (q.reason ?? '');
      return {
        ruleId: IMPACT_RULES[rule]?.id,
        ruleIndex: ruleOffset + rule,
        level: rule === 0 ? 'error' : 'warning',
        message: {
          text: `${s.service}: this query ${q.status === 'broken' ? 'breaks' : 'may break'} at ${q.breaksAt}: ${why}`,
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: {
                uri: q.file.split('/').map(encodeURIComponent).join('/'),
                uriBaseId: s.service,
              },
              region: { startLine: q.line, startColumn: q.column, snippet: { text: q.sql } },
            },
          },
        ],
        partialFingerprints: {
          'schemapilotImpact/v1': createHash('sha256')
            .update([s.service, q.file, q.sql.replace(/\s+/g, ' ').trim(), q.status].join('\u0000'))
            .digest('hex')
            .slice(0, 32),
        },
        properties: { service: s.service, breaksAt: q.breaksAt, ...(q.error ? { error: q.error } : {}) },
      };
    }),
  );
}

export function renderImpactSarif(result: ImpactResult, options: { toolVersion: string }): string {
  return sarifLog(options.toolVersion, IMPACT_RULES, impactSarifResults(result), {
    services: result.services,
  });
}

/** Analyze's SARIF log with the impact's results and rules added to its run. */
export function addImpactToSarif(sarif: string, result: ImpactResult): string {
  const log = JSON.parse(sarif) as { runs: { tool: { driver: { rules: object[] } }; results: object[] }[] };
  const run = log.runs[0];
  if (!run) return sarif;
  const offset = run.tool.driver.rules.length;
  run.tool.driver.rules.push(...IMPACT_RULES);
  run.results.push(...impactSarifResults(result, offset));
  return `${JSON.stringify(log, null, 2)}\n`;
}
