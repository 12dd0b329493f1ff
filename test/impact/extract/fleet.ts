/**
 * The fixture fleet of test/fixtures/services (its README says the same in words): for each
 * service, the queries marked in its files with the SQL each must normalise to (written here by
 * hand from the fixture text, not copied from the extractor), whether the migration breaks it,
 * and the dynamic calls that must come out unresolved. Positions come from the marker comments
 * (`@query <id> [+N]`), so editing a fixture does not silently shift the expectations.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const FLEET_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'services');
export const FLEET_SCHEMA = readFileSync(join(FLEET_DIR, 'schema.sql'), 'utf8');
export const FLEET_MIGRATION = readFileSync(join(FLEET_DIR, 'migration.sql'), 'utf8');

export interface ExpectedQuery {
  id: string;
  /** The normalised SQL, compared with runs of blanks collapsed to one space. */
  sql: string;
  parameters: number;
  /** Whether the migration breaks it (the server says 42703 after it). */
  breaks: boolean;
  /** The text at the query's position, when it is not the SQL's first word (a Prisma model). */
  startsWith?: string;
}

export interface ExpectedService {
  name: string;
  languages: string[];
  queries: ExpectedQuery[];
  unresolved: string[];
  /** JPQL and other SQL found but not checked. */
  notChecked: string[];
}

const q = (
  id: string,
  sql: string,
  parameters: number,
  breaks: boolean,
  startsWith?: string,
): ExpectedQuery => ({
  id,
  sql,
  parameters,
  breaks,
  ...(startsWith ? { startsWith } : {}),
});

