import { createHash } from 'node:crypto';
import type { AnalysisResult, AnalyzedStatement, Finding, Severity } from '../core/analysis.js';
import type { Rule } from '../core/rule.js';
import { allRules } from '../rules/index.js';
import { REPOSITORY_URL, ruleDocsUrl } from './links.js';
import { repeatedRecipes, sameRecipeAs } from './grouping.js';
import { ruleCatalog, type RuleInfo } from './rule-catalog.js';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), the format
 * GitHub code scanning and other tools ingest: one run, every rule described once in
 * tool.driver.rules, one result per finding pointing at its statement. A long safe alternative is
 * given once per file, rule and table; the results after it refer to its line.
 */
export const SARIF_SCHEMA_URL = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** schemapilot's version (from package.json; the CLI passes it, reporters read no files). */
  toolVersion: string;
  /** Rules to describe; default the registry. */
  rules?: readonly Rule[];
}

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export function renderSarif(result: AnalysisResult, options: SarifOptions): string {
  const { rules, results } = sarifRulesAndResults([result.statements], options.rules);
  // The verdict as a whole, for consumers that want more than per-line results.
  return sarifLog(options.toolVersion, rules, results.flat(), {
    assessment: result.assessment,
    assumptions: result.assumptions,
  });
}

export type SarifResult = ReturnType<typeof toResult>;

/**
 * The rule descriptors and results of one or several analyses, for one run: `analyze` has one,
 * a fleet report one per service. `results[i]` are the results of `analyses[i]`, so the caller
 * can say whose they are; ruleIndex points into the shared `rules`.
 */
export function sarifRulesAndResults(
  analyses: readonly (readonly AnalyzedStatement[])[],
  ruleSet: readonly Rule[] = allRules,
): { rules: object[]; results: SarifResult[][] } {
  const descriptors = ruleCatalog(ruleSet).map(describeRule);
  // A finding from a rule outside the catalog (a custom rule given to the API) still needs a
  // descriptor, or its ruleIndex would point nowhere.
  for (const f of analyses.flat().flatMap((s) => s.findings)) {
    if (!descriptors.some((d) => d.id === f.rule)) descriptors.push(describeUnknownRule(f));
  }
  const seen = new Map<string, number>();
  const results = analyses.map((statements) => {
    const out: SarifResult[] = [];
    // One result per finding, but a long recipe once per file, rule and table: 200 renames
    // would otherwise carry 200 copies of a 30-line recipe.
    const repeats = repeatedRecipes(statements);
    for (const statement of statements) {
      for (const finding of statement.findings) {
        const ruleIndex = descriptors.findIndex((d) => d.id === finding.rule);
        out.push(toResult(statement, finding, ruleIndex, seen, repeats.get(finding)));
      }
    }
    return out;
  });
  return { rules: descriptors, results };
}

/**
 * A SARIF log of one schemapilot run: the tool, its rules, the results and the run's own
 * properties. Columns count UTF-16 code units (JavaScript string offsets).
 */
export function sarifLog(
  toolVersion: string,
  rules: readonly object[],
  results: readonly object[],
  properties: Record<string, unknown>,
): string {
  const log = {
    $schema: SARIF_SCHEMA_URL,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'schemapilot',
            version: toolVersion,
            semanticVersion: toolVersion,
            informationUri: REPOSITORY_URL,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
        properties,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

interface Descriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  help?: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { category?: string; tags: string[] };
}

function describeRule(rule: RuleInfo): Descriptor {
  const url = ruleDocsUrl(rule.id);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    helpUri: url,
    help: { text: `${rule.description}. ${url}`, markdown: `${rule.description}. [Documentation](${url})` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { category: rule.category, tags: ['postgresql', 'migration', rule.category] },
  };
}

function describeUnknownRule(f: Finding): Descriptor {
  return {
    id: f.rule,
    name: pascalCase(f.rule),
    shortDescription: { text: `Rule ${f.rule} (not one of schemapilot's own rules)` },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { tags: ['postgresql', 'migration'] },
  };
}

function toResult(
  s: AnalyzedStatement,
  f: Finding,
  ruleIndex: number,
  seen: Map<string, number>,
  recipeAt: AnalyzedStatement | undefined,
) {
  const safe = recipeAt ? null : f.safeAlternative;
  const text = recipeAt
    ? `${f.message}\n\n${sameRecipeAs(recipeAt)}`
    : safe
      ? `${f.message}\n\nSafe alternative:\n${safe}`
      : f.message;
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(s.file),
          region: { startLine: s.line, startColumn: s.column, snippet: { text: s.sql } },
        },
      },
    ],
    partialFingerprints: { 'schemapilotFinding/v1': fingerprint(s, f, seen) },
    properties: {
      safeAlternative: safe,
      ...(recipeAt ? { safeAlternativeAtLine: recipeAt.line } : {}),
      ...(f.table ? { table: f.table } : {}),
    },
  };
}

/**
 * Relative paths are relative to the repository root (%SRCROOT%, as GitHub expects); each
 * segment is percent-encoded so names like `<stdin>` or `V1__a#b.sql` stay valid URIs.
 */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const path = file.replace(/\\/g, '/');
  const uri = path.split('/').map(encodeURIComponent).join('/');
  return path.startsWith('/') ? { uri: `file://${uri}` } : { uri, uriBaseId: '%SRCROOT%' };
}

/**
 * Same finding on the same statement text in the same file → same fingerprint, wherever the
 * statement moves in the file, so code scanning keeps one alert across pushes. Several findings
 * of one rule on one statement, and repeats of an identical statement, are told apart by order.
 */
function fingerprint(s: AnalyzedStatement, f: Finding, seen: Map<string, number>): string {
  // The message is left out: rewording a rule must not reopen every alert.
  const key = [f.rule, s.file, s.sql.replace(/\s+/g, ' ').trim()].join('\u0000');
  const occurrence = (seen.get(key) ?? 0) + 1;
  seen.set(key, occurrence);
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
