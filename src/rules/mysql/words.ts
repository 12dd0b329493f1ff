/** Words shared by the MySQL rules' messages: names as users write them, sizes, the server. */
import type { RuleContext } from '../../core/rule.js';
import { isMariadbKey } from './online.js';

/**
 * A qualified name as users know it. Without a connection the MySQL dialect qualifies names
 * with the placeholder `default` (the unknown current database): that part is left out.
 */
export function shown(name: string): string {
  return name.startsWith('default.') ? name.slice('default.'.length) : name;
}

/** `shop.users (~1,000,000 rows)` when the size is known. */
export function sized(ctx: RuleContext, table: string): string {
  const rows = ctx.table(table)?.stats.rowEstimate;
  return rows === null || rows === undefined || !ctx.schemaKnown
    ? shown(table)
    : `${shown(table)} (~${rows.toLocaleString('en')} rows)`;
}

/** The server the analysis targets, from its fact key: "MariaDB 10.11" or "MySQL 8.0". */
export function serverWords(major: number): string {
  const major1 = Math.floor(major / 10000);
  const minor = Math.floor(major / 100) % 100;
  return `${isMariadbKey(major) ? 'MariaDB' : 'MySQL'} ${major1}.${minor}`;
}

/** What a copy costs, in users' words. */
export function copyCost(ctx: RuleContext, table: string): string {
  return `writes to ${sized(ctx, table)} wait until every row is copied, the server needs free disk for a second copy, and replicas replay the ALTER only after it finished here (they lag as long again)`;
}

/** The table's default charset and the column's current one, lower case. */
export function charsetOf(ctx: RuleContext, table: string, column?: string): string | null {
  const t = ctx.table(table);
  const c = column ? t?.columns.find((x) => x.name === column)?.charset : undefined;
  return (c ?? t?.charset ?? null)?.toLowerCase() ?? null;
}
