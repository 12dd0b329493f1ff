/**
 * `schemapilot mcp`: the engine as MCP tools, for an AI assistant that writes migrations.
 *
 * inspect, analyze and plan only read the target database (read-only transactions); validate
 * writes only to throwaway databases on a scratch server. Each tool answers with the JSON the
 * matching CLI command prints with --format json; a bad input (SQL that does not parse, a
 * database that cannot be reached) is a tool result with isError and the one-line message,
 * passwords redacted. stdout carries the protocol and nothing else: progress goes to stderr.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { boundedLines, maxMessageBytes, tooLargeResponse } from './bounded-input.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { analyze } from '../api/analyze.js';
import { gatherInput, inspectDatabase } from '../api/input.js';
import { plan as makePlan } from '../api/plan.js';
import { inlineMigration } from '../api/read.js';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { InputError, SchemapilotError, SourceError, redactUrl } from '../core/errors.js';
import type { Dialect } from '../core/dialect/index.js';
import type { Volatility } from '../core/facts.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { chooseDialect } from '../dialects/index.js';
import type { MigrationFile } from '../core/migration.js';
import { ENGINE_RULE_IDS } from '../linter/run.js';
import { renderAnalysisJson } from '../reporters/analysis-json.js';
import { allRules } from '../rules/index.js';
import { toBriefTableShape } from '../schema/brief-shape.js';
import { canonicalJson } from '../schema/canonical-json.js';
import { requireTable } from '../schema/lookup.js';
import { validatePlan } from '../api/validate.js';
import { withScratch } from '../validate/scratch.js';
import { checkServicePaths, impactOnScratch, mergeServices } from '../api/impact.js';
import { resolve } from 'node:path';
import { SERVICE_NAME } from '../config/services.js';
import { version } from '../core/version.js';

/** The name the migration text is given in positions: `migration.sql:1:8: syntax error ...`. */
const MIGRATION_NAME = 'migration.sql';

const progress = (message: string) => void process.stderr.write(`schemapilot mcp: ${message}\n`);

const dbArg = z
  .string()
  .optional()
  .describe(
    'Connection URL of the target database, postgres://… or mysql://… (default: $DATABASE_URL); only read',
  );
const sqlArg = z
  .string()
  .describe('the migration: one or more SQL statements, as a migration file holds them');

