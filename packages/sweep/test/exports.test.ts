import * as api from '../src/index.js';
import { describeExports } from '../../../test/support/exportsContract.js';

// The public surface of @mtl-fd/sweep, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'BackgroundScorer',
  'SHARD_COUNT_VARIABLE',
  'SHARD_PLACEHOLDER',
  'WorkerPool',
  'captureIdentity',
  'cleanRun',
  'findLeftovers',
  'fromWireError',
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
  'serveRequests',
  'shardCarryPath',
  'shardFromEnvironment',
  'shardMarkerPath',
  'shardOf',
  'shardTablePath',
  'writeShard',
];

describeExports('sweep', api, VALUES);
