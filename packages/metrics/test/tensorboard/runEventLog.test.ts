import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_FILE_VERSION, FINDINGS_TAG, RunEventLog, eventFileName, scalarTag, writtenSteps } from '@mtl-fd/metrics';
import type { TidyRow } from '@mtl-fd/metrics';
import { masked, readEventDir } from '../../../../test/support/tfEventReader.js';
import { maskedCrc32c } from '../../src/tensorboard/crc32c.js';

const row = (step: number, metric: string, value: number | null, task = '', task_b = ''): TidyRow => ({ run: 'r', step, metric, task, task_b, value });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-fd-tb-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('maskedCrc32c', () => {
  it('is CRC32C (check value of "123456789" is 0xe3069283) masked as TensorFlow masks it', () => {
    const nine = new TextEncoder().encode('123456789');
    const c = 0xe3069283;
    expect(maskedCrc32c(nine)).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
    const some = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 255);
    expect(maskedCrc32c(some)).toBe(masked(some));
  });
});

describe('scalarTag', () => {
  it('names global, per-task and pair rows', () => {
    expect(scalarTag(row(0, 'fd', 1))).toBe('mtl-fd/fd');
    expect(scalarTag(row(0, 'fd_task', 1, 'seg'))).toBe('mtl-fd/fd_task/seg');
    expect(scalarTag(row(0, 'fd_pair', 1, 'seg', 'depth'))).toBe('mtl-fd/fd_pair/seg,depth');
  });
});

describe('RunEventLog', () => {
  it('writes a version record then scalars and texts that an independent reader finds, float32', async () => {
    const log = await RunEventLog.open(dir, () => 1700000000.5);
    const counts = await log.add([row(0, 'fd', 0.1), row(0, 'fd_task', null, 'seg'), row(5, 'fd', 1 / 3)], [{ step: 5, text: 'a *finding*' }]);
    expect(counts).toEqual({ scalars: 2, texts: 1, skippedNull: 1, skippedWritten: 0 });
    const files = readEventDir(dir);
    expect(files.map((f) => f.file)).toEqual([eventFileName(1700000000)]);
    const [first, ...rest] = files[0]!.events;
    expect(first).toMatchObject({ fileVersion: EVENT_FILE_VERSION, step: 0, wallTime: 1700000000.5 });
    expect(rest.map((e) => [e.step, e.scalars])).toEqual([
      [0, [{ tag: 'mtl-fd/fd', value: Math.fround(0.1) }]],
      [5, [{ tag: 'mtl-fd/fd', value: Math.fround(1 / 3) }]],
      [5, []],
    ]);
    expect(rest[2]!.texts).toEqual([{ tag: FINDINGS_TAG, text: '- a *finding*', plugin: 'text' }]);
  });

  it('appends to its file, and a new log reads back what is written and adds only new steps', async () => {
    const log = await RunEventLog.open(dir, () => 1700000000);
    await log.add([row(0, 'fd', 1)]);
    await log.add([row(0, 'fd', 1), row(1, 'fd', 2)]);
    expect(await readdir(dir)).toHaveLength(1);
    expect((await writtenSteps(dir)).get('mtl-fd/fd')).toEqual(new Set([0, 1]));
    const again = await RunEventLog.open(dir, () => 1700000000);
    const counts = await again.add([row(0, 'fd', 1), row(1, 'fd', 2), row(2, 'fd', 3)], []);
    expect(counts).toMatchObject({ scalars: 1, skippedWritten: 2 });
    const files = readEventDir(dir);
    expect(files.map((f) => f.file)).toEqual([eventFileName(1700000000), eventFileName(1700000001)]);
    expect(files.flatMap((f) => f.events.flatMap((e) => e.scalars.map((s) => [e.step, s.value])))).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(await again.add([row(2, 'fd', 3)])).toMatchObject({ scalars: 0 });
  });

  it('waits for a record cut short at the end, and names the file of a corrupted one', async () => {
    const log = await RunEventLog.open(dir, () => 1700000000);
    await log.add([row(0, 'fd', 1)]);
    const file = join(dir, eventFileName(1700000000));
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(file);
    await writeFile(file, Buffer.concat([bytes, bytes.subarray(0, 10)]));
    expect((await writtenSteps(dir)).get('mtl-fd/fd')).toEqual(new Set([0]));
    bytes[bytes.length - 6]! ^= 1;
    await writeFile(file, bytes);
    await expect(writtenSteps(dir)).rejects.toThrow(`${file}: record 2 at byte`);
  });
});
