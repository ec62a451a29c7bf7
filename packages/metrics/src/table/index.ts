export { fromTable, TIDY_COLUMNS, toTable } from './arquero.js';
export { fromCSV, toCSV } from './csv.js';
export { fromJSON, toJSON } from './json.js';
export { METRIC_ORDER, sortRows, tidyValue } from './order.js';
export { csvOptionsSidecar, readMetricsFile, readMetricsTable, type MetricsTable } from './readMetrics.js';