export function createMcpServer(): McpServer {
  const server = new McpServer({ name: 'schemapilot', version });

  server.registerTool(
    'inspect',
    {
      title: 'Inspect the live schema',
      description:
        'Read the live PostgreSQL or MySQL/MariaDB schema (tables, columns, constraints, indexes, views, sizes) as a JSON snapshot. ' +
        'With `table`, only that table in a compact shape (columns, indexes, foreign_keys, primary_key). Read-only.',
      inputSchema: {
        db: dbArg,
        table: z.string().optional().describe('only this table, e.g. "users" or "public.users"'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ db, table }) =>
      answer(async () => {
        const url = targetUrl(db);
        const snapshot = await inspectDatabase(url, { dialect: chooseDialect({ url, urlSource: 'db' }) });
        if (table === undefined) return canonicalJson(snapshot, 2);
        return canonicalJson(toBriefTableShape(requireTable(snapshot, table)), 2);
      }),
  );

  server.registerTool(
    'analyze',
    {
      title: 'Analyze a migration',
      description:
        'Report the locks, table rewrites, breaking changes and risks of a migration, statement by statement, ' +
        'with safe alternatives and an overall assessment (safe_to_deploy, recommended_approach). ' +
        'Give `db` (or set $DATABASE_URL) to judge it against the live schema and table sizes; without one, every ' +
        'table is assumed large. Never writes to the database.',
      inputSchema: { sql: sqlArg, db: dbArg },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ sql, db }) =>
      answer(async () => {
        const { config, files, snapshot, volatility, dialect } = await readInput(sql, db, false);
        return renderAnalysisJson(await analyze({ files, config, snapshot, volatility, dialect }));
      }),
  );

  server.registerTool(
    'plan',
    {
      title: 'Plan a safe migration',
      description:
        'Turn a migration into a safe multi-step plan (expand/backfill/contract; CREATE INDEX CONCURRENTLY, ' +
        'NOT VALID constraints validated later, batched backfills, lock timeouts), each step with its rollback. ' +
        'Give `db` (or set $DATABASE_URL) to plan against the live schema. Never writes to the database.',
      inputSchema: { sql: sqlArg, db: dbArg },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ sql, db }) =>
      answer(async () => {
        const { config, files, snapshot, dialect } = await readInput(sql, db, false);
        return canonicalJson(await makePlan({ files, snapshot, config, dialect }), 2);
      }),
  );

  server.registerTool(
    'validate',
    {
      title: 'Validate a migration on a scratch database',
      description:
        "Plan the migration, then run every step on a throwaway copy of the target's schema: measure each " +
        "statement's locks and rewrites against the prediction, check the end schema and the rollback. " +
        'The target database is only read; the scratch database is an embedded PostgreSQL of the same major, ' +
        'or a temporary database created (and dropped) on `devUrl`. Returns passed plus the trace.',
      inputSchema: {
        sql: sqlArg,
        db: dbArg,
        devUrl: z
          .string()
          .optional()
          .describe(
            'scratch server to use instead of an embedded PostgreSQL: a temporary database is created there and dropped',
          ),
        synthesize: z
          .number()
          .int()
          .min(1)
          .max(100_000)
          .optional()
          .describe(
            'rows per table to generate on the scratch copy (with NULLs where the live data has them), so data problems such as NULLs under a new NOT NULL show',
          ),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    ({ sql, db, devUrl, synthesize }) =>
      answer(async () => {
        const { config, files, snapshot, major, dialect } = await readInput(sql, db, true);
        progress(devUrl ? 'opening the scratch server (devUrl)' : 'starting an embedded scratch server');
        if (!dialect.scratch) throw new InputError(`the ${dialect.title} dialect has no scratch server`);
        const result = await withScratch(
          dialect.scratch,
          { major, devUrl, onWarning: progress },
          async (scratch) =>
            validatePlan({
              plan: await makePlan({ files, snapshot, config, dialect }),
              original: files,
              schema: { kind: 'snapshot', snapshot },
              scratch,
              data:
                synthesize === undefined
                  ? { kind: 'none' }
                  : { kind: 'synthesize', rowsPerTable: synthesize, nullFractionsFrom: targetUrl(db) },
              config,
              onProgress: progress,
            }),
        );
        return canonicalJson(result, 2);
      }),
  );

  server.registerTool(
    'impact',
    {
      title: 'Find the queries of other services a migration breaks',
      description:
        'Extract the SQL queries of each service (a checkout of its code) and let the database judge them: each is ' +
        'PREPAREd on a scratch copy of the schema before the migration, after each step of the safe plan and after ' +
        'the migration as written. Returns { affected_services, services }: broken queries with file, line, the step ' +
        "they break at and the server's error; per service the files scanned, queries checked, unresolved and already " +
        'broken ones. Services come from `services` and the config\'s "services". The target database is only read.',
      inputSchema: {
        sql: sqlArg,
        db: dbArg,
        services: z
          .array(z.object({ name: z.string().regex(SERVICE_NAME), path: z.string().min(1) }))
          .max(200)
          .optional()
          .describe(
            "services to check: name and the path of its checkout (relative to the server's directory)",
          ),
        devUrl: z
          .string()
          .optional()
          .describe(
            'scratch server to use instead of an embedded PostgreSQL: a temporary database is created there and dropped',
          ),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    ({ sql, db, services, devUrl }) =>
      answer(async () => {
        const { config, files, snapshot, major, dialect } = await readInput(sql, db, true);
        const given = (services ?? []).map((s) => ({ name: s.name, path: resolve(s.path) }));
        checkServicePaths(given, 'services');
        const all = mergeServices(config.services, given);
        if (all.length === 0) throw new InputError('no services to check: give services [{ name, path }]');
        const plan = await makePlan({ files, snapshot, config, dialect });
        const result = await impactOnScratch({
          dialect,
          schema: { kind: 'snapshot', snapshot },
          plan,
          files,
          config,
          services: all,
          devUrl,
          major,
          onProgress: progress,
          onWarning: progress,
        });
        return canonicalJson(result, 2);
      }),
  );

  return server;
}

/** Serve on stdin/stdout until the client closes stdin. */
export async function runMcpStdio(): Promise<void> {
  const server = createMcpServer();
  const limit = maxMessageBytes();
  const input = boundedLines(process.stdin, limit, (head, bytes) => {
    process.stdout.write(`${tooLargeResponse(head, bytes, limit)}\n`);
    progress(`refused a message of ${bytes} bytes (limit ${limit} bytes)`);
  });
  const transport = new StdioServerTransport(input, process.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    input.once('end', () => void server.close().finally(resolve));
  });
  await server.connect(transport);
  progress(`serving inspect, analyze, plan, validate and impact over stdio (schemapilot ${version})`);
  await closed;
}

interface ToolInput {
  config: ResolvedConfig;
  files: MigrationFile[];
  dialect: Dialect;
  volatility?: (fn: string) => Volatility | undefined;
  major: number;
}

async function readInput(
  sql: string,
  db: string | undefined,
  needsDb: true,
): Promise<ToolInput & { snapshot: SchemaSnapshot }>;
async function readInput(
  sql: string,
  db: string | undefined,
  needsDb: boolean,
): Promise<ToolInput & { snapshot: SchemaSnapshot | null }>;
async function readInput(
  sql: string,
  db: string | undefined,
  needsDb: boolean,
): Promise<ToolInput & { snapshot: SchemaSnapshot | null }> {
  // The project's schemapilot.config.json (in the server's working directory) applies, as on the CLI.
  const { config } = loadConfig({ knownRules: [...allRules.map((r) => r.meta.id), ...ENGINE_RULE_IDS] });
  const url = needsDb ? targetUrl(db) : optionalUrl(db);
  // The URL's scheme says the dialect (mysql:// → MySQL/MariaDB), as on the CLI.
  const dialect = chooseDialect({ url, urlSource: 'db' });
  // The CLI's input gathering: one read-only session for version, schema, the touched tables'
  // current sizes and the volatility of functions in defaults, so answers match `analyze --db`.
  const input = await gatherInput({
    dialect,
    config,
    ...(url !== undefined ? { url } : {}),
    applicationName: 'schemapilot mcp',
    readFiles: async () => {
      await dialect.language.load();
      return { files: [inlineMigration(MIGRATION_NAME, sql, config.runner, dialect)], notes: [] };
    },
  });
  return { config, ...input };
}

function optionalUrl(db: string | undefined): string | undefined {
  const url = db ?? process.env['DATABASE_URL'];
  return url === undefined || url === '' ? undefined : url;
}

function targetUrl(db: string | undefined): string {
  const url = optionalUrl(db);
  if (url === undefined)
    throw new InputError(
      'no database given: pass db (postgres://user@host:port/database or mysql://…) or set DATABASE_URL in the server environment',
    );
  return url;
}

/** Run a tool: its JSON as text content, or its error as an isError result with one line. */
async function answer(run: () => Promise<string>): Promise<CallToolResult> {
  try {
    return { content: [{ type: 'text', text: await run() }] };
  } catch (error) {
    return { content: [{ type: 'text', text: errorMessage(error) }], isError: true };
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof SourceError) {
    const { line, column } = error.position;
    return `${redactUrl(error.message)} (line ${line}, column ${column})`;
  }
  if (error instanceof SchemapilotError) return redactUrl(error.message);
  const message = error instanceof Error ? error.message : String(error);
  if (process.env['SCHEMAPILOT_DEBUG'] && error instanceof Error && error.stack)
    process.stderr.write(redactUrl(error.stack) + '\n');
  return `internal error: ${redactUrl(message).replace(/\s*\n\s*/g, ' ')}`;
}
