/**
 * Writes schema/analyze-output.schema.json, schema/config.schema.json and
 * schema/plan.schema.json (JSON Schema 2020-12) from the code they describe: rule ids from the
 * registry, runners, lock modes, change kinds, the keys of the TypeScript interfaces, and the
 * zod schema plan files are checked against (src/core/plan-schema.ts). `npm run gen:schemas`; test/reporters/schemas.test.ts
 * fails when the committed files differ from what this produces.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { z } from 'zod';
import type { AnalysisResult, AnalyzedStatement, Assessment, Finding } from '../src/core/analysis.js';
import { CHANGE_KINDS } from '../src/core/change.js';
import type { ImpactResult } from '../src/core/impact.js';
import { ALL_LOCK_MODES } from '../src/core/locks.js';
import { planShape } from '../src/core/plan-schema.js';
import type { DialectName } from '../src/core/snapshot.js';
import { DEFAULT_CONFIG, RUNNERS, type ResolvedConfig } from '../src/config/types.js';
import { ONLINE_SCHEMA_CHANGE } from '../src/config/mysql.js';
import { SCHEMA_BASE_URL } from '../src/reporters/links.js';
import { ruleCatalog } from '../src/reporters/rule-catalog.js';
import { allRules } from '../src/rules/index.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

const DIALECTS = ['postgres', 'mysql', 'sqlite'] as const satisfies readonly DialectName[];
type UnlistedDialect = Exclude<DialectName, (typeof DIALECTS)[number]>;
const everyDialectListed: [UnlistedDialect] extends [never] ? true : UnlistedDialect = true;

type Schema = Record<string, unknown>;

/** An object schema whose property names must be exactly the keys of T (checked by the compiler). */
function closedObject<T>(
  description: string,
  properties: { [K in keyof Required<T>]: Schema },
  required: readonly (keyof T & string)[],
): Schema {
  return {
    type: 'object',
    description,
    ...(required.length > 0 ? { required } : {}),
    properties,
    additionalProperties: false,
  };
}

const qualifiedTable: Schema = {
  type: 'string',
  // schema.name, unquoted parts; a quoted name may itself contain dots, so only the separator is checked.
  pattern: '^[^.]+\\..+$',
  description: 'Schema-qualified name, unquoted parts: "public.users".',
};

