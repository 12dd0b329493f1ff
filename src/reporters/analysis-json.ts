import type { AnalysisResult } from '../core/analysis.js';

/** The JSON contract (schema/analyze-output.schema.json): keys in the documented order. */
export function renderAnalysisJson(result: AnalysisResult): string {
  return analysisJsonPieces(result).join('');
}

/**
 * The same text as pieces to write one after the other: joining a report of tens of megabytes
 * to its newline copies it once more, which the CLI's write does not need.
 */
export function analysisJsonPieces(result: AnalysisResult): [string, string] {
  const { dialect, serverVersion, statements, assessment, assumptions } = result;
  return [JSON.stringify({ dialect, serverVersion, statements, assessment, assumptions }, null, 2), '\n'];
}
