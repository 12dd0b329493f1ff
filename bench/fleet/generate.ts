/**
 * The fleet `bench fleet` checks: 20 services on 3 shared PostgreSQL databases, in a git
 * repository whose branch `feature` changes the migrations of 5 of them. Each service owns a few
 * tables (its own create-table migrations, in one of three layouts: plain SQL files,
 * golang-migrate `.up.sql`/`.down.sql` pairs, dbmate `-- migrate:up` files) and has code in
 * TypeScript (pg `pool.query`), Python (`cursor.execute`) or Go (`database/sql`) querying its own
 * tables and, for most services, tables that other services on the same database own. The 5
 * changes are a realistic mix: a column and an index, SET NOT NULL, a dropped column two other
 * services still read, a renamed column another reads, and a new index plus a column with a
 * default.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Layout = 'plain' | 'golang-migrate' | 'dbmate';
export type Lang = 'ts' | 'py' | 'go';

interface Table {
  name: string;
  /** Column definitions after `id bigint PRIMARY KEY` (the first is what queries filter on). */
  columns: string[];
  /** Another table of the same service this one references (a foreign key, as services have). */
  parent?: string;
}

export interface GeneratedService {
  name: string;
  database: string;
  layout: Layout;
  lang: Lang;
  tables: Table[];
  /** Tables of other services on its database that its code reads (a join among them or not). */
  reads: string[];
  joins: boolean;
}

const cols = (...names: string[]) => names;

