/**
 * A FleetReport in the format asked for: what `fleet check` and `fleet report` print.
 */
import type { FleetReport } from '../core/fleet.js';
import type { Painter } from '../reporters/ansi.js';
import { canonicalJson } from '../schema/canonical-json.js';

export const FLEET_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type FleetFormat = (typeof FLEET_FORMATS)[number];

export function renderFleet(
  report: FleetReport,
  format: FleetFormat,
  _options: { root: string; paint: Painter },
): string {
  if (format === 'json') return canonicalJson(report, 2);
  return report.services.map((s) => `${s.service}: ${s.verdict} ${s.reasons.join('; ')}`).join('\n');
}
