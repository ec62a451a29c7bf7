import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
// @ts-expect-error: a plain .mjs script of the repository, without type declarations
import { apiSection } from '../../../scripts/api-reference.mjs';

// The public surface of @mtl-fd/capture, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'CAPTURES_DIR',
  'CAPTURE_DTYPES',
  'CaptureError',
  'LAYOUT_RANK',
  'MAX_HEADER_BYTES',
  'OPTIONAL_METADATA_KEYS',
  'REQUIRED_METADATA_KEYS',
  'RUN_LOCK_FILE',
  'RunLockedError',
  'SAFETENSORS_DTYPE_SIZES',
  'TASK_NAME_PATTERN',
  'UserError',
  'acquireRunLock',
  'captureFileName',
  'captureStepOf',
  'createAtomicFile',
  'createCaptureWriter',
  'decodeTensorBytes',
  'isProcessAlive',
  'isTaskName',
  'listCaptures',
  'openCapture',
  'parseSafetensorsHeader',
  'parseTempFileName',
  'readCapture',
  'readHeaderLength',
  'removeStaleRunLock',
  'runLockStatus',
  'runNameOf',
  'safetensorsPrefix',
  'tempPathFor',
  'writeCapture',
  'writeFileAtomic',
];

describe('@mtl-fd/capture exports', () => {
  it('exports exactly its documented values', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
  });

  it('documents every export in its README (API reference, up to date)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain((apiSection as (pkg: string) => string)('capture'));
  });
});