/** Services by database; each owns the tables listed. */
const FLEET: Record<string, { name: string; tables: Table[] }[]> = {
  shop: [
    {
      name: 'orders',
      tables: [
        {
          name: 'orders',
          columns: cols(
            'account_id bigint NOT NULL',
            "status text NOT NULL DEFAULT 'new'",
            'total numeric(12,2) NOT NULL',
            'currency char(3) NOT NULL',
            'placed_at timestamptz NOT NULL DEFAULT now()',
            'note text',
          ),
        },
        {
          name: 'order_items',
          parent: 'orders',
          columns: cols('sku text NOT NULL', 'quantity int NOT NULL', 'unit_price numeric(12,2) NOT NULL'),
        },
      ],
    },
    {
      name: 'billing',
      tables: [
        {
          name: 'invoices',
          columns: cols(
            'order_id bigint NOT NULL',
            'amount numeric(12,2) NOT NULL',
            'issued_at timestamptz NOT NULL DEFAULT now()',
            'due_at timestamptz',
          ),
        },
        {
          name: 'payments',
          parent: 'invoices',
          columns: cols('provider text NOT NULL', 'amount numeric(12,2) NOT NULL', 'captured_at timestamptz'),
        },
      ],
    },
    {
      name: 'inventory',
      tables: [
        {
          name: 'stock_levels',
          columns: cols(
            'sku text NOT NULL',
            'on_hand int NOT NULL DEFAULT 0',
            'location text',
            'updated_at timestamptz',
          ),
        },
        {
          name: 'stock_moves',
          parent: 'stock_levels',
          columns: cols('delta int NOT NULL', 'reason text', 'moved_at timestamptz NOT NULL DEFAULT now()'),
        },
      ],
    },
    {
      name: 'catalog',
      tables: [
        {
          name: 'products',
          columns: cols(
            'sku text NOT NULL UNIQUE',
            'title text NOT NULL',
            'price numeric(12,2)',
            'active boolean NOT NULL DEFAULT true',
          ),
        },
        {
          name: 'categories',
          columns: cols('slug text NOT NULL UNIQUE', 'title text NOT NULL'),
        },
        {
          name: 'product_categories',
          parent: 'products',
          columns: cols('category_id bigint NOT NULL'),
        },
      ],
    },
    {
      name: 'shipping',
      tables: [
        {
          name: 'shipments',
          columns: cols(
            'order_id bigint NOT NULL',
            'carrier text NOT NULL',
            'tracking_code text',
            'shipped_at timestamptz',
          ),
        },
        {
          name: 'shipment_events',
          parent: 'shipments',
          columns: cols('kind text NOT NULL', 'at timestamptz NOT NULL DEFAULT now()'),
        },
      ],
    },
    {
      name: 'cart',
      tables: [
        {
          name: 'carts',
          columns: cols('account_id bigint', "state text NOT NULL DEFAULT 'open'", 'updated_at timestamptz'),
        },
        {
          name: 'cart_lines',
          parent: 'carts',
          columns: cols('sku text NOT NULL', 'quantity int NOT NULL'),
        },
      ],
    },
    {
      name: 'returns',
      tables: [
        {
          name: 'return_requests',
          columns: cols('order_id bigint NOT NULL', 'reason text', "state text NOT NULL DEFAULT 'requested'"),
        },
      ],
    },
    {
      name: 'pricing',
      tables: [
        {
          name: 'price_rules',
          columns: cols(
            'sku text NOT NULL',
            'discount_pct numeric(5,2) NOT NULL',
            'starts_at timestamptz',
            'ends_at timestamptz',
          ),
        },
        {
          name: 'coupons',
          columns: cols(
            'code text NOT NULL UNIQUE',
            'discount_pct numeric(5,2) NOT NULL',
            'expires_at timestamptz',
          ),
        },
      ],
    },
  ],
  identity: [
    {
      name: 'accounts',
      tables: [
        {
          name: 'accounts',
          columns: cols(
            'email text NOT NULL UNIQUE',
            'legacy_username text',
            'created_at timestamptz NOT NULL DEFAULT now()',
            'disabled_at timestamptz',
          ),
        },
        {
          name: 'account_emails',
          parent: 'accounts',
          columns: cols('email text NOT NULL', 'verified_at timestamptz'),
        },
      ],
    },
    {
      name: 'sessions',
      tables: [
        {
          name: 'sessions',
          columns: cols(
            'account_id bigint NOT NULL',
            'token_hash text NOT NULL',
            'expires_at timestamptz NOT NULL',
            'user_agent text',
          ),
        },
      ],
    },
    {
      name: 'profiles',
      tables: [
        {
          name: 'profiles',
          columns: cols('account_id bigint NOT NULL', 'display_name text', 'avatar_url text', 'locale text'),
        },
        {
          name: 'profile_links',
          parent: 'profiles',
          columns: cols('url text NOT NULL', 'label text'),
        },
      ],
    },
    {
      name: 'permissions',
      tables: [
        { name: 'roles', columns: cols('name text NOT NULL UNIQUE', 'description text') },
        {
          name: 'role_grants',
          parent: 'roles',
          columns: cols('account_id bigint NOT NULL', 'granted_at timestamptz NOT NULL DEFAULT now()'),
        },
      ],
    },
    {
      name: 'audit',
      tables: [
        {
          name: 'audit_log',
          columns: cols(
            'account_id bigint',
            'action text NOT NULL',
            'detail jsonb',
            'at timestamptz NOT NULL DEFAULT now()',
          ),
        },
      ],
    },
    {
      name: 'notifications',
      tables: [
        {
          name: 'notifications',
          columns: cols(
            'account_id bigint NOT NULL',
            'channel text NOT NULL',
            'body text NOT NULL',
            'sent_at timestamptz',
          ),
        },
        {
          name: 'notification_prefs',
          columns: cols(
            'account_id bigint NOT NULL',
            'channel text NOT NULL',
            'enabled boolean NOT NULL DEFAULT true',
          ),
        },
      ],
    },
  ],
  analytics: [
    {
      name: 'events',
      tables: [
        {
          name: 'events',
          columns: cols(
            'account_id bigint',
            'kind text NOT NULL',
            'payload jsonb',
            'occurred_at timestamptz NOT NULL',
          ),
        },
        {
          name: 'event_types',
          columns: cols('kind text NOT NULL UNIQUE', 'description text'),
        },
      ],
    },
    {
      name: 'reports',
      tables: [
        {
          name: 'report_runs',
          columns: cols(
            'name text NOT NULL',
            'started_at timestamptz NOT NULL',
            'finished_at timestamptz',
            'row_count int',
          ),
        },
      ],
    },
    {
      name: 'metrics',
      tables: [
        {
          name: 'daily_metrics',
          columns: cols('day date NOT NULL', 'metric text NOT NULL', 'value double precision NOT NULL'),
        },
      ],
    },
    {
      name: 'exports',
      tables: [
        {
          name: 'export_jobs',
          columns: cols(
            'requested_by bigint',
            'format text NOT NULL',
            "state text NOT NULL DEFAULT 'queued'",
            'finished_at timestamptz',
          ),
        },
      ],
    },
    {
      name: 'funnels',
      tables: [
        { name: 'funnels', columns: cols('name text NOT NULL', 'steps jsonb NOT NULL') },
        {
          name: 'funnel_results',
          parent: 'funnels',
          columns: cols('day date NOT NULL', 'step int NOT NULL', 'users int NOT NULL'),
        },
      ],
    },
    {
      name: 'experiments',
      tables: [
        {
          name: 'experiments',
          columns: cols('key text NOT NULL UNIQUE', 'variants jsonb NOT NULL', 'started_at timestamptz'),
        },
        {
          name: 'assignments',
          parent: 'experiments',
          columns: cols('account_id bigint NOT NULL', 'variant text NOT NULL'),
        },
      ],
    },
  ],
};

