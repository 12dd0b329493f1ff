import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/core/rule.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { allRules } from '../../src/rules/index.js';
import { validateJson, type JsonSchema } from '../support/json-schema.js';
import { analyzeSql, MIGRATIONS } from './support.js';

/**
 * What SARIF 2.1.0 requires of the objects we write (OASIS sarif-v2.1.0, §3.13 sarifLog, §3.14
 * run, §3.18 tool, §3.19 toolComponent, §3.49 reportingDescriptor, §3.27 result, §3.11 message,
 * §3.29 physicalLocation, §3.4 artifactLocation, §3.30 region), transcribed as a JSON Schema.
 */
const message: JsonSchema = {
  type: 'object',
  anyOf: [{ required: ['text'] }, { required: ['id'] }],
  properties: { text: { type: 'string' } },
};
const level: JsonSchema = { enum: ['none', 'note', 'warning', 'error'] };
const SARIF_REQUIRED: JsonSchema = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  informationUri: { type: 'string', pattern: '^https://' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { type: 'object', required: ['text'] },
                        helpUri: { type: 'string', pattern: '^https://' },
                        defaultConfiguration: { type: 'object', properties: { level } },
                      },
                    },
                  },
                },
              },
            },
          },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level,
                message,
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        anyOf: [{ required: ['artifactLocation'] }, { required: ['address'] }],
                        properties: {
                          artifactLocation: { type: 'object', properties: { uri: { type: 'string' } } },
                          region: {
                            type: 'object',
                            properties: {
                              startLine: { type: 'integer', minimum: 1 },
                              startColumn: { type: 'integer', minimum: 1 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

interface SarifLog {
  $schema: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    results: SarifResult[];
    properties: { assessment: { safe_to_deploy: boolean } };
  }[];
}
interface SarifRule {
  id: string;
  helpUri?: string;
  defaultConfiguration: { level: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
}

async function sarifFor(sql: string, options: Parameters<typeof analyzeSql>[1] = {}) {
  const result = await analyzeSql(sql, options);
  const log = JSON.parse(renderSarif(result, { toolVersion: '1.2.3' })) as SarifLog;
  const run = log.runs[0];
  if (!run) throw new Error('no run');
  return { result, log, run };
}

describe('sarif', () => {
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    it(`has the fields SARIF 2.1.0 requires: ${name}`, async () => {
      const { log } = await sarifFor(m.sql, m.schema === null ? { schema: null } : {});
      expect(validateJson(SARIF_REQUIRED, log)).toEqual([]);
      expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
      expect(log.runs).toHaveLength(1);
    });
  }

  it('describes every rule of the registry once, with its docs page and level', async () => {
    const { run } = await sarifFor(MIGRATIONS['safe']?.sql ?? '');
    const { driver } = run.tool;
    expect(driver.name).toBe('schemapilot');
    expect(driver.version).toBe('1.2.3');
    const ids = driver.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of allRules) {
      const d = driver.rules.find((r) => r.id === rule.meta.id);
      expect(d?.helpUri).toBe(
        `https://github.com/schemapilot/schemapilot/blob/main/docs/rules/${rule.meta.id}.md`,
      );
      const expected = { error: 'error', warning: 'warning', info: 'note' }[rule.meta.severity];
      expect(d?.defaultConfiguration.level).toBe(expected);
    }
    expect(run.results).toEqual([]);
  });

  it('has one result per finding, each pointing at its rule and statement', async () => {
    const { result, run } = await sarifFor(MIGRATIONS['unsafe']?.sql ?? '');
    const findings = result.statements.flatMap((s) => s.findings.map((f) => ({ s, f })));
    expect(run.results).toHaveLength(findings.length);
    run.results.forEach((r, i) => {
      const { s, f } = findings[i] ?? {};
      expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(r.ruleId).toBe(f?.rule);
      expect(r.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f?.severity ?? 'info']);
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toBe('migrations/V2__change.sql');
      expect(r.locations[0]?.physicalLocation.region.startLine).toBe(s?.line);
      // The safe alternative travels with the message, ready to paste.
      if (f?.safeAlternative) expect(r.message.text).toContain(f.safeAlternative);
    });
    expect(run.properties.assessment.safe_to_deploy).toBe(false);
  });

  it('describes a rule from outside the registry rather than pointing nowhere', async () => {
    const custom = defineRule({
      meta: {
        id: 'team-no-truncate',
        category: 'hygiene',
        severity: 'warning',
        description: 'Our team never truncates',
        kinds: ['truncate'],
        scalesWithSize: false,
        skipNewTables: false,
      },
      check: () => [{ message: 'TRUNCATE is not allowed here' }],
    });
    const { run } = await sarifFor('TRUNCATE settings', { rules: [custom] });
    const [only] = run.results;
    expect(only?.ruleId).toBe('team-no-truncate');
    expect(run.tool.driver.rules[only?.ruleIndex ?? -1]?.id).toBe('team-no-truncate');
  });

  it('keeps the fingerprint when the statement moves, and encodes odd file names', async () => {
    const drop = 'ALTER TABLE users DROP COLUMN email';
    const a = await sarifFor(drop, { file: '<stdin>' });
    const b = await sarifFor(`SELECT 1;\n\n${drop}`, { file: '<stdin>' });
    const fp = (run: typeof a.run) =>
      run.results.find((r) => r.ruleId === 'drop-column')?.partialFingerprints;
    expect(fp(a.run)).toBeDefined();
    expect(fp(b.run)).toEqual(fp(a.run));
    expect(a.run.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('%3Cstdin%3E');
    // Two findings of one rule on one statement stay two alerts.
    const two = await sarifFor('ALTER TABLE users DROP COLUMN email, DROP COLUMN name');
    const drops = two.run.results.filter((r) => r.ruleId === 'drop-column');
    expect(drops).toHaveLength(2);
    expect(drops[0]?.partialFingerprints).not.toEqual(drops[1]?.partialFingerprints);
  });
});
