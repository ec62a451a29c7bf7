import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The version of @mtl-fd/metrics (its package.json, one level above src/ and dist/ alike).
 * Cached rows are keyed by it, so an upgrade that may change a number rescored everything.
 */
export const METRICS_VERSION: string = (require('../package.json') as { version: string }).version;
