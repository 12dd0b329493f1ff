/** The fleet's report (`fleet check`, `fleet report`) as terminal text, the PR comment and SARIF. */
export { renderFleetText } from './text.js';
export { renderFleetMarkdown, type FleetMarkdownOptions } from './markdown.js';
export { renderFleetSarif, type FleetSarifOptions } from './sarif.js';
