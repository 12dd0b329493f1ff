import type { Severity } from '../core/analysis.js';
import type { Rule, RuleCategory } from '../core/rule.js';
import { ENGINE_RULE_IDS } from '../linter/run.js';

/** What a report says about a rule: the registry's meta, plus the rules the engine itself reports. */
export interface RuleInfo {
  id: string;
  category: RuleCategory;
  severity: Severity;
  description: string;
}

type EngineRuleId = (typeof ENGINE_RULE_IDS)[number];

/**
 * The engine's own rules have no file in src/rules (they are about the migration's ignore
 * comments, not about a Change), but their findings appear in results and their ids in the
 * config, so reports and the config schema need a description of them too.
 */
const ENGINE_RULES: Record<EngineRuleId, Omit<RuleInfo, 'id'>> = {
  'invalid-ignore': {
    category: 'hygiene',
    severity: 'warning',
    description:
      'A schemapilot-ignore comment names no rule, an unknown rule, or gives no reason: it ignores nothing',
  },
};

/** Every rule a finding can come from, registry rules first, each id once. */
export function ruleCatalog(rules: readonly Rule[]): RuleInfo[] {
  const fromRegistry = rules.map(({ meta }) => ({
    id: meta.id,
    category: meta.category,
    severity: meta.severity,
    description: meta.description,
  }));
  const engine = ENGINE_RULE_IDS.filter((id) => !rules.some((r) => r.meta.id === id)).map((id) => ({
    id,
    ...ENGINE_RULES[id],
  }));
  return [...fromRegistry, ...engine];
}
