import type { AnalysisResult } from '../core/analysis.js';

/** The JSON contract (schema/analyze-output.schema.json): keys in the documented order. */
export function renderAnalysisJson(result: AnalysisResult): string {
  const { dialect, serverVersion, statements, assessment, assumptions } = result;
  return JSON.stringify({ dialect, serverVersion, statements, assessment, assumptions }, null, 2) + '\n';
}
