import { defineRule } from '../core/rule.js';

/** A statement schemapilot does not model is reported, never silently passed. */
export default defineRule({
  meta: {
    id: 'unrecognized-statement',
    category: 'hygiene',
    severity: 'info',
    description: 'A statement schemapilot does not analyze: review its locks by hand',
    kinds: ['unknown'],
    scalesWithSize: false,
    skipNewTables: false,
  },
  check({ change }) {
    if (change.kind !== 'unknown') return [];
    return [
      {
        message: `${change.statementType} is not analyzed by schemapilot: check what it locks and whether it can be undone yourself.`,
        safeAlternative: null,
      },
    ];
  },
});
