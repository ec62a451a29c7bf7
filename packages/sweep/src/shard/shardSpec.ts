import { UserError } from '@mtl-fd/capture';

/** One shard of a sharded sweep: `index` of `count`, 1-based (as `--shard 2/4`). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** A shard and where it came from, to say so (stderr). */
export interface ShardChoice {
  spec: ShardSpec;
  /** e.g. `--shard 2/4`, or `SLURM_ARRAY_TASK_ID=1 (SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_COUNT=4)` */
  source: string;
}

/** The variable giving the shard count where the scheduler gives only an index (Kubernetes, AWS Batch). */
export const SHARD_COUNT_VARIABLE = 'MTL_FD_SHARD_COUNT';

const WHOLE = /^\d+$/;

function whole(text: string | undefined, what: string): number {
  if (text === undefined || !WHOLE.test(text.trim())) throw new UserError(`${what} is not a whole number (got '${text ?? ''}')`);
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n)) throw new UserError(`${what} is too large (got '${text}')`);
  return n;
}

function checked(index: number, count: number, what: string): ShardSpec {
  if (count < 1) throw new UserError(`${what}: the shard count must be at least 1 (got ${count})`);
  if (index < 1 || index > count) throw new UserError(`${what}: shard ${index} is not between 1 and ${count}`);
  return { index, count };
}

/** `i/n`, 1-based. */
export function parseShardSpec(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`--shard must be i/n (1-based, e.g. 2/4), auto or auto/<n> (got '${text}')`);
  return checked(whole(m[1], '--shard index'), whole(m[2], '--shard count'), `--shard ${text}`);
}

/**
 * The shard the job-array scheduler gave this process (its indices are 0-based):
 * Slurm (`SLURM_ARRAY_TASK_ID`, counted by `SLURM_ARRAY_TASK_COUNT` or
 * `SLURM_ARRAY_TASK_MIN`/`MAX`, stepped by `SLURM_ARRAY_TASK_STEP`), AWS Batch
 * (`AWS_BATCH_JOB_ARRAY_INDEX`, counted by `AWS_BATCH_JOB_ARRAY_SIZE`), Kubernetes
 * Indexed Jobs (`JOB_COMPLETION_INDEX`). Where the scheduler gives no count, `count`
 * (from `--shard auto/<n>`) or `MTL_FD_SHARD_COUNT` does; one given that disagrees
 * with the scheduler's is an error.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>, count?: number): ShardChoice {
  const given = (): { n: number; from: string } | undefined => {
    if (count !== undefined) return { n: count, from: `auto/${count}` };
    const v = env[SHARD_COUNT_VARIABLE];
    return v === undefined || v === '' ? undefined : { n: whole(v, SHARD_COUNT_VARIABLE), from: `${SHARD_COUNT_VARIABLE}=${v}` };
  };
  const agree = (n: number, source: string): void => {
    const g = given();
    if (g && g.n !== n) throw new UserError(`--shard auto: ${g.from} disagrees with the scheduler's count ${n} (${source})`);
  };
  const needCount = (source: string): { n: number; from: string } => {
    const g = given();
    if (!g) throw new UserError(`--shard auto: ${source} gives no shard count; use --shard auto/<n> or set ${SHARD_COUNT_VARIABLE}`);
    return g;
  };

  const slurm = env.SLURM_ARRAY_TASK_ID;
  if (slurm !== undefined && slurm !== '') {
    const id = whole(slurm, 'SLURM_ARRAY_TASK_ID');
    const min = env.SLURM_ARRAY_TASK_MIN ? whole(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN') : 0;
    const step = env.SLURM_ARRAY_TASK_STEP ? whole(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP') : 1;
    const parts = [`SLURM_ARRAY_TASK_ID=${slurm}`, `SLURM_ARRAY_TASK_MIN=${min}`];
    let n: number | undefined;
    if (env.SLURM_ARRAY_TASK_COUNT) {
      n = whole(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT');
      parts.push(`SLURM_ARRAY_TASK_COUNT=${n}`);
    } else if (env.SLURM_ARRAY_TASK_MAX) {
      const max = whole(env.SLURM_ARRAY_TASK_MAX, 'SLURM_ARRAY_TASK_MAX');
      n = Math.floor((max - min) / Math.max(1, step)) + 1;
      parts.push(`SLURM_ARRAY_TASK_MAX=${max}`);
    }
    if (step > 1) parts.push(`SLURM_ARRAY_TASK_STEP=${step}`);
    const offset = id - min;
    if (offset < 0 || offset % Math.max(1, step) !== 0) throw new UserError(`--shard auto: ${parts.join(', ')} is not a task of the array`);
    const source = `${parts[0]} (${parts.slice(1).join(', ')})`;
    if (n === undefined) n = needCount(source).n;
    else agree(n, source);
    return { spec: checked(offset / Math.max(1, step) + 1, n, `--shard auto (${source})`), source };
  }

  const aws = env.AWS_BATCH_JOB_ARRAY_INDEX;
  if (aws !== undefined && aws !== '') {
    const index = whole(aws, 'AWS_BATCH_JOB_ARRAY_INDEX');
    const size = env.AWS_BATCH_JOB_ARRAY_SIZE;
    let n: number;
    let source: string;
    if (size) {
      n = whole(size, 'AWS_BATCH_JOB_ARRAY_SIZE');
      source = `AWS_BATCH_JOB_ARRAY_INDEX=${aws} (AWS_BATCH_JOB_ARRAY_SIZE=${n})`;
      agree(n, source);
    } else {
      const g = needCount(`AWS_BATCH_JOB_ARRAY_INDEX=${aws}`);
      n = g.n;
      source = `AWS_BATCH_JOB_ARRAY_INDEX=${aws} (${g.from})`;
    }
    return { spec: checked(index + 1, n, `--shard auto (${source})`), source };
  }

  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== '') {
    const index = whole(k8s, 'JOB_COMPLETION_INDEX');
    const g = needCount(`JOB_COMPLETION_INDEX=${k8s}`);
    const source = `JOB_COMPLETION_INDEX=${k8s} (${g.from})`;
    return { spec: checked(index + 1, g.n, `--shard auto (${source})`), source };
  }
  throw new UserError(
    '--shard auto: no job-array variable is set (SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX, JOB_COMPLETION_INDEX); use --shard i/n',
  );
}

/** What `--shard` says: `i/n`, `auto` or `auto/<n>` (the environment read for auto). */
export function resolveShard(text: string, env: Readonly<Record<string, string | undefined>>): ShardChoice {
  const auto = /^\s*auto\s*(?:\/\s*(\S+)\s*)?$/.exec(text);
  if (!auto) return { spec: parseShardSpec(text), source: `--shard ${text.trim()}` };
  return shardFromEnvironment(env, auto[1] === undefined ? undefined : whole(auto[1], '--shard auto/<n>'));
}
