// fast-check arbitraries for capture files: valid ones (with the data they hold) and
// hostile variants of them: byte flips, truncations, appended bytes, a rewritten
// length prefix, and structured edits of the JSON header (absurd shapes, offsets and
// dtypes, bad metadata, path-like names, deep nesting, big strings).
import fc from 'fast-check';
import { encodeCapture } from '../../src/encodeCapture.js';
import { LAYOUTS, type CaptureData, type DType, type Layout } from '../../src/types.js';

const RANK: Record<Layout, number> = { NC: 2, NLC: 3, NCL: 3, NHWC: 4, NCHW: 4 };

/** Values every dtype holds exactly (k/64, |k| <= 48), so a clean read compares with toEqual. */
function values(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (((i + 1) * (seed + 7) + 13 * seed) % 97 - 48) / 64;
  return out;
}

const taskName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', '..', '.', 'a'.repeat(64)) },
);

/** A valid capture: random tasks, layout, small shape, dtype, optional losses, param_gram and metadata. */
export const validCapture: fc.Arbitrary<CaptureData> = fc
  .record({
    tasks: fc.uniqueArray(taskName, { minLength: 2, maxLength: 4 }),
    layout: fc.constantFrom(...LAYOUTS),
    dims: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 4, maxLength: 4 }),
    dtype: fc.constantFrom<DType>('F16', 'BF16', 'F32', 'F64'),
    seed: fc.nat(1000),
    step: fc.oneof(fc.nat(1000), fc.maxSafeNat()),
    losses: fc.boolean(),
    gram: fc.boolean(),
    run: fc.option(fc.oneof(fc.string(), fc.constantFrom('../x', '../../etc/passwd', '/abs', 'a/b', '', 'C:\\x')), { nil: undefined }),
    epoch: fc.option(fc.integer({ min: -5, max: 1000 }), { nil: undefined }),
    producer: fc.option(fc.string(), { nil: undefined }),
  })
  .map((r) => {
    const shape = r.dims.slice(0, RANK[r.layout]);
    const n = shape.reduce((a, b) => a * b, 1);
    const data: CaptureData = {
      meta: {
        step: r.step,
        tasks: r.tasks,
        layout: r.layout,
        ...(r.run !== undefined ? { run: r.run } : {}),
        ...(r.epoch !== undefined ? { epoch: r.epoch } : {}),
        ...(r.producer !== undefined ? { producer: r.producer } : {}),
      },
      shape,
      dtype: r.dtype,
      features: values(n, r.seed),
      grads: Object.fromEntries(r.tasks.map((t, i) => [t, values(n, r.seed + i + 1)])),
    };
    if (r.losses) data.losses = Object.fromEntries(r.tasks.map((t, i) => [t, (i + 1) / 8]));
    if (r.gram) data.paramGram = values(r.tasks.length ** 2, r.seed + 99);
    return data;
  });

/** The parts of a safetensors file. */
export interface Parts {
  header: Record<string, unknown>;
  headerText: string;
  data: Uint8Array;
}

export function split(bytes: Uint8Array): Parts {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  return { header: JSON.parse(headerText) as Record<string, unknown>, headerText, data: bytes.subarray(8 + n) };
}

export function join(headerText: string, data: Uint8Array, length?: bigint): Uint8Array {
  const h = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + h.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(h.byteLength), true);
  out.set(h, 8);
  out.set(data, 8 + h.byteLength);
  return out;
}