function analyzeOutputSchema(): Schema {
  const finding = closedObject<Finding>(
    'One problem a rule found in the statement.',
    {
      rule: { type: 'string', minLength: 1, description: 'Rule id; docs/rules/<rule>.md explains it.' },
      severity: { $ref: '#/$defs/severity' },
      message: { type: 'string', minLength: 1 },
      safeAlternative: {
        type: ['string', 'null'],
        description:
          'Ready-to-paste SQL doing the same thing safely, written for this statement; null when there is none.',
      },
      table: { ...qualifiedTable, description: 'Table the finding is about, when there is one.' },
    },
    ['rule', 'severity', 'message', 'safeAlternative'],
  );
  const statement = closedObject<AnalyzedStatement>(
    'One statement of the migration with what executing it does.',
    {
      file: {
        type: 'string',
        description: 'Migration file as given ("--change" and "<stdin>" for inline SQL).',
      },
      line: { type: 'integer', minimum: 1, description: '1-based line of the statement start.' },
      column: { type: 'integer', minimum: 1, description: '1-based column, in UTF-16 code units.' },
      sql: { type: 'string', description: 'The statement as written, without the trailing semicolon.' },
      changes: { type: 'array', items: { $ref: '#/$defs/change' } },
      locks: {
        type: 'array',
        description: 'Table locks the statement takes, strongest per table.',
        items: closedObject<AnalyzedStatement['locks'][number]>(
          'A table-level lock.',
          { table: qualifiedTable, mode: { $ref: '#/$defs/lockMode' } },
          ['table', 'mode'],
        ),
      },
      rewritesTable: { type: 'boolean', description: "The table's data is rewritten into new files." },
      scansTable: { type: 'boolean', description: 'Every row is read (to validate) without a rewrite.' },
      transactional: {
        type: 'boolean',
        description: 'The statement runs inside a transaction block (runner and BEGIN/COMMIT).',
      },
      estimatedLockMs: {
        type: 'number',
        minimum: 0,
        description: 'Estimated time the statement holds a lock that blocks application reads or writes.',
      },
      findings: { type: 'array', items: finding },
      algorithm: {
        enum: ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'],
        description:
          "MySQL/MariaDB: the ALTER algorithm that really runs (the heaviest of the statement's clauses).",
      },
      blocksWrites: {
        type: 'boolean',
        description: 'MySQL/MariaDB: application writes to the table wait while the statement works.',
      },
      blocksReads: {
        type: 'boolean',
        description: 'MySQL/MariaDB: application reads of the table wait while the statement works.',
      },
      evidence: {
        enum: ['server-verified', 'documented-only'],
        description:
          'MySQL/MariaDB: the facts were measured on a MariaDB server by the test suite, or read from the MySQL manual only.',
      },
    },
    [
      'file',
      'line',
      'column',
      'sql',
      'changes',
      'locks',
      'rewritesTable',
      'scansTable',
      'transactional',
      'estimatedLockMs',
      'findings',
    ],
  );
  const assessment = closedObject<Assessment>(
    "The brief's assessment, with exactly its keys.",
    {
      breaking_changes: { type: 'array', items: { type: 'string' } },
      performance_impact: { enum: ['low', 'medium', 'high'] },
      lock_duration_estimate: {
        type: 'string',
        description: 'Longest time application traffic may be blocked, in words ("0.34 seconds (…)").',
      },
      requires_data_migration: { type: 'boolean' },
      rollback_complexity: { type: 'integer', minimum: 1, maximum: 5 },
      safe_to_deploy: { type: 'boolean' },
      recommended_approach: { type: 'string' },
    },
    [
      'breaking_changes',
      'performance_impact',
      'lock_duration_estimate',
      'requires_data_migration',
      'rollback_complexity',
      'safe_to_deploy',
      'recommended_approach',
    ],
  );
  // AnalysisResult, not AnalyzeOutput: the API's `run` internals are never printed.
  const root = closedObject<AnalysisResult & { impact?: ImpactResult }>(
    'Output of `schemapilot analyze --format json`.',
    {
      dialect: { enum: DIALECTS },
      serverVersion: {
        type: ['string', 'null'],
        description:
          'Version of the live database ("15.19"), the configured major ("15"), or null when unknown.',
      },
      statements: { type: 'array', items: { $ref: '#/$defs/statement' } },
      assessment,
      assumptions: {
        type: 'array',
        items: { type: 'string' },
        description:
          'What the analysis assumed for lack of a schema or version; empty when it knew everything.',
      },
      impact: {
        type: 'object',
        description:
          'With --service (or services in the config): the queries of other services the migration breaks, with the keys of `schemapilot impact --format json` (src/core/impact.ts).',
        required: ['affected_services', 'services'],
        properties: {
          affected_services: { type: 'array' },
          services: { type: 'array' },
          warnings: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    },
    ['dialect', 'serverVersion', 'statements', 'assessment', 'assumptions'],
  );
  return {
    $schema: DRAFT,
    $id: `${SCHEMA_BASE_URL}analyze-output.schema.json`,
    title: 'schemapilot analyze output',
    ...root,
    $defs: {
      statement,
      change: {
        type: 'object',
        description:
          'What the statement does to the schema (src/core/change.ts). Only "kind" is fixed here; the other keys depend on it.',
        required: ['kind'],
        properties: { kind: { enum: CHANGE_KINDS } },
      },
      lockMode: {
        enum: ALL_LOCK_MODES,
        description: 'PostgreSQL table lock mode, spelled as in the documentation, weakest first.',
      },
      severity: { enum: ['error', 'warning', 'info'] },
    },
  };
}

function configSchema(): Schema {
  const settings = ['off', 'error', 'warning', 'info'];
  const rules = Object.fromEntries(
    ruleCatalog(allRules).map((r) => [
      r.id,
      { enum: settings, description: `${r.description} (default: ${r.severity}).` },
    ]),
  );
  const d = DEFAULT_CONFIG;
  const config = closedObject<Omit<ResolvedConfig, 'targetVersionText'> & { $schema: string }>(
    'schemapilot.config.json: every key is optional.',
    {
      $schema: { type: 'string', description: 'This schema, for editors.' },
      rules: {
        type: 'object',
        description: 'Severity per rule id, or "off".',
        properties: rules,
        additionalProperties: false,
      },
      largeTableRows: {
        type: 'integer',
        minimum: 0,
        default: d.largeTableRows,
        description:
          'Tables with at least this many rows are large: locking findings keep their full severity.',
      },
      defaultSchema: {
        type: 'string',
        minLength: 1,
        default: d.defaultSchema,
        description: 'Schema that unqualified names resolve to.',
      },
      targetVersion: {
        oneOf: [
          { type: 'integer', minimum: 10, maximum: 18, description: 'A PostgreSQL major.' },
          {
            type: 'string',
            pattern: '^\\d+\\.\\d+(\\.\\d+)?$',
            description: 'A MySQL or MariaDB version: "8.0.36", "8.4", "10.11".',
          },
        ],
        description: 'Server version to assume when there is no live database.',
      },
      runner: {
        enum: RUNNERS,
        description:
          'How migration files are run, which decides transactions (default: detected from the layout).',
      },
      timeZoneIsUtc: {
        type: 'boolean',
        description:
          "The deploy session's TimeZone is UTC (timestamp ↔ timestamptz then needs no rewrite on 12+). Unset: the live database's TimeZone for the role decides; without one, not UTC is assumed.",
      },
      maxLockTimeoutMs: {
        type: 'number',
        exclusiveMinimum: 0,
        default: d.maxLockTimeoutMs,
        description: 'lock-timeout-missing accepts a lock_timeout up to this many milliseconds.',
      },
      ai: {
        type: 'object',
        description:
          'The optional AI provider for ask, --explain and post-mortems. Keys come from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY, or the variable named by apiKeyEnv), never from this file; SCHEMAPILOT_AI_* variables override these keys.',
        properties: {
          provider: {
            enum: ['anthropic', 'openai'],
            description: 'openai means any OpenAI-compatible endpoint.',
          },
          model: {
            type: 'string',
            minLength: 1,
            description: 'Model id (default for anthropic: a current Sonnet).',
          },
          baseUrl: {
            type: 'string',
            minLength: 1,
            description: 'Endpoint, e.g. http://localhost:11434/v1 for Ollama.',
          },
          apiKeyEnv: {
            type: 'string',
            minLength: 1,
            description: 'Environment variable that holds the key.',
          },
          timeoutMs: { type: 'integer', minimum: 0, description: 'Per request.' },
          maxRetries: { type: 'integer', minimum: 0, description: 'Retries on 429, 5xx and timeouts.' },
          cacheDir: { type: 'string', minLength: 1, description: 'Response cache directory, or "off".' },
          prices: {
            type: 'object',
            description: 'USD per million tokens, by model id, for the cost shown after each command.',
            additionalProperties: {
              type: 'object',
              required: ['inputPerMTok', 'outputPerMTok'],
              properties: {
                inputPerMTok: { type: 'number', minimum: 0 },
                outputPerMTok: { type: 'number', minimum: 0 },
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      mysql: {
        type: 'object',
        description: 'MySQL/MariaDB plans.',
        properties: {
          onlineSchemaChange: {
            enum: ONLINE_SCHEMA_CHANGE,
            default: d.mysql.onlineSchemaChange,
            description:
              'What a plan runs for a change only a table copy can do on a large table: pt-online-schema-change (deploy runs it), gh-ost (the plan says how to run it), or none (expand/contract where a recipe has one, else ALGORITHM=COPY, LOCK=SHARED, which blocks writes).',
          },
        },
        additionalProperties: false,
      },
      services: {
        type: 'array',
        description:
          "The fleet: each service's code (whose queries `schemapilot impact`, analyze, plan, check and deploy --dry-run check against the migration on a scratch database) and, for `schemapilot fleet`, its migrations, runner, dialect, database and owners. `--service NAME=PATH` adds one or overrides the entry of that name.",
        items: {
          type: 'object',
          required: ['name', 'path'],
          properties: {
            name: {
              type: 'string',
              pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
              description: 'The service as reports name it; unique.',
            },
            path: { type: 'string', minLength: 1, description: 'Its checkout, relative to this file.' },
            include: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              description:
                'Globs (relative to path) of the files to read; default: every file of a known language.',
            },
            exclude: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              description: 'Globs to skip, besides node_modules, vendor, .git and migration folders.',
            },
            database: {
              type: 'string',
              minLength: 1,
              description:
                'The database it uses, by a name the fleet shares: `fleet check` checks the queries of every service with the same database against a migration of any of them.',
            },
            migrations: {
              type: 'string',
              minLength: 1,
              description:
                'Its migrations directory, relative to this file (`fleet check` checks the changed ones).',
            },
            runner: {
              enum: [...RUNNERS],
              description:
                'How its migration tool runs a file; default: detected from the layout, else the top-level runner.',
            },
            dialect: {
              enum: ['postgres', 'mysql', 'sqlite'],
              description: 'Its database family; default postgres.',
            },
            databaseUrlEnv: {
              type: 'string',
              pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
              description:
                'The NAME of the environment variable holding its database URL (read-only inspection). Never the URL: a URL anywhere in this file is refused. Unset at run time: the schema is rebuilt by replaying its unchanged migrations on the scratch server.',
            },
            owners: {
              type: 'array',
              items: { type: 'string', pattern: '^@?[A-Za-z0-9][A-Za-z0-9._@/-]{0,99}$' },
              description:
                'Who reviews its migrations (`@org/team`, `@user`): shown in reports (never as a mention).',
            },
          },
          additionalProperties: false,
        },
      },
    },
    [],
  );
  return {
    $schema: DRAFT,
    $id: `${SCHEMA_BASE_URL}config.schema.json`,
    title: 'schemapilot configuration',
    ...config,
  };
}

/**
 * The plan, from the zod schema deploy and validate check plan files with. What JSON Schema
 * cannot say (unique step ids, sources that exist, maxBackoffMs >= backoffMs) is in the
 * description; schemapilot checks it too.
 */
function planSchema(): Schema {
  const { $schema: _draft, ...plan } = z.toJSONSchema(planShape, { target: 'draft-2020-12' });
  return {
    $schema: DRAFT,
    $id: `${SCHEMA_BASE_URL}plan.schema.json`,
    title: 'schemapilot plan',
    description:
      "A plan saved by `schemapilot plan --out`, as `validate` and `deploy` accept it. They also require unique step ids, each step's source to exist, and maxBackoffMs >= backoffMs.",
    ...plan,
  };
}

const schemaDir = fileURLToPath(new URL('../schema/', import.meta.url));

/**
 * File path → content, formatted as the repository's prettier config formats JSON (so
 * `prettier --check .` passes); indented first, so prettier keeps objects one key a line.
 */
export async function generatedSchemas(): Promise<Map<string, string>> {
  void everyDialectListed;
  const files = new Map<string, string>();
  for (const [name, schema] of [
    ['analyze-output.schema.json', analyzeOutputSchema()],
    ['config.schema.json', configSchema()],
    ['plan.schema.json', planSchema()],
  ] as const) {
    const path = `${schemaDir}${name}`;
    const options = (await prettier.resolveConfig(path)) ?? {};
    files.set(path, await prettier.format(JSON.stringify(schema, null, 2), { ...options, filepath: path }));
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of await generatedSchemas()) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
