/**
 * The AI client for a command, from the config's `ai` section and the environment; or why
 * there is none (a command that needs it turns that into its error, others print a note).
 */
import type { AiClient } from '../ai/types.js';
import type { ResolvedConfig } from '../config/types.js';

export async function aiClientFor(
  config: ResolvedConfig,
): Promise<{ client: AiClient; description: string } | { missing: string }> {
  // Loaded on demand: the SDKs cost startup time that commands without --explain should not pay.
  const { createAiClientFromSettings, describeAiSettings, resolveAiSettings } =
    await import('../ai/config.js');
  const settings = resolveAiSettings(process.env, config.ai);
  if ('missing' in settings) return { missing: settings.missing };
  return { client: createAiClientFromSettings(settings), description: describeAiSettings(settings) };
}
