/**
 * A deterministic generator of migration SQL for the analyze benchmark: the mix of statements
 * real migration histories hold (column adds and drops, defaults, indexes, foreign keys,
 * checks, type changes, renames, new tables, DML backfills, timeouts, transactions), over a
 * pool of tables that grows as the file creates new ones. The same seed gives the same file
 * byte for byte, so every tool and every run reads the same input.
 *
 * Only syntax that PostgreSQL 11-18, squawk's parser and pgfence's (libpg-query 16) all accept
 * is produced, so the three tools are compared on the same statements.
 */

/** mulberry32: a tiny seeded PRNG; good enough to pick statements, and stable across Node versions. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TableState {
  name: string;
  columns: string[];
  indexes: string[];
  constraints: string[];
}

/**
 * Tables that exist before the migration (a schema snapshot's): the statements name them
 * instead of the built-in dozen. Columns must include `id`; indexes and constraints are names
 * the migration may drop.
 */
export type TablePool = readonly Readonly<TableState>[];

const BASE_TABLES = [
  'users',
  'accounts',
  'orders',
  'order_items',
  'products',
  'invoices',
  'payments',
  'shipments',
  'events',
  'sessions',
  'comments',
  'audit_log',
];
const BASE_COLUMNS = ['id', 'created_at', 'updated_at', 'status', 'owner_id', 'amount', 'note'];
const TYPES = [
  'text',
  'bigint',
  'integer',
  'boolean',
  'timestamptz',
  'numeric(12,2)',
  'jsonb',
  'varchar(64)',
];
const CONSTANT_DEFAULTS: Record<string, string> = {
  text: "''",
  bigint: '0',
  integer: '0',
  boolean: 'false',
  timestamptz: "'2020-01-01'",
  'numeric(12,2)': '0',
  jsonb: "'{}'::jsonb",
  'varchar(64)': "'none'",
};

class Generator {
  private readonly tables: TableState[];
  /** How many tables existed before the migration: those are never dropped, so the pool never empties. */
  private readonly existing: number;
  private serial = 0;