/** A number a hostile header might hold where a size or offset belongs. */
const absurdNumber = fc.oneof(
  fc.constantFrom(2 ** 40, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 2 ** 31, 2 ** 32, 2 ** 32 - 1, -1, -0, 0, 1, 0.5, 1e308, -1e308, Number.MAX_VALUE),
  fc.nat(64),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const absurdValue = fc.oneof(
  { weight: 6, arbitrary: absurdNumber },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('3', null, true, [], {}, [1, 2], '1e3') },
);

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Something to put in a metadata value: path-like names, broken task lists, huge or odd numbers. */
const metaValue = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '../x',
    '["a/b", "c"]',
    '["../x", "c"]',
    '["..", "x"]',
    '["a", "a"]',
    '["a"]',
    '[]',
    '["a", 1]',
    '{"a": 1}',
    '["' + 'a'.repeat(65) + '", "b"]',
    '99999999999999999999',
    '-1',
    '1e3',
    '1.5',
    ' 12',
    '0x10',
    'NC',
    'NCHW',
    'XYZ',
    'mtl-fd/capture@1',
    'mtl-fd/capture@2',
  ),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

type Edit = (h: Record<string, unknown>) => void;

function tensorNames(h: Record<string, unknown>): string[] {
  return Object.keys(h).filter((k) => k !== '__metadata__');
}

function entryAt(h: Record<string, unknown>, i: number): Record<string, unknown> | undefined {
  const names = tensorNames(h);
  if (names.length === 0) return undefined;
  const v = h[names[i % names.length]!];
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ i: fc.nat(), shape: fc.array(absurdValue, { maxLength: 6 }) }).map(({ i, shape }) => (h: Record<string, unknown>) => {
    const e = entryAt(h, i);
    if (e) e.shape = shape;
  }),
  fc.record({ i: fc.nat(), dim: fc.nat(5), v: absurdValue }).map(({ i, dim, v }) => (h: Record<string, unknown>) => {
    const e = entryAt(h, i);
    if (e && Array.isArray(e.shape) && e.shape.length > 0) (e.shape as unknown[])[dim % e.shape.length] = v;
  }),
  fc.record({ i: fc.nat(), a: absurdValue, b: absurdValue }).map(({ i, a, b }) => (h: Record<string, unknown>) => {
    const e = entryAt(h, i);
    if (e) e.data_offsets = [a, b];
  }),
  fc.record({ i: fc.nat(), j: fc.nat() }).map(({ i, j }) => (h: Record<string, unknown>) => {
    // swap the offsets of two tensors (overlaps, gaps or a silent permutation)
    const [a, b] = [entryAt(h, i), entryAt(h, j)];
    if (a && b) [a.data_offsets, b.data_offsets] = [b.data_offsets, a.data_offsets];
  }),
  fc
    .record({ i: fc.nat(), dtype: fc.oneof(fc.constantFrom('F16', 'BF16', 'F32', 'F64', 'I64', 'U8', 'BOOL', 'F8_E4M3', 'f32', ''), fc.string()) })
    .map(({ i, dtype }) => (h: Record<string, unknown>) => {
      const e = entryAt(h, i);
      if (e) e.dtype = dtype;
    }),
  fc.nat().map((i) => (h: Record<string, unknown>) => {
    const names = [...tensorNames(h), '__metadata__'];
    delete h[names[i % names.length]!];
  }),
  fc
    .record({ i: fc.nat(), name: fc.oneof(fc.string(), fc.constantFrom('grad.x', 'loss.x', '../../etc/passwd', 'grad./', 'features', 'param_gram', '__proto__')) })
    .map(({ i, name }) => (h: Record<string, unknown>) => {
      const names = tensorNames(h);
      if (names.length === 0) return;
      const from = names[i % names.length]!;
      const v = h[from];
      delete h[from];
      Object.defineProperty(h, name, { value: v, enumerable: true, configurable: true, writable: true });
    }),
  fc
    .record({ key: fc.oneof(fc.constantFrom('format', 'step', 'tasks', 'layout', 'run', 'epoch', 'producer'), fc.string()), v: metaValue })
    .map(({ key, v }) => (h: Record<string, unknown>) => {
      const m = h.__metadata__;
      if (typeof m === 'object' && m !== null) Object.defineProperty(m, key, { value: v, enumerable: true, configurable: true, writable: true });
    }),
  fc.record({ key: fc.constantFrom('format', 'step', 'tasks', 'layout', 'run'), v: fc.jsonValue() }).map(({ key, v }) => (h: Record<string, unknown>) => {
    const m = h.__metadata__;
    if (typeof m === 'object' && m !== null) (m as Record<string, unknown>)[key] = v;
  }),
  fc.jsonValue().map((v) => (h: Record<string, unknown>) => {
    const e = entryAt(h, 0);
    if (e) h[tensorNames(h)[0]!] = v;
  }),
);

