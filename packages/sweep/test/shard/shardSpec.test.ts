import { describe, expect, it } from 'vitest';
import { parseShardSpec, resolveShard, shardFromEnvironment } from '../../src/shard/shardSpec.js';

describe('parseShardSpec', () => {
  it('reads i/n, 1-based', () => {
    expect(parseShardSpec('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShardSpec(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });
  it('refuses what is not a shard', () => {
    expect(() => parseShardSpec('0/4')).toThrow(/shard 0 is not between 1 and 4/);
    expect(() => parseShardSpec('5/4')).toThrow(/not between 1 and 4/);
    expect(() => parseShardSpec('1/0')).toThrow(/at least 1/);
    expect(() => parseShardSpec('1-4')).toThrow(/must be i\/n/);
    expect(() => parseShardSpec('1.5/4')).toThrow(/must be i\/n/);
  });
});

describe('shardFromEnvironment', () => {
  it('Slurm: 0-based task id, count from SLURM_ARRAY_TASK_COUNT', () => {
    const c = shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' });
    expect(c.spec).toEqual({ index: 4, count: 4 });
    expect(c.source).toContain('SLURM_ARRAY_TASK_ID=3');
  });
  it('Slurm: an array not starting at 0 (--array=1-8) and a stepped one (--array=0-12:4)', () => {
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' }).spec).toEqual({ index: 1, count: 8 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8' }).spec).toEqual({ index: 8, count: 8 });
    const stepped = { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '12', SLURM_ARRAY_TASK_STEP: '4' };
    expect(shardFromEnvironment(stepped).spec).toEqual({ index: 3, count: 4 });
    expect(() => shardFromEnvironment({ ...stepped, SLURM_ARRAY_TASK_ID: '6' })).toThrow(/not a task of the array/);
  });
  it('Slurm without a count needs one; a given count must agree', () => {
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '0' })).toThrow(/gives no shard count/);
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '0' }, 3).spec).toEqual({ index: 1, count: 3 });
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' }, 3)).toThrow(/auto\/3 disagrees with the scheduler's count 4/);
  });
  it('AWS Batch: the size from AWS_BATCH_JOB_ARRAY_SIZE, auto/<n> or MTL_FD_SHARD_COUNT', () => {
    expect(shardFromEnvironment({ AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ARRAY_SIZE: '2' }).spec).toEqual({ index: 1, count: 2 });
    expect(shardFromEnvironment({ AWS_BATCH_JOB_ARRAY_INDEX: '5' }, 8).spec).toEqual({ index: 6, count: 8 });
    const c = shardFromEnvironment({ AWS_BATCH_JOB_ARRAY_INDEX: '5', MTL_FD_SHARD_COUNT: '6' });
    expect(c.spec).toEqual({ index: 6, count: 6 });
    expect(c.source).toContain('MTL_FD_SHARD_COUNT=6');
    expect(() => shardFromEnvironment({ AWS_BATCH_JOB_ARRAY_INDEX: '6', MTL_FD_SHARD_COUNT: '6' })).toThrow(/shard 7 is not between 1 and 6/);
  });
  it('Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX with a count', () => {
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '2' }, 3).spec).toEqual({ index: 3, count: 3 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '2' })).toThrow(/JOB_COMPLETION_INDEX=2 gives no shard count/);
  });
  it('no scheduler variable, or a bad one, is an error', () => {
    expect(() => shardFromEnvironment({})).toThrow(/no job-array variable/);
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' })).toThrow(/SLURM_ARRAY_TASK_ID is not a whole number/);
  });
});

describe('resolveShard', () => {
  it('i/n, auto, auto/<n>', () => {
    expect(resolveShard('1/2', {}).source).toBe('--shard 1/2');
    expect(resolveShard('auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' }).spec).toEqual({ index: 2, count: 2 });
    expect(resolveShard('auto/5', { JOB_COMPLETION_INDEX: '0' }).spec).toEqual({ index: 1, count: 5 });
    expect(() => resolveShard('auto/x', { JOB_COMPLETION_INDEX: '0' })).toThrow(/auto\/<n> is not a whole number/);
  });
});
