/**
 * A deterministic generator of MySQL/MariaDB migration SQL for the analyze-mysql benchmark: the
 * mix a MySQL history holds (multi-clause ALTER TABLE with and without ALGORITHM/LOCK, column
 * adds, drops and MODIFYs, defaults, indexes, foreign keys, checks, renames, new tables, DML,
 * lock_wait_timeout), over a pool of tables that grows as the file creates new ones. MariaDB
 * 10.11 runs nearly every statement in order (the few it refuses are refused for what earlier
 * ones did: a rename under an index, rows that fail a new CHECK); the same seed gives the same bytes.
 */
import { seededRandom } from '../analyze/generate.js';

interface TableState {
  name: string;
  /** The columns statements may change, with their types; id, created_at, status and owner_id stay. */
  columns: Map<string, string>;
  /** Secondary indexes statements may drop, as `column:name` (the FK's owner index stays). */
  indexes: string[];
  constraints: string[];
}

const STRING_TYPES = new Set(['varchar(64)', 'varchar(255)', 'text']);

export const BASE_TABLES = [
  'users',
  'accounts',
  'orders',
  'order_items',
  'products',
  'invoices',
  'payments',
  'events',
];
const TYPES = [
  'int',
  'bigint',
  'varchar(64)',
  'varchar(255)',
  'text',
  'datetime',
  'decimal(12,2)',
  'json',
  'tinyint(1)',
];
const DEFAULTS: Record<string, string> = {
  int: '0',
  bigint: '0',
  'varchar(64)': "'none'",
  'varchar(255)': "''",
  datetime: 'CURRENT_TIMESTAMP',
  'decimal(12,2)': '0',
  'tinyint(1)': '0',
};

/** The CREATE TABLE of a base table: what the live database of the benchmark starts with. */
export function baseTableDdl(name: string): string {
  return (
    `CREATE TABLE ${name} (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, ` +
    `status varchar(32) NOT NULL DEFAULT 'new', owner_id bigint NULL, amount decimal(12,2) NULL, note text NULL, KEY ${name}_owner (owner_id)) ENGINE=InnoDB`
  );
}

