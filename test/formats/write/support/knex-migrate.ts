/**
 * Runs Knex's own migrator on a directory of TypeScript migrations, the way an application's
 * migration script does: `node --import tsx knex-migrate.ts <url> <dir> latest|rollback`.
 */
import knex from 'knex';

const [url, directory, action] = process.argv.slice(2);
if (!url || !directory || (action !== 'latest' && action !== 'rollback'))
  throw new Error('usage: knex-migrate.ts <url> <dir> latest|rollback');

// mysql:// and mariadb:// URLs go to Knex's mysql2 client, sqlite:<file> to better-sqlite3, the rest to pg.
const mysql = /^(mysql|mariadb):/.test(url);
const sqlite = url.startsWith('sqlite:');
const db = sqlite
  ? knex({
      client: 'better-sqlite3',
      connection: { filename: url.slice('sqlite:'.length) },
      useNullAsDefault: true,
    })
  : knex({
      client: mysql ? 'mysql2' : 'pg',
      connection: mysql ? url.replace(/^mariadb:/, 'mysql:') : url,
    });
try {
  const config = { directory, loadExtensions: ['.ts'] };
  // rollback(config, true): every batch, last migration first.
  const [batch, names] =
    action === 'latest' ? await db.migrate.latest(config) : await db.migrate.rollback(config, true);
  console.log(`${action} (batch ${String(batch)}): ${(names as string[]).join(', ')}`);
} finally {
  await db.destroy();
}
