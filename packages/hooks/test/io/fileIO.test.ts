import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { loadModelFile, saveModelDir } from '@mtl-fd/hooks';
import { useWasm } from '../helpers/backends.js';
import { convData, convNet } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
beforeAll(async () => {
  await useWasm();
  root = await tempDir();
});

describe('checkpoints in tfjs format without tfjs-node', () => {
  it('round-trips a trained model: identical predictions, weights and compiled losses', async () => {
    const model = convNet();
    const data = convData(8, 4);
    await model.fit(data.xs, data.ys, { epochs: 1, batchSize: 4, verbose: 0 });
    const dir = join(root, 'ckpt', 'step-00000002');
    await saveModelDir(model, dir);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    // nothing temporary left beside it
    expect(await readdir(join(root, 'ckpt'))).toEqual(['step-00000002']);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);

    const loaded = await loadModelFile(join(dir, 'model.json'));
    const before = (model.predict(data.xs) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    const after = (loaded.predict(data.xs) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
    expect(loaded.outputNames).toEqual(model.outputNames);
    expect(loaded.lossFunctions.map((f) => f.name.replace(/\$\d+$/, ''))).toEqual(['meanSquaredError', 'categoricalCrossentropy', 'meanAbsoluteError']);

    // saving again replaces the directory whole
    await saveModelDir(loaded, dir);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    tf.dispose([data.xs, ...Object.values(data.ys)]);
    model.dispose();
    loaded.dispose();
  });

  it('says clearly what is wrong with a model file', async () => {
    const dir = join(root, 'bad');
    await mkdir(dir, { recursive: true });
    await expect(loadModelFile(join(dir, 'none.json'))).rejects.toThrow(/none\.json: no such model file/);
    await expect(loadModelFile(dir)).rejects.toThrow(/is a directory, not a model\.json/);
    await writeFile(join(dir, 'broken.json'), '{"modelTopology":');
    await expect(loadModelFile(join(dir, 'broken.json'))).rejects.toThrow(/not a tfjs model\.json \(invalid JSON/);
    await writeFile(join(dir, 'other.json'), '{"a": 1}');
    await expect(loadModelFile(join(dir, 'other.json'))).rejects.toThrow(/needs modelTopology and weightsManifest/);
    await writeFile(join(dir, 'graph.json'), JSON.stringify({ format: 'graph-model', modelTopology: {}, weightsManifest: [] }));
    await expect(loadModelFile(join(dir, 'graph.json'))).rejects.toThrow(/graph model/);

    const model = convNet();
    const saved = join(dir, 'saved');
    await saveModelDir(model, saved);
    await rm(join(saved, 'weights.bin'));
    await expect(loadModelFile(join(saved, 'model.json'))).rejects.toThrow(/cannot read its weights file \.\/weights\.bin \(ENOENT\)/);
    await expect(loadModelFile(join(dir, 'none.json'))).rejects.toBeInstanceOf(UserError);
    model.dispose();
  });

  it('confines the weights files to the model.json directory (before: ../ paths were read)', async () => {
    const model = convNet();
    const dir = join(root, 'confined', 'ckpt');
    await saveModelDir(model, dir);
    const modelJson = join(dir, 'model.json');
    const json = JSON.parse(await readFile(modelJson, 'utf8'));
    for (const path of ['../weights.bin', '../../../etc/passwd', '/etc/passwd', 'sub/../../weights.bin']) {
      json.weightsManifest[0].paths = [path];
      await writeFile(modelJson, JSON.stringify(json));
      const load = loadModelFile(modelJson);
      await expect(load).rejects.toBeInstanceOf(UserError);
      await expect(load).rejects.toThrow(`${modelJson}: weights path '${path}' is outside the checkpoint directory`);
    }
    json.weightsManifest[0].paths = ['sub/../weights.bin'];
    await writeFile(modelJson, JSON.stringify(json));
    (await loadModelFile(modelJson)).dispose();
    model.dispose();
  });
});
