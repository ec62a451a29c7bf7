// A sweep scored unsharded, as 1 shard and as 4 shards in parallel processes (the
// variables set as a Slurm array sets them), merged: the same bytes in every table
// format. Runs the BUILT CLI in child processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { fromCSV, fromJSONL, sortRows } from '@mtl-fd/metrics';
import { MTL_FD_BIN, runMtlFd, runPipeline } from './cliProcess.js';
import { writeRun } from './scoreHelpers.js';

let root = '';
let sweep = '';
const FAST = ['--workers', '0', '--no-cache'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-shard-'));
  sweep = join(root, 'sweep');
  for (const [k, name] of ['mgda', 'pcgrad', 'uw', 'nash'].entries()) {
    await writeRun(sweep, name, { steps: [0, 10, 20, 30, 40, 50], seed: k + 1, tasks: ['seg', 'depth', 'normal'], skew: 1 + k / 2 });
  }
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const exists = (p: string) => stat(p).then(() => true, () => false);

async function ok(args: string[], env?: Record<string, string>) {
  const r = await runMtlFd(args, { env });
  expect(r.code, `mtl-fd ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

describe('score --shard + merge', () => {
  it.each(['csv', 'json', 'arrow', 'parquet'])('gives the unsharded table byte for byte (%s)', async (format) => {
    const dir = join(root, format);
    await mkdir(dir, { recursive: true });
    const full = join(dir, `full.${format}`);
    await ok(['score', sweep, '--format', format, '--out', full, ...FAST]);

    await ok(['score', sweep, '--format', format, '--shard', '1/1', '--out', join(dir, 'one'), ...FAST]);
    await ok(['merge', join(dir, 'one'), '--format', format, '--out', join(dir, 'merged1.' + format)]);

    const shards = await Promise.all(
      [0, 1, 2, 3].map((id) =>
        ok(['score', sweep, '--format', format, '--shard', 'auto', '--out', join(dir, 'four'), ...FAST], {
          SLURM_ARRAY_JOB_ID: '4242',
          SLURM_ARRAY_TASK_ID: String(id),
          SLURM_ARRAY_TASK_MIN: '0',
          SLURM_ARRAY_TASK_MAX: '3',
          SLURM_ARRAY_TASK_COUNT: '4',
        }),
      ),
    );
    shards.forEach((r, id) => expect(r.stderr).toContain(`shard ${id + 1}/4 (from SLURM_ARRAY_TASK_ID=${id}`));
    const names = (await readdir(join(dir, "four"))).filter((n) => new RegExp(`^shard-\\d+-of-4\\.${format}$`).test(n)).sort();
    expect(names).toEqual([1, 2, 3, 4].map((i) => `shard-${i}-of-4.${format}`));
    await ok(['merge', join(dir, 'four'), '--format', format, '--out', join(dir, `merged4.${format}`)]);

    const want = await readFile(full);
    expect(want.length).toBeGreaterThan(1000);
    expect((await readFile(join(dir, `merged1.${format}`))).equals(want)).toBe(true);
    expect((await readFile(join(dir, `merged4.${format}`))).equals(want)).toBe(true);
    if (format === 'csv') {
      const text = want.toString('utf8');
      expect(text).toContain(',dwa,');
      expect(await readFile(join(dir, 'merged4.csv.options.json'), 'utf8')).toBe(await readFile(`${full}.options.json`, 'utf8'));
    }
  });

  it('the Parquet table reads back with another reader (hyparquet) as the CSV rows, options in the metadata', async () => {
    const csv = fromCSV(await readFile(join(root, 'csv', 'merged4.csv'), 'utf8'));
    const bytes = await readFile(join(root, 'parquet', 'merged4.parquet'));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const back = (await parquetReadObjects({ file })).map((r) => ({ ...r, step: Number(r.step) }));
    expect(back).toEqual(csv);
    const kv = parquetMetadata(file).key_value_metadata ?? [];
    expect(JSON.parse(kv.find((e) => e.key === 'mtl-fd.options')!.value!)).toEqual({ saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error', weighted: false });
  });

  it('a re-queued finished shard does nothing and says so; {shard} patterns; CLI errors exit 2', async () => {
    const pattern = join(root, 'pattern', 'part-{shard}.csv');
    const first = await ok(['score', sweep, '--shard', '2/3', '--out', pattern, ...FAST]);
    expect(first.stderr).toContain('part-2-of-3.csv');
    const again = await ok(['score', sweep, '--shard', '2/3', '--out', pattern, ...FAST]);
    expect(again.stderr).toContain('shard 2/3 already finished');
    expect(again.stderr).not.toContain('scored,');
    const merge = await runMtlFd(['merge', join(root, 'pattern'), '--out', join(root, 'pattern.csv')]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('missing shard(s) 1/3, 3/3');
    expect(await exists(join(root, 'pattern.csv'))).toBe(false);
    const noOut = await runMtlFd(['score', sweep, '--shard', '1/2', ...FAST]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--shard needs --out');
    const noVars = await runMtlFd(['score', sweep, '--shard', 'auto', '--out', join(root, 'x'), ...FAST], { env: { SLURM_ARRAY_TASK_ID: '' } });
    expect(noVars.code).toBe(2);
    expect(noVars.stderr).toContain('no job-array variable');
  });
});

describe('a shard killed mid-write', () => {
  it('leaves no marker, so merge refuses it; re-run, the merge is correct', async () => {
    const dir = join(root, 'kill');
    await mkdir(dir, { recursive: true });
    const full = join(dir, 'full.csv');
    await ok(['score', sweep, '--out', full, ...FAST]);
    for (const i of [1, 3, 4]) await ok(['score', sweep, '--shard', `${i}/4`, '--out', dir, ...FAST]);
    // how long an uninterrupted shard 2 takes, then kills at points across that span
    const t0 = performance.now();
    await ok(['score', sweep, '--shard', '2/4', '--out', join(root, 'kill-timing'), ...FAST]);
    const span = performance.now() - t0;
    let killed = 0;
    for (const f of [0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]) {
      const r = await new Promise<{ signal: NodeJS.Signals | null }>((resolve, reject) => {
        const p = spawn(process.execPath, [MTL_FD_BIN, 'score', sweep, '--shard', '2/4', '--out', dir, ...FAST], { stdio: 'ignore' });
        const timer = setTimeout(() => p.kill('SIGKILL'), f * span);
        p.on('error', reject);
        p.on('exit', (_code, signal) => {
          clearTimeout(timer);
          resolve({ signal });
        });
      });
      const marker = await exists(join(dir, 'shard-2-of-4.csv.done.json'));
      if (r.signal === 'SIGKILL') {
        killed++;
        // killed before the marker: merge names the unfinished shard; after it: the merge is whole
        const m = await runMtlFd(['merge', dir, '--out', join(dir, 'merged.csv')]);
        if (marker) expect(m.code).toBe(0);
        else {
          expect(m.code).toBe(2);
          expect(m.stderr).toContain('missing shard(s) 2/4');
        }
      }
      // a finished run leaves its marker; a kill leaves no partial file under a final name
      if (r.signal === null) expect(marker).toBe(true);
      const names = await readdir(dir);
      for (const n of names.filter((n) => n.startsWith('shard-2-of-4'))) {
        expect(['shard-2-of-4.csv', 'shard-2-of-4.csv.options.json', 'shard-2-of-4.csv.captures.jsonl', 'shard-2-of-4.csv.done.json']).toContain(n);
      }
      // the next attempt starts from a clean state, as a re-queued job would find it
      await rm(join(dir, 'shard-2-of-4.csv.done.json'), { force: true });
    }
    expect(killed).toBeGreaterThan(0);
    await ok(['score', sweep, '--shard', '2/4', '--out', dir, ...FAST]);
    await ok(['merge', dir, '--out', join(dir, 'merged.csv')]);
    expect(await readFile(join(dir, 'merged.csv'), 'utf8')).toBe(await readFile(full, 'utf8'));
  });
});

describe('score --from - --format jsonl', () => {
  it('reads capture paths from stdin and streams the rows: the unsharded rows, in a pipe that stops early too', async () => {
    const files: string[] = [];
    for (const run of (await readdir(sweep)).sort()) {
      for (const f of (await readdir(join(sweep, run, 'captures'))).sort()) files.push(join(sweep, run, 'captures', f));
    }
    const r = await runMtlFd(['score', '--from', '-', '--format', 'jsonl', '--workers', '2', '--no-cache'], { input: `${files.join('\n')}\n` });
    expect(r.code, r.stderr).toBe(0);
    const { options, rows } = fromJSONL(r.stdout.toString('utf8'));
    expect(options.saliency).toBe('grad');
    const want = fromCSV((await ok(['score', sweep, ...FAST])).stdout.toString('utf8'));
    expect(sortRows(rows)).toEqual(want);

    const cmd = `printf '%s\\n' ${files.map((f) => `'${f}'`).join(' ')} | '${process.execPath}' '${MTL_FD_BIN}' score --from - --format jsonl --no-cache | head -n 3`;
    const piped = await runPipeline(cmd);
    expect(piped.err).not.toContain('EPIPE');
    expect(piped.code).toBe(0);
    const lines = piped.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toHaveProperty('options');
    expect(JSON.parse(lines[1]!)).toHaveProperty('metric');
  });
});
