/**
 * Public addresses that reports link to. One place, so a repository move is a one-line change.
 * The docs page of a rule is docs/rules/<id>.md (written by `npm run new:rule`).
 */
export const REPOSITORY_URL = 'https://github.com/schemapilot/schemapilot';

const RULE_DOCS_BASE = `${REPOSITORY_URL}/blob/main/docs/rules/`;

/** Where the JSON Schemas in schema/ are served from, for `$id` and for editors' `$schema`. */
export const SCHEMA_BASE_URL = 'https://raw.githubusercontent.com/schemapilot/schemapilot/main/schema/';

export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE}${encodeURIComponent(ruleId)}.md`;
}
