import type { Command } from 'commander';
import { analyze, type AnalyzeOutput } from '../../api/analyze.js';
import type { AnalysisResult } from '../../core/analysis.js';
import type { ResolvedConfig } from '../../config/types.js';
import { analysisJsonPieces, renderAnalysisJson } from '../../reporters/analysis-json.js';
import { renderAnalysisText } from '../../reporters/analysis-text.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../reporters/index.js';
import { emit, oneOf, painterForOutput, printNote } from '../io.js';
import {
  addMigrationInputOptions,
  readMigrationInput,
  type MigrationInputFlags,
} from '../migration-input.js';
import { addServiceOptions, serviceImpactFor, type ServiceFlags } from '../service-input.js';
import type { ImpactResult } from '../../core/impact.js';
import { version } from '../../core/version.js';

export { readLive } from '../migration-input.js';

interface AnalyzeFlags extends MigrationInputFlags, ServiceFlags {
  format: string;
  output?: string;
  explain?: boolean;
}

/**
 * `--explain`: the model's words appended to the recommended approach (so every format, the PR
 * comment included, carries them). Without a provider, or when the model fails, the report is
 * printed without them and a note says why: the engine's output never depends on the model.
 */
export async function addExplanation(result: AnalysisResult, config: ResolvedConfig): Promise<void> {
  const { aiClientFor } = await import('../ai-setup.js');
  const ai = await aiClientFor(config);
  if ('missing' in ai) {
    printNote('note', `--explain skipped: ${ai.missing}`);
    return;
  }
  const { describeCalls, explainAnalysis } = await import('../../ai/prose.js');
  try {
    const text = await explainAnalysis(ai.client, result);
    result.assessment.recommended_approach += `\n\nIn plain words (written by ${ai.client.model}; the verdict above is the engine's):\n${text}`;
  } catch (error) {
    printNote('note', `--explain failed, report printed without it: ${(error as Error).message}`);
  }
  process.stderr.write(`${describeCalls(ai.client)}\n`);
}

export function registerAnalyze(program: Command): void {
  addServiceOptions(
    addMigrationInputOptions(
      program
        .command('analyze')
        .description(
          'Report the locks, rewrites, breaking changes and risks of a migration, with safe alternatives',
        ),
      'analyze',
    ),
    { devUrl: true },
  )
    .option('--format <format>', `${REPORT_FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file')
    .option(
      '--explain',
      "add an AI model's plain-words explanation to the recommended approach (needs a provider; the verdict stays the engine's)",
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 safe to deploy, 1 not safe (or a finding at error severity), 2 bad input.

Examples:
  schemapilot analyze migrations/ --db postgres://postgres@localhost/app
  schemapilot analyze --change "ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false"
  schemapilot analyze db/migrate/V12__orders.sql --schema snapshot.json --format markdown -o comment.md
  cat change.sql | schemapilot analyze - --format json`,
    )
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      const format = oneOf('--format', flags.format, REPORT_FORMATS);
      const input = await readMigrationInput(paths, flags, 'analyze');
      const result = await analyze({
        files: input.files,
        config: input.config,
        snapshot: input.snapshot,
        volatility: input.volatility,
        dialect: input.dialect,
      });
      for (const note of input.notes) if (!result.assumptions.includes(note)) result.assumptions.push(note);
      const impact = await serviceImpactFor(flags, input, () => result.plan);
      // The impact's modules load only for runs with services: analyze alone starts without them.
      const withImpact = impact ? { impact, ...(await impactModules()) } : undefined;
      if (withImpact) withImpact.applyImpact(result, withImpact.impact);
      if (flags.explain) await addExplanation(result, input.config);
      emit(render(result, format, flags.output, withImpact), flags.output);
      process.exitCode = exitCodeFor(result);
    });
}

export function exitCodeFor(result: AnalyzeOutput): number {
  const hasError = result.statements.some((s) => s.findings.some((f) => f.severity === 'error'));
  return result.assessment.safe_to_deploy && !hasError ? 0 : 1;
}

async function impactModules() {
  const [check, markdown, sarif, text] = await Promise.all([
    import('../../api/check.js'),
    import('../../reporters/impact/markdown.js'),
    import('../../reporters/impact/sarif.js'),
    import('../../reporters/impact/text.js'),
  ]);
  return {
    applyImpact: check.applyImpact,
    renderImpactMarkdown: markdown.renderImpactMarkdown,
    addImpactToSarif: sarif.addImpactToSarif,
    renderImpactText: text.renderImpactText,
  };
}

type WithImpact = { impact: ImpactResult } & Awaited<ReturnType<typeof impactModules>>;

function render(
  result: AnalyzeOutput,
  format: ReportFormat,
  output: string | undefined,
  withImpact: WithImpact | undefined,
): string | string[] {
  const impact = withImpact?.impact;
  if (format === 'text') {
    const paint = painterForOutput(output);
    const text = renderAnalysisText(result, paint);
    return withImpact ? `${text}\n${withImpact.renderImpactText(withImpact.impact, paint)}` : text;
  }
  if (format === 'json') {
    if (!impact) return analysisJsonPieces(result);
    const json = renderAnalysisJson(result);
    // With services, the impact (its brief's keys) sits beside the analysis under "impact".
    return impact ? `${JSON.stringify({ ...(JSON.parse(json) as object), impact }, null, 2)}\n` : json;
  }
  const report = renderReport(result, format, { toolVersion: version });
  if (!withImpact) return report;
  if (format === 'sarif') return withImpact.addImpactToSarif(report, withImpact.impact);
  if (format === 'markdown') return `${report}\n${withImpact.renderImpactMarkdown(withImpact.impact)}`;
  return report;
}
