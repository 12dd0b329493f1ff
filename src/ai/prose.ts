/**
 * The model's words where they help a person: an explanation of an analysis (`--explain`) and
 * the post-mortem section of a failed deploy's incident report. Both are prose added beside the
 * engine's output; neither can change a verdict (callers append, never replace).
 */
import type { AnalysisResult } from '../core/analysis.js';
import type { Plan } from '../core/plan.js';
import type { Incident } from '../core/deploy.js';
import { EXPLAIN_SYSTEM_PROMPT, POSTMORTEM_SYSTEM_PROMPT } from './prompts.js';
import { AiOutputError, type AiClient } from './types.js';

export async function explainAnalysis(client: AiClient, result: AnalysisResult): Promise<string> {
  const analysis = {
    serverVersion: result.serverVersion,
    statements: result.statements.map((s) => ({
      at: `${s.file}:${s.line}`,
      sql: s.sql.slice(0, 2000),
      locks: s.locks,
      rewritesTable: s.rewritesTable,
      estimatedLockMs: s.estimatedLockMs,
      findings: s.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    })),
    assessment: result.assessment,
  };
  return prose(
    client,
    EXPLAIN_SYSTEM_PROMPT,
    `<analysis>\n${JSON.stringify(analysis, null, 1)}\n</analysis>`,
    600,
  );
}

export async function writePostMortem(client: AiClient, incident: Incident, plan: Plan): Promise<string> {
  const facts = {
    incident,
    steps: plan.steps.map((s) => ({ id: s.id, phase: s.phase, description: s.description, sql: s.sql })),
  };
  return prose(
    client,
    POSTMORTEM_SYSTEM_PROMPT,
    `<incident>\n${JSON.stringify(facts, null, 1)}\n</incident>`,
    900,
  );
}

async function prose(client: AiClient, system: string, content: string, maxTokens: number): Promise<string> {
  const response = await client.chat({
    system,
    messages: [{ role: 'user', content }],
    tools: [],
    temperature: 0,
    maxTokens,
  });
  const text = response.text.trim();
  if (!text) throw new AiOutputError(`the model (${client.model}) returned no text`);
  return text;
}

/** One line for stderr: calls, tokens, cost, cache hits. */
export function describeCalls(client: AiClient): string {
  const calls = client.calls;
  const input = calls.reduce((n, c) => n + c.usage.inputTokens, 0);
  const output = calls.reduce((n, c) => n + c.usage.outputTokens, 0);
  const cached = calls.filter((c) => c.cached).length;
  const priced = calls.every((c) => c.costUsd !== null);
  const cost = calls.reduce((n, c) => n + (c.costUsd ?? 0), 0);
  return `AI (${client.provider}, ${client.model}): ${calls.length} call${calls.length === 1 ? '' : 's'}, ${input.toLocaleString('en')} input + ${output.toLocaleString('en')} output tokens, ${priced ? `$${cost.toFixed(4)}` : 'cost unknown (no price for this model in config ai.prices)'}${cached ? `, ${cached} from cache` : ''}`;
}
