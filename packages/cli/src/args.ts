import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '@mtl-fd/capture';
import { didYouMean } from './didYouMean.js';

export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** A value that starts with '-' but is a number, not an option: `--temperature -1`. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

function unknownOption(arg: string, options: Options): UsageError {
  const near = didYouMean(arg.replace(/^-+/, ''), Object.keys(options));
  return new UsageError(`unknown option '${arg}'${near ? `; did you mean '--${near}'?` : ''} (see --help)`);
}

/**
 * Checks every option against the command's and joins each string option to its value
 * (`--temperature -1` -> `--temperature=-1`), so parseArgs neither rejects a negative
 * number as "ambiguous" nor reports an unknown option in its own words.
 */
function joinOptionValues(argv: string[], options: Options): string[] {
  const shorts = new Set(Object.values(options).flatMap((o) => (o.short ? [o.short] : [])));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    if (!arg.startsWith('-') || arg === '-' || NEGATIVE_NUMBER.test(arg)) {
      out.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      if (![...arg.slice(1)].every((c) => shorts.has(c))) throw unknownOption(arg, options);
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!spec) throw unknownOption(`--${name}`, options);
    if (spec.type !== 'string' || eq >= 0) {
      out.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value === '--' || (value.startsWith('-') && value !== '-' && !NEGATIVE_NUMBER.test(value))) {
      throw new UsageError(`--${name} needs a value${value === undefined ? '' : ` (got the option '${value}')`}`);
    }
    out.push(`--${name}=${value}`);
    i++;
  }
  return out;
}

/** `util.parseArgs` with its errors turned into one-line usage errors, and "did you mean" for a near-miss option. */
export function parseCommandArgs(
  argv: string[],
  options: Options,
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  const args = joinOptionValues(argv, options);
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}`);
  }
}

/** Checks a string option against its allowed values. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

/** Parses a finite number option, with an optional lower bound. */
export function numberOption(flag: string, value: string | undefined, fallback: number, min = -Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new UsageError(`--${flag} must be a number${min > -Infinity ? ` >= ${min}` : ''} (got '${value}')`);
  }
  return n;
}
