/**
 * schemapilot's public API. Each later stage (analyze, plan, validate, deploy) adds its entry
 * points here; everything exported is plain data in, plain data out, except the functions that
 * take a database URL.
 */
export * from './core/errors.js';
export * from './core/snapshot.js';
export {
  inspectPostgres,
  introspectPostgres,
  type IntrospectOptions,
} from './dialects/postgres/introspect.js';
export { connectPostgres, describeTarget } from './dialects/postgres/connect.js';
export { schemaHash } from './schema/hash.js';
export { canonicalJson } from './schema/canonical-json.js';
export { toBriefTableShape, type BriefTableShape } from './schema/brief-shape.js';
export { findTable, requireTable } from './schema/lookup.js';
export { renderSnapshotText } from './reporters/snapshot-text.js';
export { startEmbeddedPostgres, type EmbeddedServer } from './validate/embedded-server.js';