class Generator {
  private readonly tables: TableState[];
  private serial = 0;
  constructor(private readonly rand: () => number) {
    this.tables = BASE_TABLES.map((name) => this.newTable(name, []));
  }
  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.rand() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  private fresh(prefix: string): string {
    return `${prefix}_${++this.serial}`;
  }
  private newTable(name: string, indexes: string[]): TableState {
    const columns = new Map([
      ['amount', 'decimal(12,2)'],
      ['note', 'text'],
    ]);
    return { name, columns, indexes, constraints: [] };
  }
  /** A changeable column, or null when the table has none left. */
  private column(t: TableState): string | null {
    return t.columns.size > 0 ? this.pick([...t.columns.keys()]) : null;
  }
  /** An index key part: a prefix on string columns (text needs one), the column otherwise. */
  private keyPart(t: TableState): [column: string, part: string] {
    const c = this.column(t);
    if (c === null) return ['status', 'status'];
    return [c, STRING_TYPES.has(t.columns.get(c) ?? '') ? `${c}(16)` : c];
  }
  private options(instant: boolean): string {
    const roll = this.rand();
    if (roll < 0.5) return '';
    if (roll < 0.75 || !instant) return ', ALGORITHM=INPLACE, LOCK=NONE';
    return ', ALGORITHM=INSTANT';
  }
  private addColumn(t: TableState): string {
    const name = this.fresh('col');
    const type = this.pick(TYPES);
    const roll = this.rand();
    const def = DEFAULTS[type];
    const after = this.rand() < 0.2 ? ` AFTER ${this.column(t) ?? 'status'}` : '';
    t.columns.set(name, type);
    if (roll < 0.1 && type === 'varchar(64)')
      return `ALTER TABLE ${t.name} ADD COLUMN ${name} char(36) DEFAULT (uuid())${after};`;
    const tail =
      roll < 0.4 || def === undefined ? ' NULL' : roll < 0.7 ? ` NOT NULL DEFAULT ${def}` : ` DEFAULT ${def}`;
    return `ALTER TABLE ${t.name} ADD COLUMN ${name} ${type}${tail}${after}${this.options(true)};`;
  }
  private statement(): string {
    const t = this.pick(this.tables);
    const roll = this.rand();
    if (roll < 0.25) return this.addColumn(t);
    const c = this.column(t);
    if (c === null) return this.addColumn(t);
    if (roll < 0.32) {
      t.columns.delete(c);
      t.indexes = t.indexes.filter((i) => !i.startsWith(`${c}:`));
      return `ALTER TABLE ${t.name} DROP COLUMN ${c};`;
    }
    if (roll < 0.42) {
      const type = this.pick(TYPES);
      t.columns.set(c, type);
      return `ALTER TABLE ${t.name} MODIFY ${c} ${type} NULL;`;
    }
    if (roll < 0.47) return `ALTER TABLE ${t.name} ALTER COLUMN ${c} SET DEFAULT NULL;`;
    if (roll < 0.57) {
      const name = this.fresh(`${t.name}_idx`);
      const unique = this.rand() < 0.2 ? 'UNIQUE ' : '';
      const [column, part] = this.keyPart(t);
      t.indexes.push(`${column}:${name}`);
      return this.rand() < 0.5
        ? `CREATE ${unique}INDEX ${name} ON ${t.name} (${part});`
        : `ALTER TABLE ${t.name} ADD ${unique}INDEX ${name} (${part})${this.options(false)};`;
    }
    if (roll < 0.62 && t.indexes.length > 0) {
      const entry = this.pick(t.indexes);
      t.indexes.splice(t.indexes.indexOf(entry), 1);
      return `ALTER TABLE ${t.name} DROP INDEX ${entry.slice(entry.indexOf(':') + 1)};`;
    }
    if (roll < 0.67) {
      const name = this.fresh(`${t.name}_fk`);
      t.constraints.push(name);
      return `ALTER TABLE ${t.name} ADD CONSTRAINT ${name} FOREIGN KEY (owner_id) REFERENCES ${this.pick(this.tables).name} (id);`;
    }
    if (roll < 0.7) return `ALTER TABLE ${t.name} ADD CONSTRAINT ${this.fresh('ck')} CHECK (status <> '');`;
    if (roll < 0.74) {
      const renamed = this.fresh('renamed');
      const type = t.columns.get(c) ?? 'int';
      t.columns.delete(c);
      t.columns.set(renamed, type);
      return `ALTER TABLE ${t.name} RENAME COLUMN ${c} TO ${renamed};`;
    }
    if (roll < 0.8) {
      const name = this.fresh('tbl');
      this.tables.push(this.newTable(name, []));
      return `${baseTableDdl(name)};`;
    }
    if (roll < 0.88)
      return `UPDATE ${t.name} SET status = 'done' WHERE id < ${Math.floor(this.rand() * 1000)};`;
    if (roll < 0.91) return `INSERT INTO ${t.name} (status) VALUES ('new');`;
    if (roll < 0.94) return 'SET SESSION lock_wait_timeout = 5;';
    if (roll < 0.97)
      return `ALTER TABLE ${t.name} ADD COLUMN ${this.fresh('a')} int NULL, ADD COLUMN ${this.fresh('b')} int NULL, ADD INDEX ${this.fresh('ix')} (id, status);`;
    return `OPTIMIZE TABLE ${t.name};`;
  }
  file(statements: number): string {
    const out: string[] = [];
    for (let i = 0; i < statements; i++) out.push(this.statement());
    return out.join('\n') + '\n';
  }
}

export function generateMysqlMigration(statements: number, seed = 20261207): string {
  return new Generator(seededRandom(seed)).file(statements);
}
