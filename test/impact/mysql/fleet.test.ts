/**
 * `fleet check` on a fleet of MySQL services sharing one database: the service whose migration
 * changed is checked with its neighbour's queries, prepared on MariaDB scratch databases whose
 * schema is replayed from the unchanged migrations (no database URL).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FleetReport } from '../../../src/core/fleet.js';
import type { ImpactResult } from '../../../src/core/impact.js';
import { runCli } from '../../support/cli.js';
import { git } from '../../support/fleet-fixture.js';
import { describeMysql } from '../../dialects/mysql/support.js';

const CONFIG = {
  services: [
    {
      name: 'catalog',
      path: 'services/catalog',
      migrations: 'services/catalog/migrations',
      dialect: 'mysql',
      database: 'catalog',
    },
    { name: 'storefront', path: 'services/storefront', dialect: 'mysql', database: 'catalog' },
  ],
};

const BASE: Record<string, string> = {
  'schemapilot.config.json': JSON.stringify(CONFIG, null, 2),
  'services/catalog/migrations/001_create_items.sql':
    'CREATE TABLE items (id int PRIMARY KEY, title varchar(200) NOT NULL, price int NOT NULL);\n',
  'services/catalog/src/items.ts':
    "import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({});\nexport const price = (id: number) => pool.query('SELECT price FROM items WHERE id = ?', [id]);\n",
  'services/storefront/src/items.ts':
    "import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({});\nexport const titles = () => pool.query('SELECT id, title FROM items');\nexport const add = (id: number) => pool.query('INSERT INTO items (id, price) VALUES (?, 1)', [id]);\n",
};

const FEATURE: Record<string, string> = {
  'services/catalog/migrations/002_drop_title.sql':
    'ALTER TABLE items DROP COLUMN title;\nALTER TABLE items ADD COLUMN sku varchar(20) NOT NULL;\n',
};

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describeMysql('fleet check on MySQL services', (serverUrl) => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'schemapilot-mysql-fleet-'));
    write(root, BASE);
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'base');
    git(root, 'checkout', '-q', '-b', 'feature');
    write(root, FEATURE);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'feature');
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(
    "checks the neighbour's queries: broken by the DROP, may break by the new NOT NULL",
    { timeout: 120_000 },
    async () => {
      const r = await runCli([
        'fleet',
        'check',
        '--config',
        join(root, 'schemapilot.config.json'),
        '--since',
        'main',
        '--dev-url',
        serverUrl,
        '--format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as FleetReport;
      const catalog = report.services.find((s) => s.service === 'catalog');
      expect(catalog?.verdict).toBe('unsafe');
      expect(catalog?.reasons.join('\n')).not.toContain('were not checked');
      const check = catalog?.check as { impact?: ImpactResult } | undefined;
      const queries = check?.impact?.affected_services.flatMap((s) =>
        s.queries.map((q) => [s.service, `${q.file}:${q.line}`, q.status, q.error?.code ?? q.reason]),
      );
      expect(queries).toEqual([
        ['storefront', 'src/items.ts:3', 'broken', '1054'],
        [
          'storefront',
          'src/items.ts:4',
          'may break',
          'the INSERT omits sku, which becomes NOT NULL without a default: the server will reject the row',
        ],
      ]);
    },
  );
});