const LAYOUTS: readonly Layout[] = ['plain', 'golang-migrate', 'dbmate'];
const LANGS: readonly Lang[] = ['ts', 'py', 'go'];

/** The 20 services, each with a layout and a language (spread so that neither follows the other). */
export function fleetServices(): GeneratedService[] {
  const out: GeneratedService[] = [];
  for (const [database, services] of Object.entries(FLEET))
    for (const s of services) {
      const i = out.length;
      out.push({
        ...s,
        reads: (CROSS_READS[s.name] ?? []).map((r) => r.table),
        joins: CROSS_JOINS[s.name] !== undefined,
        database,
        layout: LAYOUTS[i % 3] ?? 'plain',
        lang: LANGS[(i + Math.floor(i / 3)) % 3] ?? 'ts',
      });
    }
  return out;
}

/** Where a layout keeps its migrations, relative to the service. */
const migrationsDir = (layout: Layout) => (layout === 'dbmate' ? 'db/migrations' : 'migrations');

/** A migration's file(s) in the layout, numbered `n` (1-based). */
function migrationFiles(
  layout: Layout,
  n: number,
  title: string,
  up: string,
  down: string,
): Record<string, string> {
  switch (layout) {
    case 'plain':
      return { [`${String(n).padStart(3, '0')}_${title}.sql`]: up };
    case 'golang-migrate': {
      const v = String(n).padStart(6, '0');
      return { [`${v}_${title}.up.sql`]: up, [`${v}_${title}.down.sql`]: down };
    }
    case 'dbmate': {
      // dbmate versions are timestamps: a day apart, from 2024-01-01.
      const day = new Date(Date.UTC(2024, 0, n)).toISOString().slice(0, 10).replaceAll('-', '');
      return { [`${day}120000_${title}.sql`]: `-- migrate:up\n${up}\n-- migrate:down\n${down}\n` };
    }
  }
}

function createTable(t: Table): string {
  const lines = ['id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY'];
  if (t.parent)
    lines.push(`${singular(t.parent)}_id bigint NOT NULL REFERENCES ${t.parent} (id) ON DELETE CASCADE`);
  lines.push(...t.columns);
  return `CREATE TABLE ${t.name} (\n  ${lines.join(',\n  ')}\n);\n`;
}

const singular = (table: string) => table.replace(/ies$/, 'y').replace(/s$/, '');

/** Columns by name (without their types) of a table, as queries use them. */
const columnNames = (t: Table) => [
  ...(t.parent ? [`${singular(t.parent)}_id`] : []),
  ...t.columns.map((c) => c.split(' ')[0] ?? ''),
];

/** The migrations on main: one create-table per table, then an index on the first table. */
function baseMigrations(s: GeneratedService): Record<string, string> {
  const files: Record<string, string> = {};
  let n = 1;
  for (const t of s.tables)
    Object.assign(
      files,
      migrationFiles(s.layout, n++, `create_${t.name}`, createTable(t), `DROP TABLE ${t.name};\n`),
    );
  const first = s.tables[0];
  if (first) {
    const column = columnNames(first)[0] ?? 'id';
    const index = `${first.name}_${column}_idx`;
    Object.assign(
      files,
      migrationFiles(
        s.layout,
        n,
        `index_${first.name}_${column}`,
        `CREATE INDEX ${index} ON ${first.name} (${column});\n`,
        `DROP INDEX ${index};\n`,
      ),
    );
  }
  return files;
}

/** Number of base migrations of a service (the change on `feature` takes the next number). */
const baseCount = (s: GeneratedService) => s.tables.length + 1;

/**
 * The five changes on `feature`, by service: what each migration does is in its title, and the
 * queries of other services that read what it drops or renames are generated below.
 */
