import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
// @ts-expect-error: a plain .mjs script of the repository, without type declarations
import { apiSection } from '../../../scripts/api-reference.mjs';

// The public surface of @mtl-fd/sweep, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'SHARD_COUNT_VARIABLE',
  'SHARD_PLACEHOLDER',
  'captureIdentity',
  'cleanRun',
  'findLeftovers',
  'isShardDone',
  'listSweep',
  'mergeShards',
  'parseShardSpec',
  'planShard',
  'readShardMarker',
  'resolveShard',
  'runDirsIn',
  'scoreShard',
  'scoreSweep',
  'shardCarryPath',
  'shardFromEnvironment',
  'shardMarkerPath',
  'shardOf',
  'shardTablePath',
  'writeShard',
];

describe('@mtl-fd/sweep exports', () => {
  it('exports exactly its documented values', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
  });

  it('documents every export in its README (API reference, up to date)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain((apiSection as (pkg: string) => string)('sweep'));
  });
});
