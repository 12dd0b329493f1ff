import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from '../../scripts/gen-schemas.js';
import { validateConfig } from '../../src/config/load.js';
import { RUNNERS } from '../../src/config/types.js';
import { ENGINE_RULE_IDS } from '../../src/linter/run.js';
import { allRules } from '../../src/rules/index.js';
import { checkJson } from '../../src/core/json-input.js';
import { planSchema } from '../../src/core/plan-schema.js';
import { planSql } from '../support/plan-helpers.js';
import { validateJson, type JsonSchema } from '../support/json-schema.js';

function committed(name: string): JsonSchema {
  return JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as JsonSchema;
}

describe('schema/*.schema.json', () => {
  it('are what `npm run gen:schemas` writes (run it after changing rules, runners or the output types)', async () => {
    const files = await generatedSchemas();
    expect(files.size).toBe(3);
    for (const [path, text] of files) expect(readFileSync(path, 'utf8'), path).toBe(text);
  });

  it('declare draft 2020-12', () => {
    for (const name of ['analyze-output.schema.json', 'config.schema.json', 'plan.schema.json']) {
      expect(committed(name)).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
    }
  });

  it("assessment has exactly the brief's keys", () => {
    // The keys of the JSON the brief's agent returns (seed/ai-schema-migration-agent.txt).
    const brief = [
      'breaking_changes',
      'performance_impact',
      'lock_duration_estimate',
      'requires_data_migration',
      'rollback_complexity',
      'safe_to_deploy',
      'recommended_approach',
    ];
    const schema = committed('analyze-output.schema.json') as {
      properties: { assessment: { properties: object; required: string[]; additionalProperties: boolean } };
    };
    const assessment = schema.properties.assessment;
    expect(Object.keys(assessment.properties).sort()).toEqual([...brief].sort());
    expect([...assessment.required].sort()).toEqual([...brief].sort());
    expect(assessment.additionalProperties).toBe(false);
  });
});

describe('config.schema.json', () => {
  const schema = committed('config.schema.json');
  const knownRules = [...allRules.map((r) => r.meta.id), ...ENGINE_RULE_IDS];

  it('lists every rule id and runner', () => {
    const s = schema as { properties: { rules: { properties: object }; runner: { enum: string[] } } };
    expect(Object.keys(s.properties.rules.properties).sort()).toEqual([...knownRules].sort());
    expect(s.properties.runner.enum).toEqual([...RUNNERS]);
  });

  // Editors validate with the schema, the CLI with validateConfig: they must agree.
  const configs: Record<string, unknown> = {
    empty: {},
    full: {
      $schema: './node_modules/schemapilot/schema/config.schema.json',
      rules: { 'drop-column': 'warning', 'invalid-ignore': 'off' },
      largeTableRows: 0,
      defaultSchema: 'app',
      targetVersion: 18,
      runner: 'flyway',
      timeZoneIsUtc: true,
      maxLockTimeoutMs: 0.5,
    },
    'unknown rule': { rules: { 'drop-colum': 'off' } },
    'bad setting': { rules: { 'drop-column': 'fatal' } },
    'negative rows': { largeTableRows: -1 },
    'fractional rows': { largeTableRows: 1.5 },
    'empty schema name': { defaultSchema: '' },
    'version 9': { targetVersion: 9 },
    'version 19': { targetVersion: 19 },
    'version as string': { targetVersion: '15' },
    'unknown runner': { runner: 'liquibase' },
    'zero timeout': { maxLockTimeoutMs: 0 },
    'utc as string': { timeZoneIsUtc: 'yes' },
    'unknown key': { largeTables: 10 },
    'not an object': [],
  };
  for (const [name, config] of Object.entries(configs)) {
    it(`agrees with the loader: ${name}`, () => {
      let loaderAccepts = true;
      try {
        validateConfig(config, 'schemapilot.config.json', knownRules);
      } catch {
        loaderAccepts = false;
      }
      expect(validateJson(schema, config).length === 0).toBe(loaderAccepts);
    });
  }
});

describe('plan.schema.json', () => {
  const schema = committed('plan.schema.json');

  it('accepts the plans the planner makes, every recipe shape included', async () => {
    const plans = await Promise.all(
      [
        'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()',
        'ALTER TABLE orders ALTER COLUMN total TYPE bigint',
        'ALTER TABLE users RENAME COLUMN name TO full_name',
        'CREATE INDEX ON orders (status); DROP TABLE audit_log',
      ].map((sql) => planSql(sql)),
    );
    for (const p of plans) {
      const plain = JSON.parse(JSON.stringify(p)) as unknown;
      expect(validateJson(schema, plain)).toEqual([]);
      expect(checkJson(planSchema, plain)).toEqual({ value: plain });
    }
  });

  // deploy and validate check plan files with the zod schema, editors with the JSON Schema:
  // they must agree, except on what JSON Schema cannot say.
  const edits: Record<string, [(step: Record<string, unknown>) => void, 'both' | 'zod only']> = {
    'no rollback': [(s) => delete s['rollback'], 'both'],
    'unknown phase': [(s) => (s['phase'] = 'cleanup'), 'both'],
    'retry count 1e9': [(s) => ((s['retry'] as Record<string, unknown>)['maxAttempts'] = 1e9), 'both'],
    'fractional timeout': [(s) => (s['lockTimeoutMs'] = 1.5), 'both'],
    'timeout as SQL': [(s) => (s['lockTimeoutMs'] = '0; DROP TABLE users'), 'both'],
    'empty SQL list': [(s) => (s['sql'] = []), 'both'],
    'unknown key': [(s) => (s['rollbak'] = []), 'both'],
    'unknown lock mode': [(s) => (s['lock'] = { table: 'public.users', mode: 'EVERYTHING' }), 'both'],
    'source out of range': [(s) => (s['source'] = 99), 'zod only'],
    'backoff cap below the first wait': [
      (s) => ((s['retry'] as Record<string, unknown>)['maxBackoffMs'] = 1),
      'zod only',
    ],
  };
  for (const [name, [edit, who]] of Object.entries(edits)) {
    it(`refuses a step with ${name} (${who})`, async () => {
      const plan = JSON.parse(JSON.stringify(await planSql('CREATE INDEX ON orders (status)'))) as {
        steps: Record<string, unknown>[];
      };
      const step = plan.steps[0];
      if (!step) throw new Error('no step');
      edit(step);
      expect('problem' in checkJson(planSchema, plan)).toBe(true);
      expect(validateJson(schema, plan).length > 0).toBe(who === 'both');
    });
  }

  it('refuses duplicate step ids (zod only)', async () => {
    const plan = JSON.parse(JSON.stringify(await planSql('CREATE INDEX ON orders (status)'))) as {
      steps: unknown[];
    };
    plan.steps.push(plan.steps[0]);
    expect(checkJson(planSchema, plan)).toEqual({
      problem: '$.steps[1].id: duplicate step id "expand-1" (also $.steps[0].id)',
    });
    expect(validateJson(schema, plan)).toEqual([]);
  });
});
