/**
 * The model's structured output, checked before anything uses it: the tool arguments of
 * propose_migration must be a JSON object with a non-empty `sql` string and an `explanation`
 * string, and nothing else. A bad shape becomes an error message for the model (the agent sends
 * it back for a repair), never a crash and never a half-read proposal.
 */
import type { ToolCall } from './types.js';

export function checkProposal(call: ToolCall): { sql: string; explanation: string } | { error: string } {
  if (call.input === null)
    return {
      error: `propose_migration: the arguments are not a JSON object (got ${JSON.stringify(call.rawInput.slice(0, 120))})`,
    };
  const problems: string[] = [];
  const { sql, explanation } = call.input;
  if (typeof sql !== 'string' || sql.trim() === '') problems.push('"sql" must be a non-empty string');
  if (typeof explanation !== 'string' || explanation.trim() === '')
    problems.push('"explanation" must be a non-empty string');
  else if (explanation.length > 4000) problems.push('"explanation" must be at most 4000 characters');
  const extra = Object.keys(call.input).filter((k) => k !== 'sql' && k !== 'explanation');
  if (extra.length > 0)
    problems.push(
      `unexpected field(s) ${extra.map((k) => `"${k}"`).join(', ')} (the verdict is the engine's)`,
    );
  if (problems.length > 0 || typeof sql !== 'string' || typeof explanation !== 'string')
    return { error: `propose_migration: ${problems.join('; ')}` };
  return { sql: sql.trim(), explanation: explanation.trim() };
}