export const CHANGES: Record<string, { title: string; up: string; down: string; expect: string }> = {
  orders: {
    title: 'add_coupon_code',
    up: 'ALTER TABLE orders ADD COLUMN coupon_code text;\nCREATE INDEX orders_placed_at_idx ON orders (placed_at);\n',
    down: 'DROP INDEX orders_placed_at_idx;\nALTER TABLE orders DROP COLUMN coupon_code;\n',
    expect: 'ADD COLUMN and a plain CREATE INDEX (planned CONCURRENTLY)',
  },
  inventory: {
    title: 'location_not_null',
    up: "UPDATE stock_levels SET location = 'main' WHERE location IS NULL;\nALTER TABLE stock_levels ALTER COLUMN location SET NOT NULL;\n",
    down: 'ALTER TABLE stock_levels ALTER COLUMN location DROP NOT NULL;\n',
    expect: 'backfill, then SET NOT NULL (planned through a CHECK … NOT VALID and VALIDATE)',
  },
  accounts: {
    title: 'drop_legacy_username',
    up: 'ALTER TABLE accounts DROP COLUMN legacy_username;\n',
    down: 'ALTER TABLE accounts ADD COLUMN legacy_username text;\n',
    expect: 'DROP COLUMN that sessions and audit still read',
  },
  profiles: {
    title: 'rename_display_name',
    up: 'ALTER TABLE profiles RENAME COLUMN display_name TO full_name;\n',
    down: 'ALTER TABLE profiles RENAME COLUMN full_name TO display_name;\n',
    expect: 'RENAME COLUMN that notifications reads (planned as a synced new column, backfill, drop)',
  },
  events: {
    title: 'events_kind_index_and_source',
    up: "CREATE INDEX events_kind_occurred_at_idx ON events (kind, occurred_at);\nALTER TABLE events ADD COLUMN source text NOT NULL DEFAULT 'web';\n",
    down: 'ALTER TABLE events DROP COLUMN source;\nDROP INDEX events_kind_occurred_at_idx;\n',
    expect: 'a composite CREATE INDEX (planned CONCURRENTLY) and a NOT NULL column with a constant default',
  },
};

/** Reads of other services' tables: who reads what (the changed columns among them). */
const CROSS_READS: Record<string, { table: string; columns: string[] }[]> = {
  sessions: [{ table: 'accounts', columns: ['email', 'legacy_username'] }],
  audit: [{ table: 'accounts', columns: ['email', 'legacy_username', 'disabled_at'] }],
  notifications: [
    { table: 'profiles', columns: ['display_name', 'locale'] },
    { table: 'accounts', columns: ['email'] },
  ],
  billing: [{ table: 'orders', columns: ['total', 'currency', 'status'] }],
  shipping: [{ table: 'orders', columns: ['status', 'placed_at'] }],
  returns: [
    { table: 'orders', columns: ['status', 'total'] },
    { table: 'order_items', columns: ['sku', 'quantity'] },
  ],
  cart: [{ table: 'stock_levels', columns: ['on_hand', 'location'] }],
  pricing: [{ table: 'products', columns: ['sku', 'price'] }],
  catalog: [{ table: 'stock_levels', columns: ['sku', 'on_hand'] }],
  reports: [{ table: 'events', columns: ['kind', 'occurred_at'] }],
  funnels: [{ table: 'events', columns: ['kind', 'account_id', 'occurred_at'] }],
  metrics: [{ table: 'events', columns: ['kind', 'occurred_at'] }],
};

/**
 * Joins of a service's own table with another service's: what a shared database invites. The
 * changed service's replayed schema lacks the reader's own table, so a join can only fail
 * before the migration there; the bench shows how the report counts them.
 */
const CROSS_JOINS: Record<string, string> = {
  notifications:
    'SELECT n.id, n.body, p.display_name FROM notifications n JOIN profiles p ON p.account_id = n.account_id WHERE n.id = ?',
  audit:
    'SELECT l.id, l.action, a.legacy_username FROM audit_log l JOIN accounts a ON a.id = l.account_id WHERE l.id = ?',
  shipping:
    'SELECT s.id, s.carrier, o.status FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = ?',
};

/** Each service's queries, with `?` for the one parameter: CRUD on its own tables, then its reads of others. */
function queries(s: GeneratedService, all: readonly GeneratedService[]): string[] {
  const out: string[] = [];
  for (const t of s.tables) {
    const c = columnNames(t);
    const first = c[0] ?? 'id';
    out.push(
      `SELECT id, ${c.join(', ')} FROM ${t.name} WHERE id = ?`,
      `SELECT id, ${c.slice(0, 2).join(', ')} FROM ${t.name} WHERE ${first} = ? ORDER BY id LIMIT 50`,
      `UPDATE ${t.name} SET ${c.at(-1) ?? first} = ? WHERE id = 1`,
      `DELETE FROM ${t.name} WHERE id = ?`,
      `SELECT count(*) FROM ${t.name} WHERE ${first} IS NOT NULL AND id > ?`,
    );
  }
  // The migration's own service reads what it changes too, as real code does.
  if (s.name === 'accounts') out.push('SELECT id, email, legacy_username FROM accounts WHERE email = ?');
  if (s.name === 'profiles') out.push('SELECT id, display_name FROM profiles WHERE account_id = ?');
  for (const read of CROSS_READS[s.name] ?? []) {
    const owner = all.find((o) => o.tables.some((t) => t.name === read.table));
    if (!owner || owner.database !== s.database)
      throw new Error(`${s.name} reads ${read.table} across databases`);
    out.push(`SELECT id, ${read.columns.join(', ')} FROM ${read.table} WHERE id = ?`);
  }
  const join = CROSS_JOINS[s.name];
  if (join) out.push(join);
  return out;
}

