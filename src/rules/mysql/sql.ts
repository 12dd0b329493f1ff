/**
 * The MySQL/MariaDB SQL that MySQL rules print as safe alternatives, until the dialect has
 * safe-SQL building blocks of its own (RuleContext.sql is null for MySQL): the user's own
 * statement with the online clauses added, ALTER TABLE with them, the online schema change
 * commands for what only a copy can do, and a dump of what is about to be dropped. Names go
 * through the rule's Quoter (backticks); nothing here runs anything.
 */
import type { Quoter } from '../../core/rule.js';

export type OnlineClause = 'ALGORITHM=INSTANT' | 'ALGORITHM=INPLACE, LOCK=NONE';

/** `ALTER TABLE t c1, c2[, online];` */
export function alterTable(
  q: Quoter,
  table: string,
  clauses: readonly string[],
  online?: OnlineClause,
): string {
  return `ALTER TABLE ${q.table(table)} ${[...clauses, ...(online ? [online] : [])].join(', ')};`;
}

const OPTION =
  /\s*,?\s*\b(ALGORITHM|LOCK)\s*=?\s*(DEFAULT|INSTANT|NOCOPY|INPLACE|COPY|NONE|SHARED|EXCLUSIVE)\b/gi;

/** The statement without its ALGORITHM= and LOCK= options (as written, trailing space trimmed). */
export function withoutOnlineOptions(statement: string): string {
  return statement.replace(OPTION, '').trimEnd();
}

/**
 * The user's statement with `clause` in place of any ALGORITHM/LOCK it had: after a comma in
 * ALTER TABLE, after a space in CREATE INDEX (whose options take no commas).
 */
export function withOnlineClause(statement: string, clause: OnlineClause): string {
  const bare = withoutOnlineOptions(statement);
  return /^\s*CREATE\b/i.test(bare) ? `${bare} ${clause.replace(',', '')};` : `${bare}, ${clause};`;
}

const ALTER_HEAD =
  /^\s*ALTER\s+(?:ONLINE\s+|IGNORE\s+)*TABLE\s+(?:`(?:[^`]|``)+`|[\w$]+)(?:\s*\.\s*(?:`(?:[^`]|``)+`|[\w$]+))?\s+/i;

/** What follows `ALTER TABLE name` in the statement, without ALGORITHM/LOCK; null for other statements. */
export function alterClauses(statement: string): string | null {
  const head = ALTER_HEAD.exec(statement);
  if (!head) return null;
  return withoutOnlineOptions(statement.slice(head[0].length))
    .replace(/^\s*,\s*|\s*,\s*$/g, '')
    .trim();
}

/** A shell word in single quotes (backticks and `$` stay literal). */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * pt-online-schema-change and gh-ost running `clauses` on `table`: a trigger- or binlog-driven
 * copy that lets writes go on, throttled on server load, swapped in with a short lock at the
 * end. As comments (they are commands, not SQL); the connection options are the user's.
 * https://docs.percona.com/percona-toolkit/pt-online-schema-change.html
 * https://github.com/github/gh-ost/blob/master/doc/command-line-flags.md
 */
export function onlineSchemaChange(table: string, clauses: string): string[] {
  const dot = table.indexOf('.');
  const schema = table.slice(0, dot);
  const name = table.slice(dot + 1);
  // Without a connection the database is not known: the unqualified placeholder schema is left out.
  const database = schema === 'default' ? '' : `D=${schema},`;
  return [
    '-- run it as an online schema change, which copies in the background while writes go on:',
    `--   pt-online-schema-change --alter ${shellQuote(clauses)} --max-load Threads_running=25 --critical-load Threads_running=50 --chunk-time 0.5 --max-lag 1 --execute ${database}t=${name},h=…,u=…`,
    `--   gh-ost --alter=${shellQuote(clauses)} ${schema === 'default' ? '' : `--database=${schema} `}--table=${name} --max-load=Threads_running=25 --critical-load=Threads_running=50 --chunk-size=1000 --max-lag-millis=1500 --execute`,
  ];
}

/** A dump of a table (or some of its columns' data) taken before it is dropped. */
export function dumpCommand(table: string): string {
  const dot = table.indexOf('.');
  const schema = table.slice(0, dot);
  return `mysqldump --single-transaction ${schema === 'default' ? '<database>' : schema} ${table.slice(dot + 1)} > ${table.slice(dot + 1)}.sql`;
}
