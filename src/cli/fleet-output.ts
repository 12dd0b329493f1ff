/**
 * A FleetReport in the format asked for: what `fleet check` and `fleet report` print.
 */
import type { FleetReport } from '../core/fleet.js';
import type { Painter } from '../reporters/ansi.js';
import { renderFleetMarkdown, renderFleetSarif, renderFleetText } from '../reporters/fleet/index.js';
import { canonicalJson } from '../schema/canonical-json.js';
import { version } from '../core/version.js';

export const FLEET_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type FleetFormat = (typeof FLEET_FORMATS)[number];

export function renderFleet(
  report: FleetReport,
  format: FleetFormat,
  options: { root: string; paint: Painter },
): string {
  switch (format) {
    case 'json':
      return canonicalJson(report, 2) + '\n';
    case 'markdown':
      return renderFleetMarkdown(report);
    case 'sarif':
      return renderFleetSarif(report, { toolVersion: version, root: options.root });
    case 'text':
      return renderFleetText(report, options.paint);
  }
}
