/**
 * A fixture fleet in a real git repository: on `main`, five services on four databases; on the
 * branch `feature`, migrations changed in three of them. Written fresh into a temp directory by
 * each test file (git needs a work tree of its own).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const FLEET_CONFIG = {
  services: [
    {
      name: 'orders',
      path: 'services/orders',
      migrations: 'services/orders/migrations',
      database: 'main',
      databaseUrlEnv: 'ORDERS_DATABASE_URL',
      owners: ['@shop/orders'],
    },
    { name: 'billing', path: 'services/billing', database: 'main', owners: ['@shop/billing'] },
    {
      name: 'accounts',
      path: 'services/accounts',
      migrations: 'services/accounts/migrations',
      database: 'accounts',
      owners: ['@shop/identity'],
    },
    {
      name: 'catalog',
      path: 'services/catalog',
      migrations: 'services/catalog/migrations',
      dialect: 'mysql',
      database: 'catalog',
    },
    { name: 'edge', path: 'services/edge', migrations: 'services/edge/migrations', dialect: 'sqlite' },
  ],
};

/** On main. */
const BASE_FILES: Record<string, string> = {
  'services/orders/migrations/001_create_orders.sql':
    'CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, note text);\n',
  'services/orders/src/orders.ts':
    "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const byId = (id: number) => pool.query('SELECT id, customer FROM orders WHERE id = $1', [id]);\n",
  'services/billing/src/invoices.ts':
    "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const notes = (id: number) => pool.query('SELECT id, note FROM orders WHERE id = $1', [id]);\n",
  'services/accounts/migrations/001_create_users.sql':
    'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n',
  'services/accounts/src/users.ts':
    "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const byEmail = (e: string) => pool.query('SELECT id FROM users WHERE email = $1', [e]);\n",
  'services/catalog/migrations/001_create_items.sql':
    'CREATE TABLE items (id bigint PRIMARY KEY, title varchar(200) NOT NULL);\n',
  'services/catalog/src/items.ts': "export const ITEMS = 'SELECT id, title FROM items';\n",
  'services/edge/migrations/001_create_kv.sql': 'CREATE TABLE kv (k text PRIMARY KEY, v text);\n',
  'services/edge/src/kv.ts': 'export {};\n',
  'README.md': 'fixture fleet\n',
};

/** On `feature`: orders drops a column billing reads, accounts adds one, edge (SQLite) changes. */
const FEATURE_FILES: Record<string, string> = {
  'services/orders/migrations/002_drop_note.sql': 'ALTER TABLE orders DROP COLUMN note;\n',
  'services/accounts/migrations/002_add_nickname.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n',
  'services/edge/migrations/002_add_ttl.sql': 'ALTER TABLE kv ADD COLUMN ttl integer;\n',
  'services/billing/src/invoices.ts':
    "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const notes = (id: number) => pool.query('SELECT id, note FROM orders WHERE id = $1', [id]);\nexport const all = () => pool.query('SELECT id FROM orders');\n",
};

export interface FixtureFleet {
  root: string;
  config: string;
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'fixture',
      GIT_AUTHOR_EMAIL: 'fixture@example.com',
      GIT_COMMITTER_NAME: 'fixture',
      GIT_COMMITTER_EMAIL: 'fixture@example.com',
    },
  });
}

/** The repository, checked out on `feature`, with `main` one commit behind. */
export function makeFixtureFleet(
  extra: { config?: object; feature?: Record<string, string> } = {},
): FixtureFleet {
  const root = mkdtempSync(join(tmpdir(), 'schemapilot-fleet-'));
  write(root, {
    ...BASE_FILES,
    'schemapilot.config.json': JSON.stringify(extra.config ?? FLEET_CONFIG, null, 2),
  });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  git(root, 'checkout', '-q', '-b', 'feature');
  write(root, extra.feature ?? FEATURE_FILES);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'feature');
  return { root, config: join(root, 'schemapilot.config.json') };
}
