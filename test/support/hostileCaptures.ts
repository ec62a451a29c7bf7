// Malformed capture files, one per reader rule of docs/capture-format.md §7 (plus truncation,
// garbage and resource attacks). Built here byte by byte, independently of the
// package's own writer, so a bug shared by writer and reader cannot hide.
// The CLI tests reuse `hostileCaptures()` for their "no output, exit 2" checks.

export interface HostileCapture {
  /** file-name-safe, unique */
  name: string;
  bytes: Uint8Array;
  /** what the CaptureError's problem must say */
  problem: RegExp;
}

interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
}

type Header = Record<string, unknown>;

const SIZES: Record<string, number> = { F16: 2, BF16: 2, F32: 4, F64: 8, I32: 4, I64: 8, U8: 1 };

function baseMeta(): Record<string, unknown> {
  return { format: 'mtl-fd/capture@1', step: '1200', tasks: '["seg", "depth"]', layout: 'NC' };
}

function baseTensors(): TensorSpec[] {
  return [
    { name: 'features', dtype: 'F32', shape: [2, 3] },
    { name: 'grad.seg', dtype: 'F32', shape: [2, 3] },
    { name: 'grad.depth', dtype: 'F32', shape: [2, 3] },
    { name: 'loss.seg', dtype: 'F32', shape: [] },
    { name: 'param_gram', dtype: 'F64', shape: [2, 2] },
  ];
}

interface BuildOptions {
  /** `__metadata__`; undefined leaves the key out */
  meta?: Record<string, unknown> | undefined;
  tensors?: TensorSpec[];
  /** edits the header after offsets are laid out (to break them) */
  edit?: (header: Header) => void;
  /** appended to the data section */
  extraData?: number;
  /** bytes cut from the end of the file */
  cut?: number;
}

function u64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A file: 8-byte length, header bytes, data bytes; `declared` overrides the length. */
export function rawSafetensors(header: string | Uint8Array, data: Uint8Array, declared?: bigint): Uint8Array {
  const h = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  return concat(u64(declared ?? BigInt(h.byteLength)), h, data);
}

/** A safetensors file from tensor specs; the data bytes count up so no two tensors look alike. */
export function buildCapture(opts: BuildOptions = {}): Uint8Array {
  const tensors = opts.tensors ?? baseTensors();
  const header: Header = {};
  const meta = 'meta' in opts ? opts.meta : baseMeta();
  if (meta !== undefined) header.__metadata__ = meta;
  let position = 0;
  for (const t of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * (SIZES[t.dtype] ?? 4);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [position, position + bytes] };
    position += bytes;
  }
  opts.edit?.(header);
  const data = new Uint8Array(position + (opts.extraData ?? 0)).map((_, i) => i % 251);
  const file = rawSafetensors(JSON.stringify(header), data);
  return opts.cut ? file.subarray(0, file.byteLength - opts.cut) : file;
}

function withMeta(changes: Record<string, unknown>, drop: string[] = []): Record<string, unknown> {
  const meta = { ...baseMeta(), ...changes };
  for (const key of drop) delete meta[key];
  return meta;
}

function tensorsWith(change: (t: TensorSpec[]) => TensorSpec[]): TensorSpec[] {
  return change(baseTensors());
}

function entry(header: Header, name: string): { dtype: string; shape: number[]; data_offsets: number[] } {
  return header[name] as { dtype: string; shape: number[]; data_offsets: number[] };
}

/** A valid capture from the same builder: the control every hostile case departs from. */
export function validCaptureBytes(): Uint8Array {
  return buildCapture();
}

