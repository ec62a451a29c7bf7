// Records the largest memory block asked for while it is installed: every typed
// array, ArrayBuffer and Buffer allocation made through the globals (what the
// reader's modules call at run time). A size that comes from a number in a hostile
// file, rather than from the file's real size, shows up here before it hurts.

type Ctor = new (...args: unknown[]) => unknown;

const TYPED: [string, number][] = [
  ['Int8Array', 1],
  ['Uint8Array', 1],
  ['Uint8ClampedArray', 1],
  ['Int16Array', 2],
  ['Uint16Array', 2],
  ['Int32Array', 4],
  ['Uint32Array', 4],
  ['Float32Array', 4],
  ['Float64Array', 8],
  ['BigInt64Array', 8],
  ['BigUint64Array', 8],
  ['ArrayBuffer', 1],
];

export interface AllocationSpy {
  /** the largest request, in bytes, since the last reset */
  max(): number;
  reset(): void;
  restore(): void;
}

function requested(arg: unknown, bytesPer: number): number {
  if (typeof arg === 'number') return arg * bytesPer;
  if (typeof arg === 'bigint') return Number(arg) * bytesPer;
  if (arg !== null && typeof arg === 'object' && !(arg instanceof ArrayBuffer) && typeof (arg as { length?: unknown }).length === 'number') {
    return (arg as { length: number }).length * bytesPer;
  }
  return 0;
}

export function installAllocationSpy(): AllocationSpy {
  let max = 0;
  const note = (bytes: number) => {
    if (bytes > max || Number.isNaN(bytes)) max = Number.isNaN(bytes) ? Infinity : bytes;
  };
  const g = globalThis as unknown as Record<string, Ctor>;
  const saved: [string, Ctor][] = [];
  for (const [name, bytesPer] of TYPED) {
    const original = g[name]!;
    saved.push([name, original]);
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        note(requested(args[0], bytesPer));
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
  }
  const B = Buffer as unknown as Record<string, (size: number, ...rest: unknown[]) => Buffer>;
  const savedBuffer: [string, (size: number, ...rest: unknown[]) => Buffer][] = [];
  for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
    const original = B[name]!;
    savedBuffer.push([name, original]);
    B[name] = function (this: unknown, size: number, ...rest: unknown[]) {
      note(typeof size === 'number' ? size : Infinity);
      return original.call(this, size, ...rest);
    };
  }
  return {
    max: () => max,
    reset: () => void (max = 0),
    restore: () => {
      for (const [name, original] of saved) g[name] = original;
      for (const [name, original] of savedBuffer) B[name] = original;
    },
  };
}
