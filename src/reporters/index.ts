import type { AnalysisResult } from '../core/analysis.js';
import { renderAnalysisJson } from './analysis-json.js';
import { renderAnalysisText } from './analysis-text.js';
import { renderGithub } from './github.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';

/** Output formats of analyze (and later check). Each is a pure (result) → string. */
export const REPORT_FORMATS = ['text', 'json', 'markdown', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What a report needs besides the result; the CLI supplies it, so reporters read no files. */
export interface ReportContext {
  /** schemapilot's version, for SARIF's tool.driver.version. */
  toolVersion: string;
}

export function renderReport(result: AnalysisResult, format: ReportFormat, context: ReportContext): string {
  switch (format) {
    case 'json':
      return renderAnalysisJson(result);
    case 'text':
      return renderAnalysisText(result);
    case 'markdown':
      return renderMarkdown(result);
    case 'sarif':
      return renderSarif(result, { toolVersion: context.toolVersion });
    case 'github':
      return renderGithub(result);
  }
}