export function hostileCaptures(): HostileCapture[] {
  const garbage = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
  const deepNesting = '['.repeat(100_000) + ']'.repeat(100_000);
  const cases: HostileCapture[] = [
    // --- the 8-byte prefix and the header as a whole
    { name: 'empty-file', bytes: new Uint8Array(0), problem: /0 bytes, too short for a safetensors header/ },
    { name: 'shorter-than-prefix', bytes: new Uint8Array([1, 0, 0]), problem: /3 bytes, too short/ },
    { name: 'garbage', bytes: garbage, problem: /header length \d+ is (over the 100 MB limit|larger than the file)/ },
    { name: 'header-over-100mb', bytes: rawSafetensors('{}', new Uint8Array(64), 200_000_000n), problem: /header length 200000000 is over the 100 MB limit/ },
    { name: 'header-length-2-pow-63', bytes: rawSafetensors('{}', new Uint8Array(0), 2n ** 63n), problem: /header length 9223372036854775808 is over the 100 MB limit/ },
    { name: 'header-longer-than-file', bytes: rawSafetensors('{}', new Uint8Array(10), 5000n), problem: /header length 5000 is larger than the file \(20 bytes\)/ },
    { name: 'truncated-in-header', bytes: buildCapture().subarray(0, 40), problem: /header length \d+ is larger than the file \(40 bytes\)/ },
    { name: 'header-zero-length', bytes: rawSafetensors('', new Uint8Array(0)), problem: /header is not valid JSON/ },
    { name: 'header-not-json', bytes: rawSafetensors('{"features": {dtype: F32}}', new Uint8Array(0)), problem: /header is not valid JSON/ },
    { name: 'header-not-utf8', bytes: rawSafetensors(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), new Uint8Array(0)), problem: /header is not valid UTF-8/ },
    { name: 'header-is-array', bytes: rawSafetensors('[1, 2]', new Uint8Array(0)), problem: /header is not a JSON object \(it is an array\)/ },
    { name: 'header-is-null', bytes: rawSafetensors('null', new Uint8Array(0)), problem: /header is not a JSON object \(it is null\)/ },
    { name: 'header-deeply-nested', bytes: rawSafetensors(deepNesting, new Uint8Array(0)), problem: /header is not a JSON object \(it is an array\)/ },
    // --- metadata structure
    { name: 'metadata-not-object', bytes: buildCapture({ meta: ['mtl-fd/capture@1'] as unknown as Record<string, unknown> }), problem: /__metadata__ is an array, not a JSON object/ },
    { name: 'metadata-number-value', bytes: buildCapture({ meta: withMeta({ step: 1200 }) }), problem: /metadata key "step" holds a number \(1200\); safetensors metadata values must be strings/ },
    { name: 'metadata-nested-json', bytes: buildCapture({ meta: withMeta({ tasks: ['seg', 'depth'] }) }), problem: /metadata key "tasks" holds an array; .*must be strings/ },
    { name: 'metadata-nested-object', bytes: buildCapture({ meta: withMeta({ run: { name: { deeper: [1] } } }) }), problem: /metadata key "run" holds an object/ },
    // --- tensor entries
    { name: 'entry-not-object', bytes: buildCapture({ edit: (h) => void (h['features'] = [[[['F32']]]]) }), problem: /tensor "features" is an array, not an object/ },
    { name: 'entry-no-dtype', bytes: buildCapture({ edit: (h) => void delete (entry(h, 'features') as Partial<TensorSpec>).dtype }), problem: /tensor "features" has no dtype string/ },
    { name: 'unknown-dtype', bytes: buildCapture({ tensors: tensorsWith((t) => [...t.slice(0, 3), { name: 'loss.seg', dtype: 'F128', shape: [] }, t[4]!]) }), problem: /tensor "loss\.seg" has unknown dtype "F128"/ },
    { name: 'negative-dimension', bytes: buildCapture({ edit: (h) => void (entry(h, 'grad.seg').shape = [2, -3]) }), problem: /tensor "grad\.seg" has a shape that is not an array of non-negative integers/ },
    { name: 'fractional-dimension', bytes: buildCapture({ edit: (h) => void (entry(h, 'features').shape = [2, 1.5]) }), problem: /tensor "features" has a shape that is not an array of non-negative integers/ },
    { name: 'offsets-reversed', bytes: buildCapture({ edit: (h) => void entry(h, 'features').data_offsets.reverse() }), problem: /tensor "features" has data_offsets that are not \[begin, end\]/ },
    // --- offsets: overlap, gaps, past the end, element counts
    {
      name: 'offsets-overlap',
      bytes: buildCapture({ edit: (h) => void (entry(h, 'grad.seg').data_offsets = [16, 40]) }),
      problem: /tensors "features" and "grad\.seg" overlap/,
    },
    { name: 'offsets-gap', bytes: buildCapture({ edit: (h) => void (entry(h, 'grad.seg').data_offsets = [28, 52]) }), problem: /gap of 4 bytes between tensors "features" and "grad\.seg"/ },
    { name: 'gap-before-first', bytes: buildCapture({ edit: (h) => { for (const e of Object.values(h)) if ('data_offsets' in (e as object)) (e as { data_offsets: number[] }).data_offsets = (e as { data_offsets: number[] }).data_offsets.map((o) => o + 8); }, extraData: 8 }), problem: /gap of 8 bytes before tensor "features"/ },
    { name: 'trailing-bytes', bytes: buildCapture({ extraData: 12 }), problem: /12 bytes at the end of the data section belong to no tensor/ },
    { name: 'truncated-data', bytes: buildCapture({ cut: 3 }), problem: /tensor "param_gram" runs past the end of the file \(data_offsets end at 108, the data section holds 105 bytes\)/ },
    { name: 'offsets-past-end', bytes: buildCapture({ edit: (h) => void (entry(h, 'param_gram').data_offsets = [100, 2 ** 50]) }), problem: /tensor "param_gram" runs past the end of the file/ },
    { name: 'element-count-mismatch', bytes: buildCapture({ edit: (h) => void (entry(h, 'grad.depth').shape = [2, 4]) }), problem: /tensor "grad\.depth" has shape \[2, 4\] of F32 \(32 bytes\) but its data_offsets span 24 bytes/ },
    { name: 'shape-2-pow-40-elements', bytes: buildCapture({ edit: (h) => void (entry(h, 'features').shape = [2 ** 20, 2 ** 20]) }), problem: /tensor "features" has shape \[1048576, 1048576\] of F32 \(4398046511104 bytes\) but its data_offsets span 24 bytes/ },
    {
      name: 'shape-2-pow-40-with-matching-offsets',
      bytes: buildCapture({ edit: (h) => void Object.assign(entry(h, 'features'), { shape: [2 ** 40], data_offsets: [0, 2 ** 42] }) }),
      problem: /tensor "features" runs past the end of the file \(data_offsets end at 4398046511104/,
    },
    { name: 'shape-overflowing-double', bytes: buildCapture({ edit: (h) => void (entry(h, 'features').shape = [2 ** 53 - 1, 2 ** 53 - 1, 2 ** 53 - 1]) }), problem: /tensor "features" has shape \[9007199254740991, .*\] of F32 .* but its data_offsets span 24 bytes/ },
    // --- required tensors and metadata keys
    { name: 'missing-features', bytes: buildCapture({ tensors: tensorsWith((t) => t.slice(1)) }), problem: /missing required tensor "features"/ },
    { name: 'missing-metadata', bytes: buildCapture({ meta: undefined }), problem: /not an mtl-fd capture: the header has no __metadata__/ },
    { name: 'missing-format', bytes: buildCapture({ meta: withMeta({}, ['format']) }), problem: /not an mtl-fd capture: metadata has no "format" key/ },
    { name: 'missing-step', bytes: buildCapture({ meta: withMeta({}, ['step']) }), problem: /metadata has no "step" key/ },
    { name: 'missing-tasks', bytes: buildCapture({ meta: withMeta({}, ['tasks']) }), problem: /metadata has no "tasks" key/ },
    { name: 'missing-layout', bytes: buildCapture({ meta: withMeta({}, ['layout']) }), problem: /metadata has no "layout" key/ },
    { name: 'bad-format', bytes: buildCapture({ meta: withMeta({ format: 'mtl-fd/capture@2' }) }), problem: /metadata format is "mtl-fd\/capture@2", expected "mtl-fd\/capture@1"/ },
    // --- metadata values
    { name: 'step-negative', bytes: buildCapture({ meta: withMeta({ step: '-1' }) }), problem: /metadata step "-1" is not a non-negative decimal integer/ },
    { name: 'step-fraction', bytes: buildCapture({ meta: withMeta({ step: '12.5' }) }), problem: /metadata step "12\.5" is not a non-negative decimal integer/ },
    { name: 'step-hex', bytes: buildCapture({ meta: withMeta({ step: '0x10' }) }), problem: /metadata step "0x10" is not/ },
    { name: 'step-empty', bytes: buildCapture({ meta: withMeta({ step: '' }) }), problem: /metadata step "" is not/ },
    { name: 'step-beyond-safe-integer', bytes: buildCapture({ meta: withMeta({ step: '9007199254740993' }) }), problem: /metadata step "9007199254740993" is not/ },
    { name: 'epoch-not-integer', bytes: buildCapture({ meta: withMeta({ epoch: 'three' }) }), problem: /metadata epoch "three" is not a decimal integer/ },
    { name: 'tasks-not-json', bytes: buildCapture({ meta: withMeta({ tasks: 'seg,depth' }) }), problem: /metadata tasks "seg,depth" is not a JSON array of task names/ },
    { name: 'tasks-json-object', bytes: buildCapture({ meta: withMeta({ tasks: '{"seg": 1, "depth": 2}' }) }), problem: /metadata tasks .* is not a JSON array/ },
    { name: 'tasks-not-strings', bytes: buildCapture({ meta: withMeta({ tasks: '[1, 2]' }) }), problem: /metadata tasks holds a number \(1\), not a task name/ },
    { name: 'task-name-space', bytes: buildCapture({ meta: withMeta({ tasks: '["seg", "de pth"]' }) }), problem: /metadata tasks holds "de pth", not a task name/ },
    { name: 'task-name-empty', bytes: buildCapture({ meta: withMeta({ tasks: '["seg", ""]' }) }), problem: /metadata tasks holds "", not a task name/ },
    { name: 'task-name-65-chars', bytes: buildCapture({ meta: withMeta({ tasks: JSON.stringify(['seg', 'x'.repeat(65)]) }) }), problem: /metadata tasks holds "x{60}\.\.\.", not a task name/ },
    { name: 'task-name-newline', bytes: buildCapture({ meta: withMeta({ tasks: '["seg", "a\\nb"]' }) }), problem: /metadata tasks holds "a\\nb", not a task name/ },
    { name: 'tasks-duplicate', bytes: buildCapture({ meta: withMeta({ tasks: '["seg", "depth", "seg"]' }) }), problem: /metadata tasks lists "seg" twice/ },
    {
      name: 'tasks-only-one',
      bytes: buildCapture({ meta: withMeta({ tasks: '["seg"]' }), tensors: tensorsWith((t) => [t[0]!, t[1]!]) }),
      problem: /metadata tasks lists 1 task\(s\); a capture needs at least 2/,
    },
    { name: 'unknown-layout', bytes: buildCapture({ meta: withMeta({ layout: 'NWHC' }) }), problem: /metadata layout "NWHC" is not one of NC, NHWC, NCHW, NLC, NCL/ },
    // --- capture tensors against each other and the metadata
    { name: 'features-int-dtype', bytes: buildCapture({ tensors: tensorsWith((t) => [{ ...t[0]!, dtype: 'I32' }, ...t.slice(1)]) }), problem: /tensor "features" has dtype I32; it must be F32, F16, BF16 or F64/ },
    { name: 'layout-rank-nchw', bytes: buildCapture({ meta: withMeta({ layout: 'NCHW' }) }), problem: /layout NCHW needs features of rank 4, but features has shape \[2, 3\] \(rank 2\)/ },
    {
      name: 'layout-rank-nc',
      bytes: buildCapture({ tensors: tensorsWith((t) => [...t.slice(0, 3).map((x) => ({ ...x, shape: [2, 3, 1, 1] })), ...t.slice(3)]) }),
      problem: /layout NC needs features of rank 2, but features has shape \[2, 3, 1, 1\] \(rank 4\)/,
    },
    {
      name: 'layout-rank-nlc',
      bytes: buildCapture({ meta: withMeta({ layout: 'NLC' }) }),
      problem: /layout NLC needs features of rank 3/,
    },
    {
      name: 'features-zero-rows',
      bytes: buildCapture({ tensors: tensorsWith((t) => [...t.slice(0, 3).map((x) => ({ ...x, shape: [0, 3] })), ...t.slice(3)]) }),
      problem: /features has shape \[0, 3\]: every dimension must be at least 1/,
    },
    { name: 'grad-missing', bytes: buildCapture({ tensors: tensorsWith((t) => t.filter((x) => x.name !== 'grad.depth')) }), problem: /missing tensor "grad\.depth" for task "depth" listed in metadata tasks/ },
    { name: 'grad-for-unknown-task', bytes: buildCapture({ tensors: [...baseTensors(), { name: 'grad.normal', dtype: 'F32', shape: [2, 3] }] }), problem: /tensor "grad\.normal" names no task in metadata tasks \["seg","depth"\]/ },
    { name: 'grad-shape-differs', bytes: buildCapture({ tensors: tensorsWith((t) => [t[0]!, { ...t[1]!, shape: [3, 2] }, ...t.slice(2)]) }), problem: /tensor "grad\.seg" has shape \[3, 2\] but features has \[2, 3\]/ },
    { name: 'grad-dtype-differs', bytes: buildCapture({ tensors: tensorsWith((t) => [t[0]!, t[1]!, { ...t[2]!, dtype: 'BF16' }, ...t.slice(3)]) }), problem: /tensor "grad\.depth" is BF16 but features is F32/ },
    { name: 'loss-shape', bytes: buildCapture({ tensors: tensorsWith((t) => [...t.slice(0, 3), { ...t[3]!, shape: [2] }, t[4]!]) }), problem: /tensor "loss\.seg" has shape \[2\]; a loss must have shape \[\] or \[1\]/ },
    { name: 'loss-int-dtype', bytes: buildCapture({ tensors: tensorsWith((t) => [...t.slice(0, 3), { ...t[3]!, dtype: 'I64' }, t[4]!]) }), problem: /tensor "loss\.seg" has dtype I64; it must be F32, F16, BF16 or F64/ },
    { name: 'loss-for-unknown-task', bytes: buildCapture({ tensors: [...baseTensors(), { name: 'loss.normal', dtype: 'F32', shape: [] }] }), problem: /tensor "loss\.normal" names no task in metadata tasks/ },
    // --- weight.<task>: every task or none, scalars, named after listed tasks
    { name: 'weight-for-some-tasks', bytes: buildCapture({ tensors: [...baseTensors(), { name: 'weight.seg', dtype: 'F32', shape: [] }] }), problem: /has weights for some tasks but not for \["depth"\]/ },
    { name: 'weight-for-unknown-task', bytes: buildCapture({ tensors: [...baseTensors(), { name: 'weight.normal', dtype: 'F32', shape: [] }] }), problem: /tensor "weight\.normal" names no task in metadata tasks/ },
    {
      name: 'weight-shape',
      bytes: buildCapture({ tensors: [...baseTensors(), { name: 'weight.seg', dtype: 'F32', shape: [2] }, { name: 'weight.depth', dtype: 'F32', shape: [] }] }),
      problem: /tensor "weight\.seg" has shape \[2\]; a weight must have shape \[\] or \[1\]/,
    },
    {
      name: 'weight-int-dtype',
      bytes: buildCapture({ tensors: [...baseTensors(), { name: 'weight.seg', dtype: 'F32', shape: [] }, { name: 'weight.depth', dtype: 'I32', shape: [] }] }),
      problem: /tensor "weight\.depth" has dtype I32; it must be F32, F16, BF16 or F64/,
    },
    { name: 'param-gram-shape', bytes: buildCapture({ tensors: tensorsWith((t) => [...t.slice(0, 4), { ...t[4]!, shape: [3, 3] }]) }), problem: /tensor "param_gram" has shape \[3, 3\] but metadata tasks lists 2 tasks \(needs \[2, 2\]\)/ },
    { name: 'param-gram-f16', bytes: buildCapture({ tensors: tensorsWith((t) => [...t.slice(0, 4), { ...t[4]!, dtype: 'F16' }]) }), problem: /tensor "param_gram" has dtype F16; it must be F32 or F64/ },
  ];
  return cases;
}
