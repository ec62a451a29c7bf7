import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { resolveScoreOptions, toJSON } from '@mtl-fd/metrics';
import { scoreSweep } from '@mtl-fd/sweep';
import { loadRunTable } from '../src/runTables.js';
import { bufferIO } from '../../../test/support/bufferIO.js';
import { writeCaptureRun } from '../../../test/support/runDirs.js';
import { useTempDirs } from '../../../test/support/tempDirs.js';

const tmp = useTempDirs('mtl-fd-runtables-');

describe('loadRunTable: the one way plot, diagnose and rank load a run', () => {
  it('scores a run without a table through the cached sweep, and a second load scores nothing', async () => {
    const run = await writeCaptureRun(join(await tmp(), 'r'), { steps: [0, 1, 2] });
    const first = await loadRunTable(run, bufferIO(), 'plot');
    expect(first.rows).toEqual((await scoreSweep([run], {}, { workers: 0, cache: false })).rows);
    expect(await readdir(join(run, '.mtl-fd-cache'))).not.toHaveLength(0); // the sweep's cache
    const again = await loadRunTable(run, bufferIO(), 'plot');
    expect(again.rows).toEqual(first.rows);
  });

  it('uses a table only when it records the options asked for, else scores the captures with them', async () => {
    const run = await writeCaptureRun(join(await tmp(), 'r'), { steps: [0, 1, 2] });
    const element = await scoreSweep([run], {}, { workers: 0, cache: false });
    await writeFile(join(run, 'metrics.json'), toJSON(element.rows, element.options));
    const channel = resolveScoreOptions({ granularity: 'channel' });
    // no options asked: the table as it is
    expect((await loadRunTable(run, bufferIO(), 'diagnose')).options).toMatchObject({ granularity: 'element' });
    // other options asked: never the table's numbers
    const got = await loadRunTable(run, bufferIO(), 'rank', channel);
    expect(got.options).toMatchObject({ granularity: 'channel' });
    expect(got.rows).toEqual((await scoreSweep([run], channel, { workers: 0, cache: false })).rows);
  });

  it('refuses a table file scored with other options, naming both', async () => {
    const run = await writeCaptureRun(join(await tmp(), 'r'), { steps: [0, 1] });
    const element = await scoreSweep([run], {}, { workers: 0, cache: false });
    const file = join(run, 'metrics.json');
    await writeFile(file, toJSON(element.rows, element.options));
    const err = await loadRunTable(file, bufferIO(), 'rank', resolveScoreOptions({ granularity: 'channel' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/granularity element.*granularity channel/);
  });
});