function placeholder(lang: Lang, sql: string): string {
  return sql.replace('?', lang === 'py' ? '%s' : '$1');
}

/** Source files of a service: its queries split into a store file and a handlers file. */
function code(s: GeneratedService, all: readonly GeneratedService[]): Record<string, string> {
  const list = queries(s, all).map((q) => placeholder(s.lang, q));
  const half = Math.ceil(list.length / 2);
  const parts = [list.slice(0, half), list.slice(half)];
  const files: Record<string, string> = {};
  parts.forEach((part, i) => {
    const base = i === 0 ? 'store' : 'handlers';
    switch (s.lang) {
      case 'ts':
        files[`src/${base}.ts`] =
          `import { Pool } from 'pg';\n\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL });\n\n` +
          part
            .map(
              (q, j) =>
                `export async function q${i}_${j}(id: number) {\n  return (await pool.query('${q}', [id])).rows;\n}\n`,
            )
            .join('\n');
        break;
      case 'py':
        files[`${s.name}/${base}.py`] =
          `"""${s.name}: ${base}."""\n\n\n` +
          part
            .map(
              (q, j) =>
                `def q${i}_${j}(cursor, id):\n    cursor.execute("${q}", (id,))\n    return cursor.fetchall()\n`,
            )
            .join('\n\n');
        break;
      case 'go':
        files[`internal/${base}/${base}.go`] =
          `package ${base}\n\nimport "database/sql"\n\n` +
          part
            .map(
              (q, j) =>
                `func Q${i}_${j}(db *sql.DB, id int64) (*sql.Rows, error) {\n\treturn db.Query("${q}", id)\n}\n`,
            )
            .join('\n');
        break;
    }
  });
  return files;
}

export interface WrittenFleet {
  root: string;
  config: string;
  services: GeneratedService[];
  queries: number;
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function git(root: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
    },
  });
}

/**
 * Writes the fleet into `root` (an empty directory) as a git repository: `main` with every
 * service, then `feature` (checked out) with the five changed migrations, one code change in a
 * service whose migrations did not change, and a README edit.
 */
export function writeFleetRepository(root: string): WrittenFleet {
  const services = fleetServices();
  const base: Record<string, string> = { 'README.md': '# shop platform\n' };
  let queryCount = 0;
  for (const s of services) {
    const dir = `services/${s.name}`;
    for (const [file, text] of Object.entries(baseMigrations(s)))
      base[`${dir}/${migrationsDir(s.layout)}/${file}`] = text;
    for (const [file, text] of Object.entries(code(s, services))) base[`${dir}/${file}`] = text;
    queryCount += queries(s, services).length;
  }
  const config = {
    services: services.map((s) => ({
      name: s.name,
      path: `services/${s.name}`,
      migrations: `services/${s.name}/${migrationsDir(s.layout)}`,
      database: s.database,
      databaseUrlEnv: `${s.name.toUpperCase()}_DATABASE_URL`,
      owners: [`@platform/${s.name}`],
    })),
  };
  base['schemapilot.config.json'] = JSON.stringify(config, null, 2) + '\n';
  write(root, base);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'the fleet');
  git(root, 'checkout', '-q', '-b', 'feature');
  const feature: Record<string, string> = {
    'README.md': '# shop platform\n\nMigrations are checked in CI.\n',
  };
  for (const [name, change] of Object.entries(CHANGES)) {
    const s = services.find((x) => x.name === name);
    if (!s) throw new Error(`no service ${name}`);
    for (const [file, text] of Object.entries(
      migrationFiles(s.layout, baseCount(s) + 1, change.title, change.up, change.down),
    ))
      feature[`services/${name}/${migrationsDir(s.layout)}/${file}`] = text;
  }
  // Code changes alone select no service: only migrations do.
  const shipping = services.find((x) => x.name === 'shipping');
  if (shipping)
    for (const [file, text] of Object.entries(code(shipping, services)))
      feature[`services/shipping/${file}`] =
        text + '\n// reviewed\n'.replace('//', shipping.lang === 'py' ? '#' : '//');
  write(root, feature);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'five services change their schema');
  return { root, config: join(root, 'schemapilot.config.json'), services, queries: queryCount };
}
