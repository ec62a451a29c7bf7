import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError, captureFileName, captureStepOf, listCaptures, runNameOf } from '../src/index.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();

describe('captureFileName and captureStepOf', () => {
  it('names a capture by its zero-padded step', () => {
    expect(captureFileName(1200)).toBe('step-00001200.safetensors');
    expect(captureFileName(0)).toBe('step-00000000.safetensors');
    expect(captureFileName(123_456_789)).toBe('step-123456789.safetensors');
  });

  it('refuses steps that are not non-negative integers', () => {
    for (const bad of [-1, 1.5, NaN, 2 ** 60]) expect(() => captureFileName(bad)).toThrow(RangeError);
  });

  it('reads the step back from exactly those names', () => {
    for (const step of [0, 7, 1200, 99_999_999, 123_456_789]) expect(captureStepOf(captureFileName(step))).toBe(step);
    for (const other of ['step-1.safetensors', 'step-000000001.safetensors', 'step-00000001.safetensors.tmp', '.step-00000001.safetensors.1-ab.tmp', 'step-0000000a.safetensors', 'step-00000001.npz']) {
      expect(captureStepOf(other)).toBeUndefined();
    }
  });
});

describe('listCaptures', () => {
  it('lists captures/ sorted by step, ignoring temp leftovers and other files', async () => {
    const run = join(dir(), 'run-a');
    const captures = join(run, 'captures');
    await mkdir(join(captures, 'step-00000003.safetensors'), { recursive: true }); // a directory, not a capture
    for (const name of ['step-00000010.safetensors', 'step-00000009.safetensors', 'step-100000000.safetensors', 'step-00000000.safetensors', '.step-00000011.safetensors.42-abcdef012345.tmp', 'step-1.safetensors', 'notes.txt']) {
      await writeFile(join(captures, name), '');
    }
    expect(await listCaptures(run)).toEqual(
      ['step-00000000.safetensors', 'step-00000009.safetensors', 'step-00000010.safetensors', 'step-100000000.safetensors'].map((n) => join(captures, n)),
    );
  });

  it('gives an empty list for an empty captures/ and names a directory without one', async () => {
    const empty = join(dir(), 'run-empty');
    await mkdir(join(empty, 'captures'), { recursive: true });
    expect(await listCaptures(empty)).toEqual([]);
    const notRun = join(dir(), 'not-a-run');
    await mkdir(notRun);
    await expect(listCaptures(notRun)).rejects.toThrow(new CaptureError(notRun, 'has no captures/ directory (is it a run directory?)'));
  });
});

describe('runNameOf', () => {
  const meta = (run?: string) => ({ meta: run === undefined ? {} : { run } });

  it('prefers the run metadata', () => {
    expect(runNameOf(meta('baseline'), '/x/runs/r1/captures/step-00000001.safetensors')).toBe('baseline');
  });

  it('falls back to the run directory when the file sits in <run>/captures/', () => {
    expect(runNameOf(meta(), join('/x', 'runs', 'pcgrad', 'captures', 'step-00000001.safetensors'))).toBe('pcgrad');
    expect(runNameOf(meta('  '), join('/x', 'runs', 'pcgrad', 'captures', 'step-00000001.safetensors'))).toBe('pcgrad');
  });

  it('falls back to the file name without its extension elsewhere', () => {
    expect(runNameOf(meta(), join('/x', 'loose', 'probe-final.safetensors'))).toBe('probe-final');
    expect(runNameOf(meta(), join('/captures', 'step-00000001.safetensors'))).toBe('step-00000001');
  });
});
