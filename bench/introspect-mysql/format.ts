/** The bench/RESULTS.md section of the MySQL inspect benchmark (index.ts). */
import { fmtMs, median } from '../lib.js';
import type { MysqlIntrospectResult } from './index.js';

const TARGET_MS = 2000;
const n = (value: number) => value.toLocaleString('en');

export function formatMysqlIntrospect(r: MysqlIntrospectResult): string {
  const c = r.counts;
  const inProcess = median(r.inProcessMs);
  const whole = median(r.nodeProcessMs);
  const start = median(r.nodeStartMs);
  // The first query reads DATABASE() and VERSION(), with SCHEMATA in a subquery.
  const sources = r.catalogQueries.map((q) => /\bFROM information_schema\.(\w+)/i.exec(q.sql)?.[1] ?? '?');
  const queryMs = r.catalogQueries.reduce((sum, q) => sum + q.ms, 0);
  const breakdown = r.catalogQueries
    .map((q, i) => `| ${sources[i]} | ${n(q.rows)} | ${fmtMs(q.ms)} |`)
    .concat(
      `| all ${r.catalogQueries.length} queries | | **${fmtMs(queryMs)}** |`,
      `| joined and sorted in memory (the read's remainder) | | ${fmtMs(r.countedReadMs - queryMs)} |`,
    );
  const rows = [
    `| \`inspectMysql(url)\` in process: connect, ${r.catalogQueries.length} catalog queries, assembly (median of ${r.inProcessMs.length}, after 1 warm-up) | **${fmtMs(inProcess)}** |`,
    `| \`JSON.stringify\` of that snapshot (${(r.jsonBytes / 2 ** 20).toFixed(1)} MiB), not included above | ${fmtMs(median(r.stringifyMs))} |`,
    `| \`node -e 0\`: node's own start (median of ${r.nodeStartMs.length}) | ${fmtMs(start)} |`,
    `| whole \`node\` process: import dist/dialects/mysql/introspect.js, inspect, JSON to /dev/null (median of ${r.nodeProcessMs.length}) | **${fmtMs(whole)}** |`,
    r.dumpMs === null
      ? '| `mariadb-dump --no-data` | not installed |'
      : `| \`mariadb-dump --no-data\`, for scale (median of ${r.dumpMs.length}) | ${fmtMs(median(r.dumpMs))} |`,
  ];
  const verdict = (ms: number) => (ms <= TARGET_MS ? 'met' : '**missed**');
  return [
    `Scratch database built in ${fmtMs(r.buildMs)} and dropped after the run. Read back by inspect: ` +
      `${n(c.tables)} tables (${c.partitioned} partitioned into ${c.partitions} partitions, ${c.myisam} MyISAM), ${c.views} views, ` +
      `${n(c.columns)} columns, ${n(c.indexes)} indexes (primary keys included; ${c.fulltext} FULLTEXT, ${c.spatial} SPATIAL), ` +
      `${n(c.foreignKeys)} foreign keys, ${n(c.checks)} CHECK constraints (MariaDB's JSON columns' \`json_valid\` included), ${c.triggers} triggers.`,
    '',
    '| measure | time |',
    '| --- | --- |',
    ...rows,
    '',
    `Statements one inspect sends, whatever the number of tables: ${r.catalogQueries.length} catalog queries ` +
      `(information_schema ${sources.join(', ')}) and ${r.otherStatements.map((s) => `\`${s}\``).join(', ')}; ` +
      'connecting adds `SELECT VERSION()` and three `SET SESSION`s. `inspectMysql` spreads the ' +
      'queries over three sessions; where a read on one session, the queries in turn ' +
      `(${fmtMs(r.countedReadMs)}, connect excluded, timed once after the rounds above), spends its time:`,
    '',
    '| query (information_schema) | rows | time |',
    '| --- | --- | --- |',
    ...breakdown,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| ${n(c.tables)} tables in ≤ 2 s, in process | ${fmtMs(inProcess)} | ${verdict(inProcess)} |`,
    `| ${n(c.tables)} tables in ≤ 2 s, whole node process | ${fmtMs(whole)} | ${verdict(whole)} |`,
  ].join('\n');
}