  constructor(
    private readonly rand: () => number,
    pool?: TablePool,
  ) {
    this.tables = pool
      ? pool.map((t) => ({
          name: t.name,
          columns: [...t.columns],
          indexes: [...t.indexes],
          constraints: [...t.constraints],
        }))
      : BASE_TABLES.map((name) => ({
          name,
          columns: [...BASE_COLUMNS],
          indexes: [`${name}_pkey`],
          constraints: [],
        }));
    this.existing = this.tables.length;
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.rand() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  private chance(p: number): boolean {
    return this.rand() < p;
  }

  private fresh(prefix: string): string {
    return `${prefix}_${++this.serial}`;
  }

  private table(): TableState {
    return this.pick(this.tables);
  }

  /** A column that is not the key, so drops and renames never leave a table without `id`. */
  private column(t: TableState): string {
    const candidates = t.columns.filter((c) => c !== 'id');
    return candidates.length > 0 ? this.pick(candidates) : 'id';
  }

  private addColumn(t: TableState): string {
    const name = this.fresh('col');
    const type = this.pick(TYPES);
    t.columns.push(name);
    const roll = this.rand();
    let tail = '';
    if (roll < 0.35) tail = '';
    else if (roll < 0.6) tail = ` NOT NULL DEFAULT ${CONSTANT_DEFAULTS[type] ?? "''"}`;
    else if (roll < 0.7) tail = ` DEFAULT ${CONSTANT_DEFAULTS[type] ?? "''"}`;
    else if (roll < 0.78 && type === 'timestamptz') tail = ' NOT NULL DEFAULT now()';
    else if (roll < 0.84 && (type === 'text' || type === 'varchar(64)'))
      tail = ' DEFAULT md5(random()::text)';
    else if (roll < 0.9) tail = ' NOT NULL';
    else tail = ` REFERENCES ${this.table().name} (id)`;
    const ine = this.chance(0.3) ? 'IF NOT EXISTS ' : '';
    return `ALTER TABLE ${t.name} ADD COLUMN ${ine}${name} ${type}${tail};`;
  }

  private dropColumn(t: TableState): string {
    const column = this.column(t);
    if (column === 'id') return this.addColumn(t);
    t.columns.splice(t.columns.indexOf(column), 1);
    return `ALTER TABLE ${t.name} DROP COLUMN ${this.chance(0.5) ? 'IF EXISTS ' : ''}${column};`;
  }

  private alterColumn(t: TableState): string {
    const column = this.column(t);
    const col = `ALTER TABLE ${t.name} ALTER COLUMN ${column}`;
    switch (Math.floor(this.rand() * 7)) {
      case 0:
        return `${col} SET DEFAULT 0;`;
      case 1:
        return `${col} DROP DEFAULT;`;
      case 2:
        return `${col} SET NOT NULL;`;
      case 3:
        return `${col} DROP NOT NULL;`;
      case 4:
        return `${col} TYPE bigint;`;
      case 5:
        return `${col} TYPE varchar(255);`;
      default:
        return `${col} TYPE text USING ${column}::text;`;
    }
  }

  private createIndex(t: TableState): string {
    const name = this.fresh(`${t.name}_idx`);
    t.indexes.push(name);
    const unique = this.chance(0.2) ? 'UNIQUE ' : '';
    const concurrently = this.chance(0.45) ? 'CONCURRENTLY ' : '';
    const ine = this.chance(0.3) ? 'IF NOT EXISTS ' : '';
    const cols = this.chance(0.3) ? `${this.column(t)}, ${this.column(t)}` : this.column(t);
    const where = this.chance(0.15) ? ` WHERE ${this.column(t)} IS NOT NULL` : '';
    return `CREATE ${unique}INDEX ${concurrently}${ine}${name} ON ${t.name} (${cols})${where};`;
  }

  private dropIndex(t: TableState): string {
    const candidates = t.indexes.filter((i) => !i.endsWith('_pkey'));
    if (candidates.length === 0) return this.createIndex(t);
    const index = this.pick(candidates);
    t.indexes.splice(t.indexes.indexOf(index), 1);
    const concurrently = this.chance(0.5) ? 'CONCURRENTLY ' : '';
    return `DROP INDEX ${concurrently}${this.chance(0.5) ? 'IF EXISTS ' : ''}${index};`;
  }

  private addConstraint(t: TableState): string {
    const roll = this.rand();
    const notValid = this.chance(0.4) ? ' NOT VALID' : '';
    if (roll < 0.4) {
      const name = this.fresh(`${t.name}_fk`);
      t.constraints.push(name);
      const parent = this.table();
      return `ALTER TABLE ${t.name} ADD CONSTRAINT ${name} FOREIGN KEY (${this.column(t)}) REFERENCES ${parent.name} (id)${notValid};`;
    }
    if (roll < 0.8) {
      const name = this.fresh(`${t.name}_check`);
      t.constraints.push(name);
      return `ALTER TABLE ${t.name} ADD CONSTRAINT ${name} CHECK (${this.column(t)} IS NOT NULL)${notValid};`;
    }
    if (roll < 0.9) {
      const name = this.fresh(`${t.name}_key`);
      t.constraints.push(name);
      return `ALTER TABLE ${t.name} ADD CONSTRAINT ${name} UNIQUE (${this.column(t)});`;
    }
    if (t.constraints.length === 0) return this.addConstraint(t);
    return `ALTER TABLE ${t.name} VALIDATE CONSTRAINT ${this.pick(t.constraints)};`;
  }

  private dropConstraint(t: TableState): string {
    if (t.constraints.length === 0) return this.addConstraint(t);
    const name = this.pick(t.constraints);
    t.constraints.splice(t.constraints.indexOf(name), 1);
    return `ALTER TABLE ${t.name} DROP CONSTRAINT ${this.chance(0.5) ? 'IF EXISTS ' : ''}${name};`;
  }

  private rename(t: TableState): string {
    if (this.chance(0.75)) {
      const column = this.column(t);
      if (column === 'id') return this.addColumn(t);
      const newName = this.fresh('renamed');
      t.columns[t.columns.indexOf(column)] = newName;
      return `ALTER TABLE ${t.name} RENAME COLUMN ${column} TO ${newName};`;
    }
    const newName = this.fresh(t.name.replace(/_\d+$/, ''));
    const old = t.name;
    t.name = newName;
    return `ALTER TABLE ${old} RENAME TO ${newName};`;
  }

  private createTable(): string {
    const name = this.fresh('tbl');
    const parent = this.table();
    const extra = [this.fresh('col'), this.fresh('col')];
    this.tables.push({
      name,
      columns: [...BASE_COLUMNS, ...extra],
      indexes: [`${name}_pkey`],
      constraints: [],
    });
    const ine = this.chance(0.3) ? 'IF NOT EXISTS ' : '';
    const idType = this.chance(0.5) ? 'bigint GENERATED BY DEFAULT AS IDENTITY' : 'bigserial';
    return [
      `CREATE TABLE ${ine}${name} (`,
      `  id ${idType} PRIMARY KEY,`,
      `  created_at timestamptz NOT NULL DEFAULT now(),`,
      `  updated_at timestamptz,`,
      `  status text NOT NULL DEFAULT 'new',`,
      `  owner_id bigint REFERENCES ${parent.name} (id),`,
      `  amount numeric(12,2) CHECK (amount >= 0),`,
      `  note varchar(200),`,
      `  ${extra[0] ?? 'a'} integer,`,
      `  ${extra[1] ?? 'b'} jsonb`,
      `);`,
    ].join('\n');
  }

  private dropTable(): string {
    // Only tables the migration created are dropped, so the pool never empties.
    if (this.tables.length <= this.existing) return this.createTable();
    const index = this.existing + Math.floor(this.rand() * (this.tables.length - this.existing));
    const [t] = this.tables.splice(index, 1);
    return `DROP TABLE ${this.chance(0.6) ? 'IF EXISTS ' : ''}${t?.name ?? 'x'}${this.chance(0.1) ? ' CASCADE' : ''};`;
  }

  private dml(t: TableState): string {
    const column = this.column(t);
    switch (Math.floor(this.rand() * 4)) {
      case 0:
        return `UPDATE ${t.name} SET ${column} = DEFAULT WHERE id BETWEEN ${this.serial} AND ${this.serial + 10000};`;
      case 1:
        return `UPDATE ${t.name} SET updated_at = now();`;
      case 2:
        return `DELETE FROM ${t.name} WHERE created_at < now() - interval '90 days';`;
      default:
        return `INSERT INTO ${t.name} (id, status) VALUES (${this.serial}, 'seed') ON CONFLICT DO NOTHING;`;
    }
  }

  private setting(): string {
    switch (Math.floor(this.rand() * 4)) {
      case 0:
        return `SET lock_timeout = '${this.pick(['1s', '2s', '5s', '30s'])}';`;
      case 1:
        return `SET statement_timeout = '${this.pick(['5min', '30s', '1h'])}';`;
      case 2:
        return `SET LOCAL lock_timeout = '3s';`;
      default:
        return `RESET lock_timeout;`;
    }
  }

  private other(t: TableState): string {
    switch (Math.floor(this.rand() * 8)) {
      case 0: {
        const view = this.fresh(`${t.name}_view`);
        return `CREATE OR REPLACE VIEW ${view} AS SELECT id, ${this.column(t)} FROM ${t.name} WHERE id > 0;`;
      }
      case 1:
        return `COMMENT ON TABLE ${t.name} IS 'owned by team ${this.serial % 7}';`;
      case 2:
        return `GRANT SELECT ON ${t.name} TO reporting;`;
      case 3: {
        const type = this.fresh('kind');
        return `CREATE TYPE ${type} AS ENUM ('a', 'b', 'c');`;
      }
      case 4:
        return `ANALYZE ${t.name};`;
      case 5:
        return `ALTER TABLE ${t.name} ADD COLUMN ${this.fresh('col')} bigint GENERATED ALWAYS AS (id * 2) STORED;`;
      case 6:
        return `TRUNCATE ${t.name};`;
      default:
        return `CREATE INDEX CONCURRENTLY ${this.fresh(`${t.name}_lower_idx`)} ON ${t.name} (lower(status));`;
    }
  }

  /** One statement (a CREATE TABLE spans lines; everything else is one line). */
  statement(): string {
    const t = this.table();
    const roll = this.rand();
    if (roll < 0.16) return this.addColumn(t);
    if (roll < 0.22) return this.dropColumn(t);
    if (roll < 0.34) return this.alterColumn(t);
    if (roll < 0.46) return this.createIndex(t);
    if (roll < 0.5) return this.dropIndex(t);
    if (roll < 0.6) return this.addConstraint(t);
    if (roll < 0.63) return this.dropConstraint(t);
    if (roll < 0.68) return this.rename(t);
    if (roll < 0.75) return this.createTable();
    if (roll < 0.77) return this.dropTable();
    if (roll < 0.85) return this.dml(t);
    if (roll < 0.91) return this.setting();
    return this.other(t);
  }

  /**
   * `count` statements. Every so often a run of them is wrapped in BEGIN … COMMIT, as
   * hand-written migrations do; CONCURRENTLY never lands inside one (it would be an error).
   */
  statements(count: number): string[] {
    const out: string[] = [];
    while (out.length < count) {
      if (count - out.length >= 6 && this.chance(0.05)) {
        const inner: string[] = [];
        while (inner.length < 4) {
          const s = this.statement();
          if (!s.includes('CONCURRENTLY')) inner.push(s);
        }
        out.push('BEGIN;', ...inner, 'COMMIT;');
      } else {
        out.push(this.statement());
      }
    }
    return out.slice(0, count);
  }
}

/**
 * A file of exactly `count` statements, one blank line between them; over `pool` (tables that
 * exist before it, e.g. a snapshot's) when given, else over a dozen built-in tables.
 */
export function generateMigration(count: number, seed = 20261125, pool?: TablePool): string {
  const gen = new Generator(seededRandom(seed), pool);
  const over = pool ? `, over ${pool.length} existing tables` : '';
  return `-- generated by bench/analyze/generate.ts (seed ${seed}, ${count} statements${over})\n\n${gen
    .statements(count)
    .join('\n\n')}\n`;
}
