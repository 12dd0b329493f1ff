import type { Command } from 'commander';
import { check, type CheckResult } from '../../api/check.js';
import { ask, type AskResult } from '../../ai/agent.js';
import { describeCalls } from '../../ai/prose.js';
import { intFlag } from '../flags.js';
import { InputError } from '../../core/errors.js';
import { renderAnalysisText } from '../../reporters/analysis-text.js';
import type { Painter } from '../../reporters/ansi.js';
import { renderPlanText } from '../../reporters/plan-text.js';
import { renderChecklist, renderValidationText } from '../../reporters/validation-text.js';
import { canonicalJson } from '../../schema/canonical-json.js';
import { withScratch } from '../../validate/scratch.js';
import { aiClientFor } from '../ai-setup.js';
import { checkConnectionString, emit, oneOf, painterForOutput, printNote } from '../io.js';
import { addNetworkOptions } from '../network.js';
import { readMigrationInput, type MigrationInputFlags } from '../migration-input.js';
import { addServiceOptions, parseServiceFlags, readServices, type ServiceFlags } from '../service-input.js';
import { renderImpactText } from '../../reporters/impact/text.js';

interface AskFlags extends MigrationInputFlags, ServiceFlags {
  devUrl?: string;
  maxRepairs: string;
  format: string;
  output?: string;
}

export function registerAsk(program: Command): void {
  addServiceOptions(addNetworkOptions(program.command('ask')), { devUrl: false })
    .description(
      'Turn a sentence into a migration with an AI model; the engine analyzes, plans and validates what it proposes',
    )
    .argument(
      '<request>',
      'what you want, e.g. "Add email_verified BOOLEAN NOT NULL DEFAULT false to users table"',
    )
    .option(
      '--db <url>',
      'live database (default: $DATABASE_URL); only its schema is shown to the model, never rows',
    )
    .option('--schema <snapshot.json>', 'a snapshot from `schemapilot inspect --format json` instead of --db')
    .option('--dev-url <url>', 'scratch server for validation (default: an embedded PostgreSQL)')
    .option('--max-repairs <n>', 'times an engine rejection goes back to the model before giving up', '3')
    .option('--format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write the answer to a file')
    .option('--config <file>', 'config file (default: ./schemapilot.config.json when present)')
    .addHelpText(
      'after',
      `
The model sees the table names and the schema (never the rows) of the tables it asks about, and
tools backed by the engine. Whatever SQL it proposes is analyzed, planned and validated on a
scratch database by the engine; errors go back to it for at most --max-repairs repairs. The
verdict is always the engine's; the model only adds the SQL and an explanation.

Provider: ANTHROPIC_API_KEY (Claude; SCHEMAPILOT_AI_MODEL picks the model), or any
OpenAI-compatible endpoint: SCHEMAPILOT_AI_PROVIDER=openai SCHEMAPILOT_AI_BASE_URL=... (Ollama:
http://localhost:11434/v1). Responses are cached under .schemapilot/cache/ai (SCHEMAPILOT_AI_CACHE=off).

Exit codes: 0 safe to deploy (the engine's verdict on the plan), 1 not safe, 2 bad input or no
provider configured.`,
    )
    .action(async (request: string, flags: AskFlags) => {
      const format = oneOf('--format', flags.format, ['text', 'json'] as const);
      const maxRepairs = intFlag('--max-repairs', flags.maxRepairs, { min: 0, max: 10 }) ?? 0;
      if (!request.trim()) throw new InputError('ask: the request is empty');
      if (flags.devUrl !== undefined) checkConnectionString(flags.devUrl, '--dev-url');
      parseServiceFlags(flags.service);
      const input = await readMigrationInput([], flags, 'ask', { filesOptional: true });
      // The services' queries are checked against what the model proposes (its impact is in the answer).
      const services = readServices(flags, input.config);
      const ai = await aiClientFor(input.config);
      if ('missing' in ai) throw new InputError(ai.missing);
      const snapshot = input.snapshot;
      if (!snapshot)
        throw new InputError(
          'ask needs the schema: pass --db URL (or set DATABASE_URL) or --schema snapshot.json',
        );
      const { dialect } = input;
      if (!dialect.scratch)
        throw new InputError(`ask validates on a scratch server: ${dialect.title} has none`);
      const progress = (m: string) => void process.stderr.write(`· ${m}\n`);
      progress(`asking ${ai.description}`);
      const result = await withScratch(
        dialect.scratch,
        {
          major: input.major,
          devUrl: flags.devUrl,
          onWarning: (w) => printNote('warning', w),
        },
        (scratch) =>
          ask({
            request,
            dialect: input.dialect,
            client: ai.client,
            maxRepairs,
            onProgress: progress,
            engine: {
              snapshot,
              check: (files) =>
                check({
                  files,
                  snapshot,
                  schema: { kind: 'snapshot', snapshot },
                  scratch,
                  config: input.config,
                  dialect: input.dialect,
                  services,
                }),
            },
          }),
      );
      process.stderr.write(`${describeCalls(ai.client)}\n`);
      if (format === 'json') {
        const { run: _run, plan: _plan, ...analysis } = result.check.analysis;
        emit(
          canonicalJson(
            {
              request,
              sql: result.sql,
              explanation: result.explanation,
              repairs: result.repairs,
              safeToDeploy: result.check.safeToDeploy,
              checklist: result.check.checklist,
              assessment: result.check.analysis.assessment,
              analysis,
              plan: result.check.plan,
              validation: result.check.validation,
              ...(result.check.impact ? { impact: result.check.impact } : {}),
              ai: { provider: ai.client.provider, model: ai.client.model, calls: ai.client.calls },
            },
            2,
          ),
          flags.output,
        );
      } else emit(renderAnswer(request, result, painterForOutput(flags.output)), flags.output);
      process.exitCode = result.check.safeToDeploy ? 0 : 1;
    });
}

function renderAnswer(request: string, result: AskResult<CheckResult>, paint: Painter): string {
  const out = [
    paint.bold(`Request: ${request}`),
    '',
    paint.bold('Proposed migration (written by the model, judged by the engine):'),
    ...result.sql.split('\n').map((l) => `  ${l}`),
    '',
    renderChecklist(result.check.checklist, paint),
  ];
  if (result.repairs.length > 0)
    out.push(
      paint.dim(`The engine sent ${result.repairs.length} proposal(s) back to the model:`),
      ...result.repairs.map((r) => paint.dim(`  - ${r.error}`)),
      '',
    );
  out.push(
    paint.bold('Explanation (from the model; not a verdict):'),
    ...result.explanation.split('\n').map((l) => `  ${l}`),
    '',
    paint.bold('── Analysis'),
    renderAnalysisText(result.check.analysis, paint),
    paint.bold('── Plan'),
    renderPlanText(result.check.plan, paint),
    paint.bold('── Validation'),
    renderValidationText(result.check.validation, paint),
  );
  if (result.check.impact)
    out.push(paint.bold('── Cross-service impact'), renderImpactText(result.check.impact, paint));
  return out.join('\n');
}
