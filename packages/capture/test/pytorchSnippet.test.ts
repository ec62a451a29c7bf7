import { spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captureFileName, listCaptures, openCapture, readCapture, runNameOf, writeCapture } from '../src/index.js';
import { OPTIONAL_METADATA_KEYS, REQUIRED_METADATA_KEYS } from '../src/captureMetadata.js';
import { FEATURES_TENSOR, PARAM_GRAM_TENSOR, gradTensorName, lossTensorName } from '../src/tensorNames.js';
import { CAPTURE_FORMAT, LAYOUTS, type Layout } from '../src/types.js';
import { patternValues } from './sampleCaptures.js';
import { useTempDir } from './tempDir.js';
import { pythonWith, skipUnless } from '../../../test/support/requirements.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const scriptPath = join(repoRoot, 'fixtures', 'pytorch', 'write_capture.py');
const dir = useTempDir();

const python = pythonWith();
const torch = pythonWith('torch', 'safetensors.torch');

/** What the script says about the capture it writes, read from its text. */
function parseScript(text: string) {
  const tasks = JSON.parse(/^TASKS = (\[.*\])$/m.exec(text)![1]!) as string[];
  // keys of the `tensors = {...}` literal and of every `tensors[...] =` assignment
  const tensorNames = [...text.matchAll(/tensors = \{"([^"]+)"|tensors\[f?"([^"]+)"\] =/g)].map((m) => (m[1] ?? m[2])!);
  const metadataBlock = /metadata=\{([\s\S]*?)\}\)/.exec(text)![1]!;
  const metadata = Object.fromEntries([...metadataBlock.matchAll(/^\s*"(\w+)": (.+),$/gm)].map((m) => [m[1]!, m[2]!]));
  return { tasks, tensorNames, metadata };
}

describe('the PyTorch snippet', () => {
  it('uses the format\'s tensor names, metadata keys and file names', async () => {
    const { tasks, tensorNames, metadata } = parseScript(await readFile(scriptPath, 'utf8'));
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    const written = new Set(tasks.flatMap((t) => tensorNames.map((name) => name.replace('{t}', t))));
    expect(written).toEqual(new Set([FEATURES_TENSOR, ...tasks.map(gradTensorName), ...tasks.map(lossTensorName), PARAM_GRAM_TENSOR]));
    const keys = Object.keys(metadata);
    expect(keys).toEqual(expect.arrayContaining([...REQUIRED_METADATA_KEYS]));
    for (const key of keys) expect([...REQUIRED_METADATA_KEYS, ...OPTIONAL_METADATA_KEYS]).toContain(key);
    expect(metadata.format).toBe(JSON.stringify(CAPTURE_FORMAT));
    expect(metadata.layout).toBe('"NCHW"');
    expect(metadata.step).toBe('str(step)');
    expect(metadata.tasks).toBe('json.dumps(TASKS)');
    const script = await readFile(scriptPath, 'utf8');
    expect(script).toContain('f"step-{step:08d}.safetensors"');
    expect(captureFileName(50)).toBe('step-00000050.safetensors'); // what Python's {step:08d} gives
  });

  it('describes a file the reader accepts (written here from Node with the script\'s names, metadata and shapes)', async () => {
    const { tasks, metadata } = parseScript(await readFile(scriptPath, 'utf8'));
    const layout = JSON.parse(metadata.layout!) as Layout;
    expect(LAYOUTS).toContain(layout);
    const shape = [8, 32, 16, 16]; // probe batch of 8, 32 backbone channels, 32 x 32 inputs halved by the stride
    const n = shape.reduce((a, b) => a * b, 1);
    const run = join(dir(), 'pytorch-demo');
    await mkdir(join(run, 'captures'), { recursive: true });
    const file = join(run, 'captures', captureFileName(200));
    await writeCapture(file, {
      meta: { step: 200, tasks, layout, run: 'pytorch-demo', producer: 'pytorch (node twin)' },
      shape,
      features: patternValues(n, 1),
      grads: Object.fromEntries(tasks.map((t, i) => [t, patternValues(n, i + 2)])),
      losses: Object.fromEntries(tasks.map((t) => [t, 0.5])),
      paramGram: [2, -1, -1, 3],
    });
    expect(await listCaptures(run)).toEqual([file]);
    const reader = await openCapture(file);
    try {
      expect(reader.info.meta).toMatchObject({ format: CAPTURE_FORMAT, step: 200, tasks, layout: 'NCHW' });
      expect(reader.info.shape).toEqual(shape);
      expect(Object.keys(reader.info.losses)).toEqual(tasks);
      expect(runNameOf(reader.info, file)).toBe('pytorch-demo');
    } finally {
      await reader.close();
    }
  });

  it('is valid Python (checked with python3\'s own parser)', (ctx) => {
    skipUnless(ctx, python);
    const result = spawnSync(python.path, ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])', scriptPath], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs under real PyTorch and writes captures the reader accepts (needs python3 with torch and safetensors)', async (ctx) => {
    skipUnless(ctx, torch);
    const run = join(dir(), 'real-pytorch');
    const result = spawnSync(torch.path, [scriptPath, run], { encoding: 'utf8', timeout: 300_000 });
    expect(result.stderr).not.toMatch(/Traceback/);
    expect(result.status).toBe(0);
    const files = await listCaptures(run);
    expect(files.map((f) => f.slice(-25))).toEqual([0, 50, 100, 150, 200].map(captureFileName));
    for (const file of files) {
      const capture = await readCapture(file);
      expect(capture.shape).toEqual([8, 32, 16, 16]);
      expect(capture.dtype).toBe('F32');
      expect(capture.meta).toMatchObject({ tasks: ['seg', 'depth'], layout: 'NCHW', run: 'real-pytorch' });
      expect(Object.keys(capture.losses)).toEqual(['seg', 'depth']);
      const g = capture.paramGram!;
      expect(g[1]).toBeCloseTo(g[2]!, 10);
      expect(g[0]).toBeGreaterThan(0);
      expect(capture.grads.seg!.some((v) => v !== 0)).toBe(true);
    }
  });
});
