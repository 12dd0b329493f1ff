import type { AnalysisResult } from '../core/analysis.js';
import { renderAnalysisJson } from './analysis-json.js';
import { renderAnalysisText } from './analysis-text.js';

/** Output formats of analyze (and later check). Each is a pure (result) → string. */
export const REPORT_FORMATS = ['text', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(result: AnalysisResult, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return renderAnalysisJson(result);
    case 'text':
      return renderAnalysisText(result);
  }
}
