export { labelSeed } from './labelSeed.js';
export { SeededRandom } from './seededRandom.js';
