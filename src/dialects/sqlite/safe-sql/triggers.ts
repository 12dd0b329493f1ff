/**
 * Triggers that keep columns in step while old and new code run side by side, as SQLite has
 * them: a trigger cannot assign to NEW, so AFTER INSERT and AFTER UPDATE OF triggers update the
 * row they fired for, found by its rowid. With recursive_triggers OFF (the default) the UPDATE a
 * trigger makes does not fire it again. https://www.sqlite.org/lang_createtrigger.html
 */
import type { GeneratedNames, SafeSql } from '../../../core/dialect/safe-sql.js';

/** `NEW.b = NEW.a` → `"b" = NEW.a`: an assignment of the per-event spec as an UPDATE's SET item. */
function setItem(assignment: string): string {
  const eq = assignment.indexOf('=');
  const target = assignment
    .slice(0, eq)
    .trim()
    .replace(/^NEW\./i, '');
  return `${target} = ${assignment.slice(eq + 1).trim()}`;
}

export function sqliteTriggers(names: GeneratedNames): SafeSql['triggers'] {
  return {
    sync(q, spec) {
      const schema = spec.table.slice(0, spec.table.indexOf('.'));
      const on = q.table(spec.table);
      const named = (name: string) => q.table(`${schema}.${name}`);
      if (!spec.perEvent)
        return {
          create: [
            `-- SQLite: AFTER INSERT and AFTER UPDATE triggers on ${on}, each an UPDATE of the row by its rowid`,
          ],
          drop: [],
          dropIfExists: [],
        };
      const events = [
        { name: names.bounded(spec.name, '_ins'), event: 'INSERT', set: spec.perEvent.insert },
        { name: names.bounded(spec.name, '_upd'), event: 'UPDATE', set: spec.perEvent.update },
      ];
      return {
        create: events.map(
          (e) =>
            `CREATE TRIGGER ${named(e.name)} AFTER ${e.event} ON ${on} FOR EACH ROW BEGIN UPDATE ${on} SET ${e.set.map(setItem).join(', ')} WHERE rowid = NEW.rowid; END`,
        ),
        drop: events.map((e) => `DROP TRIGGER ${named(e.name)}`),
        dropIfExists: events.map((e) => `DROP TRIGGER IF EXISTS ${named(e.name)}`),
      };
    },
    // Inside the trigger the new row's columns are NEW.<column>.
    overNew: (expression) => expression,
  };
}
