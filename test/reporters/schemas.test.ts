import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from '../../scripts/gen-schemas.js';
import { validateConfig } from '../../src/config/load.js';
import { RUNNERS } from '../../src/config/types.js';
import { ENGINE_RULE_IDS } from '../../src/linter/run.js';
import { allRules } from '../../src/rules/index.js';
import { validateJson, type JsonSchema } from '../support/json-schema.js';

function committed(name: string): JsonSchema {
  return JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as JsonSchema;
}

describe('schema/*.schema.json', () => {
  it('are what `npm run gen:schemas` writes (run it after changing rules, runners or the output types)', async () => {
    const files = await generatedSchemas();
    expect(files.size).toBe(2);
    for (const [path, text] of files) expect(readFileSync(path, 'utf8'), path).toBe(text);
  });

  it('declare draft 2020-12', () => {
    for (const name of ['analyze-output.schema.json', 'config.schema.json']) {
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
