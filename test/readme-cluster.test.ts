// The README's cluster scripts (section 'Sweeps on a cluster'), checked: their mtl-fd
// command lines run here with the scheduler's variables set (the Slurm array as 4
// processes in parallel, the AWS Batch array likewise), and the merge must equal one
// unsharded `mtl-fd score`. Runs the BUILT CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCaptureRun } from './support/runDirs.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const BIN = fileURLToPath(new URL('../packages/cli/dist/main.js', import.meta.url));

let root = '';
let readme = '';

/** The fenced block after `<!-- cluster-script: name -->`. */
function script(name: string): string {
  const m = new RegExp(`<!-- cluster-script: ${name} -->\\n\`\`\`bash\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no cluster-script ${name}`);
  return m[1]!;
}

/** The script's mtl-fd command lines. */
const mtlFdLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('mtl-fd '));

/** Runs command lines in bash, `mtl-fd` being the built CLI, in the sweep's root. */
function bash(lines: string[], env: Record<string, string>): Promise<{ code: number | null; err: string }> {
  const prelude = `set -euo pipefail\nmtl-fd() { '${process.execPath}' '${BIN}' "$@"; }\n`;
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-c', prelude + lines.join('\n')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, err }));
  });
}

beforeAll(async () => {
  readme = await readFile(README, 'utf8');
  root = await mkdtemp(join(tmpdir(), 'mtl-fd-readme-cluster-'));
  for (const [k, name] of ['equal', 'mgda', 'pcgrad'].entries()) {
    await writeCaptureRun(join(root, 'sweeps', 'exp1', name), { steps: [0, 100, 200, 300, 400], scale: (t, step) => 1e-2 * (1 + k * (t === 'seg' ? 1 : 0)) * (1 + step / 1000) });
  }
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function unsharded(): Promise<Buffer> {
  const r = await bash(['mtl-fd score sweeps/exp1 --workers 1 --format parquet --out full.parquet'], {});
  expect(r.code, r.err).toBe(0);
  return readFile(join(root, 'full.parquet'));
}

describe('README: Sweeps on a cluster', () => {
  it('the Slurm array (4 tasks in parallel) then the afterok merge equal one unsharded score', async () => {
    const score = script('slurm-score');
    const array = /#SBATCH --array=(\d+)-(\d+)/.exec(score)!;
    const [min, max] = [Number(array[1]), Number(array[2])];
    expect(max - min + 1).toBe(4);
    const lines = mtlFdLines(score);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--shard auto');
    const tasks = await Promise.all(
      Array.from({ length: max - min + 1 }, (_, k) =>
        bash(lines, {
          SLURM_ARRAY_JOB_ID: '777',
          SLURM_ARRAY_TASK_ID: String(min + k),
          SLURM_ARRAY_TASK_MIN: String(min),
          SLURM_ARRAY_TASK_MAX: String(max),
          SLURM_ARRAY_TASK_COUNT: String(max - min + 1),
          SLURM_CPUS_PER_TASK: '1',
        }),
      ),
    );
    tasks.forEach((t, k) => {
      expect(t.code, t.err).toBe(0);
      expect(t.err).toContain(`shard ${k + 1}/4 (from SLURM_ARRAY_TASK_ID=${min + k}`);
    });
    const merge = await bash(mtlFdLines(script('slurm-merge')), {});
    expect(merge.code, merge.err).toBe(0);
    expect(readme).toMatch(/sbatch --dependency=afterok:"\$jobid" merge-shards\.sbatch/);
    expect((await readFile(join(root, 'results', 'exp1.parquet'))).equals(await unsharded())).toBe(true);
  });

  it('the AWS Batch array job then the dependent merge equal one unsharded score', async () => {
    await rm(join(root, 'results'), { recursive: true, force: true });
    const size = Number(/--array-properties size=(\d+)/.exec(readme)![1]);
    const lines = mtlFdLines(script('batch-score'));
    expect(lines[0]).toContain(`--shard auto/${size}`);
    const children = await Promise.all(Array.from({ length: size }, (_, k) => bash(lines, { AWS_BATCH_JOB_ARRAY_INDEX: String(k), AWS_BATCH_JOB_ID: `job:${k}` })));
    children.forEach((c, k) => {
      expect(c.code, c.err).toBe(0);
      expect(c.err).toContain(`shard ${k + 1}/${size} (from AWS_BATCH_JOB_ARRAY_INDEX=${k}`);
    });
    const merge = await bash(mtlFdLines(script('batch-merge')), {});
    expect(merge.code, merge.err).toBe(0);
    expect(readme).toMatch(/--depends-on jobId="\$score"/);
    expect((await readFile(join(root, 'results', 'exp1.parquet'))).equals(await unsharded())).toBe(true);
  });
});
