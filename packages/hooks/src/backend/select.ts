import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '@mtl-fd/capture';
import { installKernelFixes } from './kernels/index.js';

/** Which backend to use; `auto` takes the first that works in this order. */
export type BackendChoice = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];
/** Environment variable forcing a backend when no `backend` option is given. */
export const BACKEND_ENV = 'MTL_FD_BACKEND';

export interface BackendInfo {
  /** the active tfjs backend: `tensorflow`, `wasm` or `cpu` */
  backend: string;
  /** the choice that provided it */
  choice: Exclude<BackendChoice, 'auto'>;
  /** replacement kernels registered for it (wasm only, see WASM_KERNEL_FIXES) */
  kernelFixes: string[];
  /** faster choices passed over in `auto` mode, and why */
  skipped: { choice: BackendChoice; reason: string }[];
  /** the one line logged */
  description: string;
}

export interface SelectBackendOptions {
  /** default: the MTL_FD_BACKEND environment variable, else `auto` */
  backend?: BackendChoice;
  /** where the one-line report goes (once per process per distinct report); default stderr, false for none */
  log?: ((line: string) => void) | false;
  /**
   * the directory the optional node bindings are looked up from (its `node_modules` and
   * those above it); default: where @mtl-fd/hooks itself is installed
   */
  resolveFrom?: string;
}

const NODE_PACKAGES = { 'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu', 'tfjs-node': '@tensorflow/tfjs-node' } as const;
const ORDER: Exclude<BackendChoice, 'auto'>[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] ?? '';
}

/** A dynamic import the type checker does not follow (the node bindings are optional peers). */
async function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** Tries one choice: resolves to the kernel fixes installed, or throws why it is unusable. */
async function activate(choice: Exclude<BackendChoice, 'auto'>, resolveFrom: string | undefined): Promise<string[]> {
  if (choice === 'tfjs-node-gpu' || choice === 'tfjs-node') {
    const pkg = NODE_PACKAGES[choice];
    // the file that is imported is the one resolved, so a binding is detected and loaded from the same place
    const from = resolveFrom === undefined ? import.meta.url : join(resolve(resolveFrom), 'resolve-from.js');
    let entry: string;
    try {
      entry = createRequire(from).resolve(pkg);
    } catch {
      throw new Error(`${pkg} is not installed`);
    }
    try {
      await importOptional(pathToFileURL(entry).href);
    } catch (err) {
      // e.g. installed without its native binding (its install script downloads libtensorflow)
      throw new Error(`${pkg} failed to load: ${firstLine(err)}`);
    }
    // without its native binding, setBackend('tensorflow') throws instead of returning false
    if (!(await tf.setBackend('tensorflow').catch(() => false))) throw new Error(`${pkg} is installed but its backend did not start`);
    return [];
  }
  if (choice === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    const fixes = installKernelFixes('wasm');
    if (!(await tf.setBackend('wasm').catch(() => false))) throw new Error('the wasm backend did not start');
    return fixes;
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
  // the cpu backend greets Node users with a banner recommending tfjs-node; the line
  // logged here says the same in one line
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return [];
}

function describe(info: Omit<BackendInfo, 'description'>, simd: boolean | undefined): string {
  const parts = [`mtl-fd: TensorFlow.js backend '${info.backend}' (${info.choice}`];
  if (simd !== undefined) parts.push(simd ? ', SIMD' : ', no SIMD');
  if (info.kernelFixes.length > 0) parts.push(`, ${info.kernelFixes.length} kernels replaced`);
  parts.push(')');
  if (info.skipped.length > 0) parts.push(`; skipped ${info.skipped.map((s) => `${s.choice}: ${s.reason}`).join('; ')}`);
  return parts.join('');
}

const logged = new Set<string>();
/** keyed by choice and resolveFrom */
const selections = new Map<string, Promise<BackendInfo>>();

function choiceFrom(options: SelectBackendOptions): BackendChoice {
  const raw = options.backend ?? process.env[BACKEND_ENV]?.trim() ?? 'auto';
  const choice = (raw === '' ? 'auto' : raw) as BackendChoice;
  if (!BACKEND_CHOICES.includes(choice)) {
    const from = options.backend !== undefined ? 'backend option' : BACKEND_ENV;
    throw new UserError(`${from} must be one of ${BACKEND_CHOICES.join(', ')} (got '${raw}')`);
  }
  return choice;
}

async function select(choice: BackendChoice, resolveFrom: string | undefined): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = [];
  for (const c of choice === 'auto' ? ORDER : [choice]) {
    try {
      const kernelFixes = await activate(c, resolveFrom);
      const simd = c === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : undefined;
      const base = { backend: tf.getBackend(), choice: c, kernelFixes, skipped };
      return { ...base, description: describe(base, simd) };
    } catch (err) {
      if (choice !== 'auto') throw new UserError(`backend ${c} is not available: ${firstLine(err)}`);
      skipped.push({ choice: c, reason: firstLine(err) });
    }
  }
  throw new UserError(`no TensorFlow.js backend could start (${skipped.map((s) => `${s.choice}: ${s.reason}`).join('; ')})`);
}

/**
 * Makes the fastest available backend the active one: `@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node` (optional peers, detected at run time), then wasm with the
 * replacement kernels it needs for training, then cpu. Call it before building the
 * model. Logs one line saying what it chose (once per process).
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const choice = choiceFrom(options);
  const key = `${choice}\0${options.resolveFrom ?? ''}`;
  let pending = selections.get(key);
  if (pending === undefined) {
    pending = select(choice, options.resolveFrom);
    selections.set(key, pending);
    pending.catch(() => selections.delete(key));
  }
  const info = await pending;
  // a later selectBackend with another choice may have switched backends meanwhile
  if (tf.getBackend() !== info.backend) await tf.setBackend(info.backend);
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  if (log !== false && !logged.has(info.description)) {
    logged.add(info.description);
    log(info.description);
  }
  return info;
}
