/**
 * The incident report of a failed deploy, three renderings of one analysis
 * (src/deploy/incident): Markdown (for the incident ticket or PR), JSON (for tools:
 * `remainingRollbackSql`, `fixByHand`, `prevent`) and a short terminal text.
 *
 * Names, queries and messages are data: in Markdown they are escaped or put in code spans and
 * fences longer than any backtick run inside, and they are capped in size.
 */
export { renderIncidentJson } from './json.js';
export { renderIncidentMarkdown } from './markdown.js';
export { renderIncidentText } from './text.js';
