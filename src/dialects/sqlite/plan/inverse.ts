/**
 * Rollbacks of statements SQLite runs as written, where the planner's (PostgreSQL's spelling)
 * does not parse on SQLite: DROP COLUMN has no IF EXISTS there, DROP TRIGGER no ON.
 * https://www.sqlite.org/lang_altertable.html, https://www.sqlite.org/lang_droptrigger.html
 */
import type { Change } from '../../../core/change.js';
import type { ChangeInverse } from '../../../core/dialect/language.js';
import type { Quoter } from '../../../core/rule.js';

/** SQLite's rollback of the Change; undefined: the planner's own is right. */
export function sqliteInverse(q: Quoter, change: Change): ChangeInverse | undefined {
  switch (change.kind) {
    case 'add column':
      // A column ADD COLUMN could add, DROP COLUMN can drop (3.35.0+): nothing else names it yet.
      return {
        sql: [`ALTER TABLE ${q.table(change.table)} DROP COLUMN ${q.ident(change.column.name)}`],
        reversible: true,
      };
    case 'create trigger': {
      const schema = change.table.slice(0, change.table.indexOf('.'));
      return { sql: [`DROP TRIGGER IF EXISTS ${q.table(`${schema}.${change.name}`)}`], reversible: true };
    }
    default:
      return undefined;
  }
}
