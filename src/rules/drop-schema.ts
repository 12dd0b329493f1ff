import { defineRule } from '../core/rule.js';

/**
 * DROP SCHEMA removes a whole namespace; with CASCADE every table, view, function and type in
 * it goes too, with their data. Without CASCADE it fails unless the schema is empty, which is
 * the check to keep.
 * https://www.postgresql.org/docs/current/sql-dropschema.html
 */
export default defineRule({
  meta: {
    id: 'drop-schema',
    category: 'breaking',
    severity: 'error',
    description: 'DROP SCHEMA removes every object in the schema (with CASCADE) and breaks code that uses it',
    kinds: ['drop schema'],
    scalesWithSize: false,
    skipNewTables: false,
  },
  check({ change, q }) {
    if (change.kind !== 'drop schema') return [];
    return change.schemas.map((schema) => ({
      message: change.cascade
        ? `DROP SCHEMA ${schema} CASCADE drops every table, view, function and type in it, with their data, and breaks all code that uses them.`
        : `DROP SCHEMA ${schema} breaks code that still uses it (it fails unless the schema is empty).`,
      safeAlternative: [
        `-- move or drop what is in ${schema} deliberately, object by object; then, without CASCADE (it fails if anything is left):`,
        `DROP SCHEMA ${q.ident(schema)};`,
      ].join('\n'),
    }));
  },
});
