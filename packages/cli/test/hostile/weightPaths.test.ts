// Item 8 (checkpoint weight paths) of the hostile-input issue: a model.json whose
// weightsManifest names a file outside the checkpoint directory. Before: the file was read
// (a weights file planted two levels above the checkpoint loaded and was scored, exit 0;
// a `../`*8 `etc/passwd` was read as weights). After: refused with a one-line error naming
// the model.json and the path, before anything is read.
import { cp, mkdtemp, readFile, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { bufferIO } from '../scoreHelpers.js';

const fixture = fileURLToPath(new URL('../../../../fixtures/checkpoint/', import.meta.url));

let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-weights-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));

/** A copy of the fixture's step-0 checkpoint whose manifest names `path` (weights.bin also planted at `outside`). */
async function checkpointNaming(name: string, path: string): Promise<string> {
  const dir = join(root, name, 'checkpoints', 'step-00000000');
  await cp(join(fixture, 'run', 'checkpoints', 'step-00000000'), dir, { recursive: true });
  await cp(join(dir, 'weights.bin'), join(root, name, 'outside.bin'));
  const modelJson = join(dir, 'model.json');
  const json = JSON.parse(await readFile(modelJson, 'utf8'));
  json.weightsManifest[0].paths = [path];
  await writeFile(modelJson, JSON.stringify(json));
  return dir;
}

async function scoreModel(dir: string) {
  const io = bufferIO(root);
  const code = await runCli(['score', '--model', dir, '--shared-layer', 'shared', '--probe', join(fixture, 'probe.safetensors'), '--format', 'json'], io);
  return { code, out: io.out, err: io.err };
}

describe('checkpoint weight paths outside the checkpoint directory', () => {
  it('refuses ../ paths, naming the model.json and the path', async () => {
    for (const [name, path] of [
      ['dotdot', '../../outside.bin'],
      ['passwd', '../../../../../../../../etc/passwd'],
    ] as const) {
      const dir = await checkpointNaming(name, path);
      const { code, out, err } = await scoreModel(dir);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(`${join(dir, 'model.json')}: weights path '${path}' is outside the checkpoint directory`);
      // one error line (the other stderr line is the backend choice)
      expect(err.split('\n').filter((l) => l.startsWith('mtl-fd score:'))).toHaveLength(1);
    }
  });

  it('refuses an absolute path and a symlink that leads out', async () => {
    const absolute = await checkpointNaming('absolute', join(root, 'absolute', 'outside.bin'));
    expect((await scoreModel(absolute)).err).toMatch(/weights path '.*outside\.bin' is outside the checkpoint directory/);
    const linked = await checkpointNaming('linked', './linked.bin');
    await symlink(join(root, 'linked', 'outside.bin'), join(linked, 'linked.bin'));
    const { code, err } = await scoreModel(linked);
    expect(code).toBe(2);
    expect(err).toMatch(/weights path '\.\/linked\.bin' is outside the checkpoint directory \(a symlink to /);
  });

  it('still loads a checkpoint whose weights are in its own directory', async () => {
    const dir = await checkpointNaming('inside', './weights.bin');
    const { code, err } = await scoreModel(dir);
    expect(err).not.toContain('outside the checkpoint');
    expect(code).toBe(0);
  });
});
