import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { replaceDirectory, tempPathFor, UserError, writeFileAtomic } from '@mtl-fd/capture';

/** File names of a saved model, as tfjs-node's `file://` handler writes them. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * A tfjs save handler writing `dir/model.json` + `dir/weights.bin` (the `file://`
 * scheme needs tfjs-node; this works with any backend). Each file is written
 * atomically; `saveModelDir` makes the whole directory appear at once.
 */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('saving a binary model topology is not supported');
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig !== undefined) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature !== undefined) modelJSON.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata !== undefined) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJSON));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(modelJSON) };
    },
  };
}

async function readJson(file: string): Promise<tf.io.ModelJSON> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such model file`);
    if (code === 'EISDIR') throw new UserError(`${file}: is a directory, not a model.json`);
    throw new UserError(`${file}: cannot read (${code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not a tfjs model.json (invalid JSON: ${(err as Error).message})`);
  }
  const obj = json as Partial<tf.io.ModelJSON> | null;
  if (obj === null || typeof obj !== 'object' || typeof obj.modelTopology !== 'object' || !Array.isArray(obj.weightsManifest)) {
    throw new UserError(`${file}: not a tfjs model.json (needs modelTopology and weightsManifest)`);
  }
  return obj as tf.io.ModelJSON;
}

/** Whether `path` is `dir` or inside it (both absolute, normalised). */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The weights file a manifest path names, confined to the model.json's directory: an
 * absolute path, a `..` that climbs out, or a symlink that leads out is refused before
 * anything is read (a downloaded checkpoint must not make us read `/etc/passwd`).
 */
async function confinedWeightsPath(modelJson: string, path: string): Promise<string> {
  const dir = dirname(modelJson);
  const outside = (why = '') => new UserError(`${modelJson}: weights path '${path}' is outside the checkpoint directory${why}; weights must be files beside model.json`);
  if (isAbsolute(path)) throw outside();
  const file = resolve(dir, path);
  if (!isInside(dir, file)) throw outside();
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return file; // missing: the read below says so
  }
  if (!isInside(await realpath(dir), real)) throw outside(` (a symlink to ${real})`);
  return real;
}

/**
 * A tfjs load handler for a `model.json` on disk and the weight files its manifest
 * names (relative to it, and confined to its directory), like `tf.io.fromMemory`
 * over files read here.
 */
export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  const file = resolve(modelJsonPath);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJSON = await readJson(file);
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const item of group.weights) specs.push(item);
          for (const path of group.paths) {
            const weightsFile = await confinedWeightsPath(file, path);
            let bytes: Buffer;
            try {
              bytes = await readFile(weightsFile);
            } catch (err) {
              throw new UserError(`${file}: cannot read its weights file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
            }
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/**
 * The compiled losses (and optimizer config) as tfjs stores them, or undefined for an
 * uncompiled model or a loss tfjs cannot name (a custom function).
 */
function trainingConfigOf(model: tf.LayersModel): tf.io.TrainingConfig | undefined {
  if (model.optimizer == null) return undefined;
  try {
    return (model as unknown as { getTrainingConfig(): tf.io.TrainingConfig }).getTrainingConfig();
  } catch {
    return undefined;
  }
}

/**
 * Saves `model` as `dir/model.json` + `dir/weights.bin`, atomically as a directory:
 * written under a temporary sibling name, then renamed into place, so a reader never
 * sees a half-written checkpoint. An older `dir` is first renamed aside (a temporary
 * name, which `mtl-fd clean` knows) and deleted only once the new one is in place, so
 * a kill at any point leaves a whole checkpoint at `dir` or under its temporary names. The compiled losses
 * go into model.json's `trainingConfig` (tfjs itself writes it only together with the
 * optimizer's weights), so that scoring the checkpoint later knows each task's loss.
 */
export async function saveModelDir(model: tf.LayersModel, dir: string): Promise<void> {
  const target = resolve(dir);
  const temp = tempPathFor(target);
  const files = fileSaveHandler(temp);
  const handler: tf.io.IOHandler = {
    save: (artifacts) => (files.save as NonNullable<tf.io.IOHandler['save']>)({ ...artifacts, trainingConfig: artifacts.trainingConfig ?? trainingConfigOf(model) }),
  };
  try {
    await model.save(handler);
    await replaceDirectory(temp, target);
  } catch (err) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

/** Loads a tfjs layers model from a `model.json` path. */
export async function loadModelFile(modelJsonPath: string): Promise<tf.LayersModel> {
  const modelJSON = await readJson(resolve(modelJsonPath));
  if (modelJSON.format === 'graph-model') {
    throw new UserError(`${modelJsonPath}: a tfjs graph model (converted from TensorFlow) has no layers to split at a shared layer; a layers model is needed`);
  }
  try {
    return await tf.loadLayersModel(fileLoadHandler(modelJsonPath));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${modelJsonPath}: cannot load the model (${String((err as Error).message).split('\n')[0]})`);
  }
}
