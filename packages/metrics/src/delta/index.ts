export { deltaM, type DeltaM, type TaskMetricResult } from './deltaM.js';
