import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../src/errors.js';
import { CaptureError, openCapture, readCapture } from '../src/index.js';
import { hostileCaptures, validCaptureBytes } from '../../../test/support/hostileCaptures.js';
import { useTempDir } from './tempDir.js';

const dir = useTempDir();
const cases = hostileCaptures();

async function rejection(promise: Promise<unknown>): Promise<CaptureError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CaptureError);
  return err as CaptureError;
}

describe('hostile captures', () => {
  afterEach(() => vi.restoreAllMocks());

  it('has at least 25 cases with unique, file-name-safe names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) expect(c.name).toMatch(/^[a-z0-9-]+$/);
  });

  it('departs from a capture that is valid', async () => {
    const file = join(dir(), 'control.safetensors');
    await writeFile(file, validCaptureBytes());
    const capture = await readCapture(file);
    expect(capture.meta.tasks).toEqual(['seg', 'depth']);
    expect(capture.shape).toEqual([2, 3]);
    expect(Object.keys(capture.losses)).toEqual(['seg']);
    expect(capture.paramGram).toHaveLength(4);
  });

  it.each(cases.map((c) => [c.name, c] as const))('rejects %s naming the file and the problem', async (_name, c) => {
    const file = join(dir(), `${c.name}.safetensors`);
    await writeFile(file, c.bytes);
    // every buffer the reader allocates must be justified by the file's size
    const alloc = vi.spyOn(Buffer, 'allocUnsafeSlow');
    const err = await rejection(openCapture(file));
    for (const [size] of alloc.mock.calls) expect(size).toBeLessThanOrEqual(c.bytes.byteLength);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(2);
    expect(err.file).toBe(file);
    expect(err.message).toBe(`${file}: ${err.problem}`);
    expect(err.message).not.toMatch(/[\r\n]/);
    expect(err.problem).toMatch(c.problem);
  });

  it('gives readCapture the same verdict as openCapture', async () => {
    for (const c of cases.slice(0, 8)) {
      const file = join(dir(), `again-${c.name}.safetensors`);
      await writeFile(file, c.bytes);
      expect((await rejection(readCapture(file))).problem).toMatch(c.problem);
    }
  });
});
