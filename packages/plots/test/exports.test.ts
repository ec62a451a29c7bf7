import * as api from '../src/index.js';
import { describeExports } from '../../../test/support/exportsContract.js';

// The public surface of @mtl-fd/plots, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'CHART_FAMILIES',
  'CHART_IDS',
  'FINDING_CHART',
  'NoDataError',
  'TASK_GRADIENT_PANELS',
  'TRAJECTORY_PANELS',
  'buildCharts',
  'fdTrajectorySpec',
  'normalizeSvg',
  'pairEvolutionSpec',
  'pairMatrixSpec',
  'parseRanking',
  'rankingSimilaritySpec',
  'rankingsFromCells',
  'rasterize',
  'renderSvg',
  'summarize',
  'svgToPng',
  'taskGradientsSpec',
  'taskOwnershipSpec',
  'toVega',
  'writeReport',
];

describeExports('plots', api, VALUES);
