/**
 * Triggers that keep columns in step while old and new code run side by side, as MySQL and
 * MariaDB have them: no trigger functions, one trigger per event (BEFORE INSERT, BEFORE UPDATE),
 * each body one SET statement. One statement needs no BEGIN … END, so the file needs no
 * DELIMITER (a mysql-client command that migration tools do not know); its assignments run in
 * order, each seeing the ones before it.
 * https://dev.mysql.com/doc/refman/8.0/en/trigger-syntax.html
 * https://mariadb.com/kb/en/create-trigger/
 * Several triggers per table and event exist since MySQL 5.7.2 and MariaDB 10.2.3: on older
 * servers a table that already has a BEFORE INSERT or BEFORE UPDATE trigger cannot get ours.
 */
import type { GeneratedNames, SafeSql } from '../../../core/dialect/safe-sql.js';

export function mysqlTriggers(names: GeneratedNames): SafeSql['triggers'] {
  return {
    sync(q, spec) {
      const schema = spec.table.slice(0, spec.table.indexOf('.'));
      const on = q.table(spec.table);
      const events = [
        { name: names.bounded(spec.name, '_ins'), event: 'INSERT', set: spec.perEvent?.insert },
        { name: names.bounded(spec.name, '_upd'), event: 'UPDATE', set: spec.perEvent?.update },
      ];
      const named = (name: string) => q.table(`${schema}.${name}`);
      if (!spec.perEvent)
        return {
          create: [
            `-- MySQL: one BEFORE INSERT and one BEFORE UPDATE trigger on ${on}, each a single SET NEW.<column> = …`,
          ],
          drop: [],
          dropIfExists: [],
        };
      return {
        create: events.map(
          (e) =>
            `CREATE TRIGGER ${named(e.name)} BEFORE ${e.event} ON ${on} FOR EACH ROW SET ${(e.set ?? []).join(', ')}`,
        ),
        drop: events.map((e) => `DROP TRIGGER ${named(e.name)}`),
        dropIfExists: events.map((e) => `DROP TRIGGER IF EXISTS ${named(e.name)}`),
      };
    },
    // Inside a MySQL trigger the new row's columns are NEW.<column>: the caller writes them so.
    overNew: (expression) => expression,
  };
}