export const FLEET: ExpectedService[] = [
  {
    name: 'orders-ts',
    languages: ['typescript', 'javascript'],
    queries: [
      q('ts-order-note', 'SELECT id, note FROM orders WHERE id = $1', 1, true),
      q('ts-user-name', 'SELECT u.id, u.name FROM users u WHERE u.id = $1', 1, true),
      q(
        'ts-orders-of-user',
        'SELECT o.id, o.total FROM orders o WHERE o.user_id = $1 AND o.status = $2',
        2,
        false,
      ),
      q('ts-product-name', 'SELECT name FROM products WHERE id = $1', 1, false),
      q(
        'ts-cte-name',
        'WITH totals AS (SELECT user_id, sum(total) AS name FROM orders GROUP BY user_id) SELECT name FROM totals WHERE user_id = $1',
        1,
        false,
      ),
      q('ts-prisma-unsafe', 'UPDATE users SET name = $1 WHERE id = $2', 2, true),
      q('ts-concat', 'SELECT email FROM users WHERE name = $1', 1, true),
      q('ts-fragment', 'SELECT id FROM orders WHERE status = $1', 1, false),
      q('ts-config', 'SELECT status FROM orders WHERE id = $1', 1, false),
      q('js-typeorm', 'SELECT id, name FROM users WHERE email = $1', 1, true),
      q('js-sequelize', 'SELECT id, total FROM orders WHERE status = $1', 1, false),
    ],
    unresolved: ['ts-call', 'ts-template', 'ts-reassigned', 'ts-sql-helper'],
    notChecked: [],
  },
  {
    name: 'billing-py',
    languages: ['python'],
    queries: [
      q('py-invoice', 'SELECT o.id, o.total, o.note FROM orders o WHERE o.user_id = $1', 1, true),
      q('py-user-name', 'SELECT name FROM users WHERE id = $1', 1, true),
      q('py-asyncpg-fine', 'SELECT id, email FROM users WHERE created_at > $1', 1, false),
      q('py-asyncpg-break', 'SELECT id, name FROM users WHERE email = $1', 1, true),
      q('py-text', 'SELECT p.name FROM products p WHERE p.id = $1', 1, false),
      q('py-django-raw', 'SELECT id, name FROM users WHERE email = $1', 1, true),
      q(
        'py-executemany',
        'INSERT INTO orders (id, user_id, total, status) VALUES ($1, $2, $3, $4)',
        4,
        false,
      ),
      q('py-cte', 'WITH t AS (SELECT email AS name FROM users) SELECT name FROM t', 0, false),
    ],
    unresolved: ['py-fstring', 'py-percent', 'py-format'],
    notChecked: [],
  },
  {
    name: 'users-go',
    languages: ['go'],
    queries: [
      q('go-user-by-email', 'SELECT id, name FROM users WHERE email = $1', 1, true),
      q('go-order-notes', 'SELECT id, note FROM orders WHERE user_id = $1', 1, true),
      q('go-sqlx-get', 'SELECT email FROM users WHERE id = $1', 1, false),
      q('go-pgx-exec', 'UPDATE orders SET status = $1 WHERE id = $2', 2, false),
      q('go-sqlx-select', 'SELECT u.id FROM users u JOIN products p ON p.name = u.email', 0, false),
      q('go-pgx-concat', 'SELECT o.id FROM orders o WHERE o.note IS NOT NULL', 0, true),
      q('go-named-exec', 'UPDATE users SET name = $1 WHERE id = $2', 2, true),
    ],
    unresolved: ['go-sprintf', 'go-reassigned'],
    notChecked: [],
  },
  {
    name: 'ledger-java',
    languages: ['java'],
    queries: [
      q('java-note', 'SELECT id, note FROM orders WHERE id = $1', 1, true),
      q('java-text-block', 'SELECT u.id, u.name FROM users u WHERE u.id = $1', 1, true),
      q('java-update', 'UPDATE orders SET status = $1 WHERE id = $2', 2, false),
      q('java-products', 'SELECT name FROM products', 0, false),
      q('java-native', 'SELECT * FROM users WHERE name = $1', 1, true),
    ],
    unresolved: ['java-concat-param', 'java-format'],
    notChecked: ['java-jpql'],
  },
  {
    name: 'reports-kotlin',
    languages: ['kotlin'],
    queries: [
      q('kt-note', 'SELECT o.note FROM orders o WHERE o.id = $1', 1, true),
      q('kt-name', 'SELECT u.name, u.email FROM users u WHERE u.created_at > $1', 1, true),
      q('kt-count', "SELECT count(*) FROM orders WHERE status = 'open' OR status = $1", 1, false),
      q('kt-product', 'SELECT name FROM products WHERE id = $1', 1, false),
      q('kt-native', 'SELECT id FROM users WHERE email = $1', 1, false),
    ],
    unresolved: ['kt-template'],
    notChecked: ['kt-jpql'],
  },
  {
    name: 'admin-rb',
    languages: ['ruby'],
    queries: [
      q('rb-const', 'SELECT name FROM products', 0, false),
      q('rb-find', 'SELECT id, name FROM users WHERE email = $1', 1, true),
      q('rb-heredoc', 'SELECT o.id, o.note FROM orders o', 0, true),
      q('rb-exec-query', 'SELECT email FROM users WHERE id = $1', 1, false),
      q('rb-execute', 'UPDATE users SET name = NULL WHERE id = 1', 0, true),
    ],
    unresolved: ['rb-interpolation'],
    notChecked: [],
  },
  {
    name: 'catalog-prisma',
    languages: ['prisma'],
    queries: [
      q('prisma-user', 'SELECT "id", "email", "name", "created_at" FROM "users"', 0, true, 'model User'),
      q(
        'prisma-order',
        'SELECT "id", "user_id", "total", "status", "note" FROM "orders"',
        0,
        true,
        'model Order',
      ),
      q('prisma-product', 'SELECT "id", "name", "price" FROM "products"', 0, false, 'model Product'),
    ],
    unresolved: [],
    notChecked: [],
  },
  {
    name: 'search-sql',
    languages: ['sql'],
    queries: [
      q('sql-get-user', 'SELECT id, email, name FROM users WHERE id = $1', 1, true),
      q(
        'sql-orders-by-status',
        'SELECT id, total FROM orders WHERE status = $1 AND user_id = $2 AND total > $3::numeric',
        3,
        false,
      ),
      q('sql-update-note', 'UPDATE orders SET note = $1 WHERE id = $2', 2, true),
      q(
        'sql-cte',
        'WITH ranked AS (SELECT p.name, p.price FROM products p) SELECT name FROM ranked ORDER BY price DESC',
        0,
        false,
      ),
      q('sql-string', "SELECT count(*) FROM orders WHERE status = 'name; note' AND id > 0", 0, false),
      q('sql-user-alias', 'SELECT u.email, p.name FROM users u JOIN products p ON p.id = u.id', 0, false),
    ],
    unresolved: [],
    notChecked: [],
  },
];

export interface Marked {
  file: string;
  line: number;
  /** The line's text, to find the column at which the query starts. */
  text: string;
}

/** Where a marker (`@query id`, `@unresolved id`, `@jpql id`) says its query's SQL starts. */
export function marked(service: string, kind: 'query' | 'unresolved' | 'jpql', id: string): Marked {
  const root = join(FLEET_DIR, service);
  const pattern = new RegExp(`@${kind} ${id.replace(/[-]/g, '\\-')}(?: \\+(\\d+))?\\s*$`);
  const hits: Marked[] = [];
  for (const path of files(root)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = pattern.exec(line);
      if (m === null) return;
      const target = i + Number(m[1] ?? '1');
      hits.push({
        file: relative(root, path).split(sep).join('/'),
        line: target + 1,
        text: lines[target] ?? '',
      });
    });
  }
  if (hits.length !== 1 || hits[0] === undefined)
    throw new Error(`${service}: ${hits.length} markers @${kind} ${id}`);
  return hits[0];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export const collapse = (sql: string): string => sql.replace(/\s+/g, ' ').trim();
