export { dwaWeights, lossIdentifiers, type LossIdentifiers } from './identifiers.js';
