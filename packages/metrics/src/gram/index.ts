export { GramAccumulator, gramOf } from './accumulate.js';
export { conditionNumber } from './cond.js';
export { gramIdentifiers, type GramIdentifiers } from './identifiers.js';
