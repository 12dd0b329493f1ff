/**
 * Which MySQL rule reports a Change that copies the table or blocks writes, so that one
 * statement gets one finding about it: the rule dedicated to the case (its message says why
 * and what to do instead), or mysql-copy-large-table for every other copy.
 */
import type { Change } from '../../core/change.js';
import type { RuleContext } from '../../core/rule.js';
import { parseMysqlType, sameType, writtenType } from './types.js';

const owners = new WeakMap<Change, string | null>();

/**
 * The rule dedicated to this Change's copy or blocking build, judged against the schema at the
 * Change's own turn (remembered for rules that ask again at the statement's end).
 */
export function dedicatedRule(change: Change, ctx: RuleContext): string | null {
  if (owners.has(change)) return owners.get(change) ?? null;
  const owner = change === ctx.change ? judge(change, ctx) : null;
  if (change === ctx.change) owners.set(change, owner);
  return owner;
}

function judge(change: Change, ctx: RuleContext): string | null {
  const tableName = 'table' in change && typeof change.table === 'string' ? change.table : null;
  const table = tableName ? ctx.table(tableName) : undefined;
  if (table?.engine && table.engine.toLowerCase() !== 'innodb') return 'mysql-myisam-alter';
  const fulltext = table?.indexes.some((i) => i.method === 'fulltext') ?? false;
  switch (change.kind) {
    case 'alter column type': {
      const current = table?.columns.find((c) => c.name === change.column);
      if (!current) return null;
      const from = parseMysqlType(current.type);
      const to = writtenType(change.type);
      if (sameType(from, to)) return 'mysql-charset-conversion';
      if (from.base === to.base && (from.base === 'enum' || from.base === 'set'))
        return 'mysql-enum-value-order';
      return 'mysql-column-type-change';
    }
    case 'add constraint':
      return change.constraint.type === 'foreign key' ? 'mysql-foreign-key-copy' : null;
    case 'add column':
      if (change.column.identity) return 'mysql-add-auto-increment';
      return fulltext ? 'mysql-fulltext-blocks-writes' : null;
    case 'add identity':
      return 'mysql-add-auto-increment';
    case 'drop column':
      return fulltext ? 'mysql-fulltext-blocks-writes' : null;
    case 'drop constraint':
      return change.name === 'PRIMARY' ? 'mysql-drop-primary-key' : null;
    case 'create index':
      return change.index.method === 'fulltext' || change.index.method === 'spatial'
        ? 'mysql-fulltext-blocks-writes'
        : null;
    case 'alter table other': {
      const words = change.subtype.toUpperCase();
      if (words.startsWith('CONVERT TO CHARACTER SET')) return 'mysql-charset-conversion';
      if (words.startsWith('ENGINE=')) {
        const engine = words.slice('ENGINE='.length);
        return table?.engine && table.engine.toUpperCase() !== engine ? null : 'mysql-table-rebuild';
      }
      if (/^(ROW_FORMAT|KEY_BLOCK_SIZE)=|^OPTIMIZE TABLE$|^FORCE$/.test(words)) return 'mysql-table-rebuild';
      return null;
    }
    default:
      return null;
  }
}
