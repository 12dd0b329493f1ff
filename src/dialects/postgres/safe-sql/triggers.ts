/**
 * A BEFORE INSERT OR UPDATE trigger that keeps a new column in step while old and new code
 * run side by side: the "expand" half of expand/contract, used for renames, type changes and
 * computed columns, by rules' safe alternatives and plan steps alike.
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import { dollarQuote } from '../quote.js';

export const triggers: SafeSql['triggers'] = {
  sync(q, spec) {
    const schema = spec.table.slice(0, spec.table.indexOf('.'));
    const fn = spec.qualifyFunction
      ? `${q.ident(schema)}.${q.ident(spec.name)}`
      : q.table(`${schema}.${spec.name}`);
    const trigger = q.ident(spec.name);
    const on = q.table(spec.table);
    // The tag is chosen so that no name or literal in the body can end the function early.
    const body = dollarQuote(
      ['', 'BEGIN', ...spec.body.map((line) => `  ${line}`), '  RETURN NEW;', 'END', ''].join('\n'),
      spec.tag ?? 'sync',
    );
    return {
      create: [
        `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${body}`,
        // EXECUTE FUNCTION is the PostgreSQL 11+ spelling; 10 only knows EXECUTE PROCEDURE.
        `CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${on} FOR EACH ROW EXECUTE ${spec.major >= 11 ? 'FUNCTION' : 'PROCEDURE'} ${fn}()`,
      ],
      drop: [`DROP TRIGGER ${trigger} ON ${on}`, `DROP FUNCTION ${fn}()`],
      dropIfExists: [`DROP TRIGGER IF EXISTS ${trigger} ON ${on}`, `DROP FUNCTION IF EXISTS ${fn}()`],
    };
  },
  // The sub-select exposes NEW's fields under their column names, so the user's expression
  // works unchanged inside the trigger.
  overNew: (expression) => `(SELECT ${expression} FROM (SELECT NEW.*) AS new_row)`,
};