/** A hostile file and, for the untouched case, the data it must read back as. */
export interface Hostile {
  kind: string;
  bytes: Uint8Array;
  /** set when the file is the valid capture unchanged */
  expected?: CaptureData;
}

const flips = fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 8 });

/** Hostile files derived from valid captures, plus a share of the valid ones unchanged. */
export const hostileCapture: fc.Arbitrary<Hostile> = fc.oneof(
  validCapture.map((c) => ({ kind: 'valid', bytes: encodeCapture(c), expected: c })),
  fc.record({ c: validCapture, flips }).map(({ c, flips }) => {
    const bytes = encodeCapture(c).slice();
    for (const f of flips) bytes[f.at % bytes.length] ^= f.xor;
    return { kind: 'byte flips', bytes };
  }),
  fc.record({ c: validCapture, flips }).map(({ c, flips }) => {
    // flips inside the header text only: JSON that is almost right
    const bytes = encodeCapture(c).slice();
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    for (const f of flips) bytes[8 + (f.at % n)] ^= f.xor;
    return { kind: 'header byte flips', bytes };
  }),
  fc.record({ c: validCapture, cut: fc.nat() }).map(({ c, cut }) => {
    const bytes = encodeCapture(c);
    return { kind: 'truncation', bytes: bytes.subarray(0, cut % bytes.length) };
  }),
  fc.record({ c: validCapture, extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }).map(({ c, extra }) => {
    const bytes = encodeCapture(c);
    const out = new Uint8Array(bytes.length + extra.length);
    out.set(bytes);
    out.set(extra, bytes.length);
    return { kind: 'appended bytes', bytes: out };
  }),
  fc.record({ c: validCapture, length: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 4096n }), fc.constantFrom(2n ** 63n, 100_000_001n, 0n)) }).map(({ c, length }) => {
    const { headerText, data } = split(encodeCapture(c));
    return { kind: 'length prefix', bytes: join(headerText, data, length) };
  }),
  fc
    .record({ c: validCapture, edits: fc.array(edit, { minLength: 1, maxLength: 3 }), keepLength: fc.boolean(), pad: fc.nat(7) })
    .map(({ c, edits, keepLength, pad }) => {
      const { header, headerText, data } = split(encodeCapture(c));
      for (const e of edits) e(header);
      const text = JSON.stringify(header) + ' '.repeat(pad);
      return { kind: 'header edits', bytes: join(text, data, keepLength ? BigInt(new TextEncoder().encode(headerText).length) : undefined) };
    }),
  fc
    .record({ c: validCapture, depth: fc.integer({ min: 1, max: 50_000 }), kind: fc.constantFrom<'array' | 'object'>('array', 'object'), where: fc.constantFrom('tensor', 'meta', 'top') })
    .map(({ c, depth, kind, where }) => {
      const { header, data } = split(encodeCapture(c));
      const deep = nested(depth, kind);
      const marker = '"__DEEP__"';
      if (where === 'tensor') header.features = '__DEEP__';
      else if (where === 'meta') (header.__metadata__ as Record<string, unknown>).producer = '__DEEP__';
      else header.extra = '__DEEP__';
      return { kind: `nested ${kind} ${depth} in ${where}`, bytes: join(JSON.stringify(header).replace(marker, deep), data) };
    }),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => ({ kind: 'random bytes', bytes })),
  fc.record({ json: fc.jsonValue(), data: fc.uint8Array({ maxLength: 64 }) }).map(({ json, data }) => ({
    kind: 'random JSON header',
    bytes: join(JSON.stringify(json) ?? 'null', data),
  })),
);
